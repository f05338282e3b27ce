// End to end: what a cold host page requests, and in what order, before its first content shows.
// The built bundle and server, a real SQLite file, Debian's Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemo, type DemoRun } from './server.js';

interface Loaded {
  path: string;
  start: number;
  end: number;
}

describe('a cold host page', () => {
  let run: DemoRun;

  before(async () => {
    run = await startDemo('loading');
  });

  after(async () => {
    await run?.close();
  });

  const hostPage = (body: string, settings = 'data-api="/api" data-token-url="/demo/token?person=grace"') => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title>
<script type="module" src="/guildkit/guildkit.js" ${settings}></script></head><body><main>${body}</main></body></html>`;

  async function loads(body: string, ready: string, settings?: string): Promise<Loaded[]> {
    const page = await run.open(`${run.base}/intranet.html`, hostPage(body, settings));
    await page.locator(ready).first().waitFor({ timeout: 10_000 });
    const entries = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((entry) => {
        const timing = entry as PerformanceResourceTiming;
        return { path: new URL(timing.name).pathname + new URL(timing.name).search, start: timing.startTime, end: timing.responseEnd };
      }),
    );
    await page.context().close();
    return entries;
  }

  const find = (entries: Loaded[], pattern: RegExp): Loaded[] => entries.filter((entry) => pattern.test(entry.path));

  it('asks for the token, the element and its markdown renderer together, and the token once', async () => {
    const entries = await loads(
      '<guild-knowledge-card card="1"></guild-knowledge-card><guild-discussion-thread subject="course-101/week-1" label="Week 1"></guild-discussion-thread>',
      'guild-discussion-thread article',
    );
    const tokens = find(entries, /^\/demo\/token/);
    const [card] = find(entries, /\/chunks\/knowledge-card-[^/]+\.js$/);
    const [thread] = find(entries, /\/chunks\/discussion-thread-[^/]+\.js$/);
    const [markdown] = find(entries, /\/chunks\/markdown-[^/]+\.js$/);
    assert.equal(tokens.length, 1, 'one token request for every element on the page');
    assert.ok(card && thread && markdown, `the card, thread and markdown chunks load: ${entries.map((e) => e.path).join(', ')}`);
    const [token] = tokens;
    assert.ok(token);
    // Asked for before the element code arrived, not after it ran.
    assert.ok(token.start < card.end && token.start < thread.end, `token at ${token.start} ms, card code done at ${card.end} ms, thread code at ${thread.end} ms`);
    assert.ok(markdown.start < card.end, `markdown asked for at ${markdown.start} ms, card code done at ${card.end} ms`);
    assert.deepEqual(run.problems, []);
  });

  it('fetches no token for a page without Guildkit elements, nor for one whose elements sit in a provider', async () => {
    const empty = await loads('<p id="plain">No widgets here.</p>', '#plain');
    assert.deepEqual(find(empty, /^\/demo\/token/), []);
    // The provider's elements use its settings: its own token URL, not the script tag's.
    const provided = await loads(
      '<guild-provider token-url="/demo/token?person=ada&amp;from=provider"><guild-knowledge-card card="1"></guild-knowledge-card></guild-provider>',
      'guild-knowledge-card [part="trust"]',
      'data-api="/api" data-token-url="/demo/token?person=grace&amp;from=script"',
    );
    assert.equal(find(provided, /from=provider/).length, 1, 'the provider’s token is fetched once');
    assert.deepEqual(find(provided, /from=script/), [], 'the script tag’s token is not fetched for a provider’s elements');
    assert.deepEqual(run.problems, []);
  });
});
