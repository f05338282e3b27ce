// The built reference server (`npm run build`) on a free loopback port, for end-to-end suites.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface Server {
  child: ChildProcess;
  /** What the process wrote, for failure messages. */
  output(): string;
}

/** Starts the server in demo mode on `port` with `dbFile`, and resolves once it answers. */
export async function startServer(port: number, dbFile: string, env: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, ['dist/server/server/main.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GUILD_DEMO: '1', GUILD_DB: dbFile, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/demo/people`);
      if (response.ok) return { child, output: () => output };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`The server did not start:\n${output}`);
}
