// Fails when src/api/schema.ts no longer matches api.yaml (run `npm run generate:api` to fix).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'guildkit-api-'));
try {
  const fresh = join(dir, 'schema.ts');
  execFileSync(process.execPath, ['node_modules/openapi-typescript/bin/cli.js', 'api.yaml', '-o', fresh], {
    stdio: 'ignore',
  });
  if (readFileSync(fresh, 'utf8') !== readFileSync('src/api/schema.ts', 'utf8')) {
    console.error('src/api/schema.ts has drifted from api.yaml: run `npm run generate:api` and commit the result.');
    process.exit(1);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
