// `npm run bench`: what Guildkit costs a host page and what the reference server sustains, measured
// in Debian's Chromium and on loopback, against budgets. Writes bench/results.json and bench/RESULTS.md;
// exits non-zero when a budget is exceeded.
/* global document -- page functions run in the browser */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../test/support/chromium.mjs';

const KB = 1024;
const results = { date: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '?', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version }, measurements: [] };
const failures = [];

function record(group, name, value, unit, budget, note = '') {
  const over = budget !== undefined && value > budget;
  if (over) failures.push(`${group} · ${name}: ${value} ${unit} > ${budget}`);
  results.measurements.push({ group, name, value, unit, budget: budget ?? null, pass: !over, note });
}

function sizes(code) {
  const bytes = Buffer.from(code);
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
}

const kb = (n) => Math.round((n / KB) * 10) / 10;

// 1. Bytes -------------------------------------------------------------------------------------
execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
const cdn = 'dist/cdn';
const entry = sizes(readFileSync(join(cdn, 'guildkit.js')));
const chunkDir = join(cdn, 'chunks');
let lazy = { min: 0, gzip: 0, brotli: 0 };
try {
  for (const file of readdirSync(chunkDir).filter((f) => f.endsWith('.js'))) {
    const s = sizes(readFileSync(join(chunkDir, file)));
    lazy = { min: lazy.min + s.min, gzip: lazy.gzip + s.gzip, brotli: lazy.brotli + s.brotli };
  }
} catch {
  // no lazy chunks yet
}
const floorBuild = await build({
  stdin: {
    contents: `export { LitElement, html, css, nothing } from 'lit';
      export { property, state } from 'lit/decorators.js';
      export { createContext, consume, provide } from '@lit/context';
      export { atom, map, onMount } from 'nanostores';
      export { default as createClient } from 'openapi-fetch';`,
    resolveDir: process.cwd(),
  },
  bundle: true,
  minify: true,
  format: 'esm',
  write: false,
  conditions: ['production'],
  define: { 'process.env.NODE_ENV': '"production"' },
});
const floor = sizes(floorBuild.outputFiles[0].contents);
record('bytes', 'runtime floor: lit + @lit/context + nanostores + openapi-fetch (gzip)', kb(floor.gzip), 'kB');
record('bytes', 'script tag bundle, up front (min)', kb(entry.min), 'kB');
record('bytes', 'script tag bundle, up front (brotli)', kb(entry.brotli), 'kB');
record('bytes', 'page with only kudos buttons (gzip)', kb(entry.gzip), 'kB', 16, 'every element registers from one entry today');
record('bytes', 'page with every widget in reading view (gzip)', kb(entry.gzip), 'kB', 30, 'only the kudos button exists so far');
record('bytes', "Guildkit's own code, up front (gzip, entry minus floor)", kb(entry.gzip - floor.gzip), 'kB');
record('bytes', 'lazily loaded chunks (gzip, all)', kb(lazy.gzip), 'kB');

// 2–4. In the browser, against the real server ------------------------------------------------
function freePort() {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'guildkit-bench-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['dist/server/server/main.js'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GUILD_DEMO: '1', GUILD_DB: join(dataDir, 'bench.sqlite'), LOG_LEVEL: 'error', GUILD_RATE_LIMIT: '1000000', GUILD_WRITE_LIMIT: '1000000' },
  stdio: 'ignore',
});
for (let i = 0; i < 200; i += 1) {
  try {
    if ((await fetch(`${base}/demo/people`)).ok) break;
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const widgetsPage = (count) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<script type="module" src="/guildkit/guildkit.js" data-api="/api" data-token-url="/demo/token?person=linus"></script></head><body>
${Array.from({ length: count }, (_, i) => `<p>Item ${i}</p><guild-kudos-button subject="bench/page-${i}" recipient="grace"></guild-kudos-button>`).join('\n')}
</body></html>`;
const floorPage = (count) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body>
${Array.from({ length: count }, (_, i) => `<p>Item ${i}</p><button type="button">Kudos <span class="count">${i}</span></button>`).join('\n')}
</body></html>`;

const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });

async function openPage(html, throttle = 1) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await page.route(`${base}/bench.html`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  if (throttle > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  return { context, page, requests };
}

/** Milliseconds from navigation to every counter showing, median of `runs`. */
async function renderTime(html, selector, count, throttle, runs = 5) {
  const times = [];
  for (let run = 0; run < runs; run += 1) {
    const { context, page } = await openPage(html, throttle);
    await page.goto(`${base}/bench.html`);
    await page.waitForFunction(
      ({ selector, count }) => {
        const found = [...document.querySelectorAll('guild-kudos-button')].filter((el) => el.shadowRoot?.querySelector(selector)).length;
        return found === count || document.querySelectorAll(`button ${selector}`).length === count;
      },
      { selector, count },
      { timeout: 30_000 },
    );
    times.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]);
}

{
  const { context, page, requests } = await openPage(widgetsPage(20));
  await page.goto(`${base}/bench.html`);
  await page.waitForFunction(() => [...document.querySelectorAll('guild-kudos-button')].every((el) => el.shadowRoot?.querySelector('.count')), undefined, { timeout: 30_000 });
  await page.waitForTimeout(300);
  const count = (path) => requests.filter((p) => p === path).length;
  record('requests', '20 kudos buttons on 20 subjects: identity (/api/me)', count('/api/me'), 'requests', 1);
  record('requests', '20 kudos buttons on 20 subjects: kudos reads', count('/api/kudos/summaries'), 'requests', 1);
  record('requests', '20 kudos buttons on 20 subjects: event streams', count('/api/events'), 'streams', 1);
  record('requests', '20 kudos buttons on 20 subjects: scripts', requests.filter((p) => p.startsWith('/guildkit/')).length, 'requests', 2);
  await context.close();
}

for (const throttle of [1, 4]) {
  const floorMs = await renderTime(floorPage(20), '.count', 20, throttle);
  const widgetMs = await renderTime(widgetsPage(20), '.count', 20, throttle);
  record('render', `20 kudos buttons rendered with counts, CPU ×${throttle} (median of 5)`, widgetMs, 'ms', undefined, `floor (20 static buttons): ${floorMs} ms; ratio ${(widgetMs / Math.max(1, floorMs)).toFixed(1)}×`);
}
await browser.close();

// 5. Server throughput on loopback -------------------------------------------------------------
async function throughput(label, makeRequest, seconds = 3, connections = 20) {
  let done = 0;
  let failed = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      let n = 0;
      while (Date.now() < until) {
        const response = await makeRequest(worker, n++);
        await response.arrayBuffer();
        if (response.ok) done += 1;
        else failed += 1;
      }
    }),
  );
  return { label, perSecond: Math.round(done / seconds), failed };
}
const token = (await (await fetch(`${base}/demo/token?person=linus`)).json()).token;
const floorRun = await throughput('floor', () => fetch(`${base}/demo/people`));
const reads = await throughput('reads', () => fetch(`${base}/api/kudos/summaries?subjects=${Array.from({ length: 20 }, (_, i) => `bench/page-${i}`).join(',')}`));
const writes = await throughput('writes', (worker, n) =>
  fetch(`${base}/api/kudos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `bench-${worker}-${n}-${Date.now()}` },
    body: JSON.stringify({ subject: `bench/write-${worker}-${n}-${Date.now()}`, recipientId: 'grace' }),
  }),
);
record('server', 'floor: an unvalidated JSON route, 20 connections', floorRun.perSecond, 'req/s');
record('server', 'kudos summaries for 20 subjects, 20 connections', reads.perSecond, 'req/s', undefined, `${(reads.perSecond / floorRun.perSecond).toFixed(2)}× floor; ${reads.failed} failed`);
record('server', 'give kudos (keyed write + event), 20 connections', writes.perSecond, 'req/s', undefined, `${(writes.perSecond / floorRun.perSecond).toFixed(2)}× floor; ${writes.failed} failed`);
server.kill();
rmSync(dataDir, { recursive: true, force: true });

// Report -----------------------------------------------------------------------------------------
mkdirSync('bench', { recursive: true });
writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
const rows = results.measurements.map((m) => `| ${m.group} | ${m.name} | ${m.value} ${m.unit} | ${m.budget ?? '—'} | ${m.budget === null ? '' : m.pass ? 'pass' : '**over**'} | ${m.note} |`);
const table = ['| group | measurement | value | budget | | note |', '|---|---|---|---|---|---|', ...rows].join('\n');
writeFileSync(
  'bench/RESULTS.md',
  `# Guildkit bench\n\n${results.date} · ${results.machine.cpus} × ${results.machine.model} · ${results.machine.memoryGiB} GiB · Node ${results.machine.node} · Debian Chromium\n\n${table}\n`,
);
console.log(table);
if (failures.length) {
  console.error(`\nOver budget:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
