// `npm start`: the reference server in demo mode on http://localhost:8787 (PORT overrides).
import { spawn } from 'node:child_process';

const child = spawn(process.execPath, ['dist/server/server/main.js'], {
  stdio: 'inherit',
  env: { ...process.env, GUILD_DEMO: process.env.GUILD_DEMO ?? '1' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
