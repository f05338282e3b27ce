// The built reference server (`npm run build`) on a free loopback port, for end-to-end suites.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/chromium.mjs';

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

/** A demo server on a fresh SQLite file and Debian's Chromium, for one end-to-end suite. */
export interface DemoRun {
  base: string;
  browser: Browser;
  /** Everything a page of this run reported: page errors, console errors, CSP violations. */
  problems: string[];
  /** Opens `url` in a fresh browser context; with `html`, the page is that HTML served at `url`. */
  open(url: string, html?: string): Promise<Page>;
  /** Calls the API at `path` (`/api/...`) as a demo person (a fresh demo token), or signed out. */
  api(person: string | undefined, method: string, path: string, body?: object): Promise<unknown>;
  close(): Promise<void>;
}

export async function startDemo(name: string): Promise<DemoRun> {
  const dataDir = mkdtempSync(join(tmpdir(), `guildkit-e2e-${name}-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(port, join(dataDir, 'guild.sqlite'));
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const problems: string[] = [];
  let keys = 0;
  const tokens = new Map<string, string>();
  const token = async (person: string): Promise<string> => {
    let value = tokens.get(person);
    if (!value) {
      value = ((await (await fetch(`${base}/demo/token?person=${person}`)).json()) as { token: string }).token;
      tokens.set(person, value);
    }
    return value;
  };
  return {
    base,
    browser,
    problems,
    async open(url, html) {
      const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
      });
      if (html) await page.route(url, (route) => route.fulfill({ contentType: 'text/html', body: html }));
      await page.goto(url);
      return page;
    },
    async api(person, method, path, body) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(person ? { authorization: `Bearer ${await token(person)}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(method === 'POST' && person ? { 'idempotency-key': `e2e-${name}-${(keys += 1)}` } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
      return (await response.json()) as unknown;
    },
    async close() {
      await browser.close();
      server.child.kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
