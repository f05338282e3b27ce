// End to end: an accepted answer becomes a card, an expert verifies it, time passes and it needs
// review wherever it is embedded. The built server and bundle, a real SQLite file, Debian's Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startDemo, type DemoRun } from './server.js';

const QUESTION = 'course-101/faq/git-setup';

interface Card {
  id: string;
  title: string;
  status: string;
  url: string;
  credited?: { id: string };
  trust: { state: string };
}

describe('knowledge cards in the demo: from an answer to a card that stays true', () => {
  let run: DemoRun;
  let base: string;
  let cardId = '';
  let problems: string[] = [];
  const api = (person: string | undefined, method: string, path: string, body?: object) => run.api(person, method, path, body);
  const open = (url: string, html?: string): Promise<Page> => run.open(url, html);

  before(async () => {
    run = await startDemo('cards');
    base = run.base;
    problems = run.problems;
  });

  after(async () => {
    await run?.close();
  });

  /** A host page of the intranet that embeds one card, for `person`. */
  const hostPage = (person: string, card: string, view = 'full') => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title>
<script type="module" src="/guildkit/guildkit.js" data-api="/api" data-token-url="/demo/token?person=${person}"></script></head>
<body><main><guild-knowledge-card card="${card}" view="${view}"></guild-knowledge-card></main></body></html>`;

  async function trustOf(page: Page, selector: string): Promise<string | null> {
    const trust = page.locator(`${selector} [part="trust"]`).first();
    await trust.waitFor({ timeout: 10_000 });
    return trust.getAttribute('data-state');
  }

  async function waitForTrust(page: Page, selector: string, state: string, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    let last: string | null = null;
    while (Date.now() < deadline) {
      last = await trustOf(page, selector);
      if (last === state) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`${what}: expected ${state}, last saw ${String(last)}`);
  }

  it('the asker turns the accepted answer into a card, publishes it, and the thread links to it', async () => {
    const page = await api(undefined, 'GET', `/api/comments?subject=${encodeURIComponent(QUESTION)}`);
    const answer = (page as { items: { id: string; author: { id: string } | null }[] }).items.find((c) => c.author?.id === 'ada');
    assert.ok(answer, "Ada's answer is seeded");
    await api('linus', 'PATCH', `/api/threads?subject=${encodeURIComponent(QUESTION)}`, { acceptedCommentId: answer.id });

    const linus = await open(`${base}/?as=linus`);
    const thread = linus.locator(`guild-discussion-thread[subject="${QUESTION}"]`);
    await thread.locator('button[data-action="to-card"]').click();
    const editor = thread.locator('guild-knowledge-card guild-card-editor');
    await editor.locator('[name="title"]').waitFor({ timeout: 10_000 });
    assert.match(await editor.locator('[name="title"]').inputValue(), /How do I set up Git/);
    assert.match(await editor.locator('[name="body"]').inputValue(), /dotfiles|signing|ssh/i);
    await editor.locator('[name="summary"]').fill('Work email and signed commits in five minutes.');
    await editor.locator('[name="tags"]').fill('git, onboarding');
    await editor.getByRole('button', { name: 'Publish' }).click();

    await thread.locator('[part="cards"] a').first().waitFor({ timeout: 10_000 });
    const cards = (await api(undefined, 'GET', `/api/cards?sourceSubject=${encodeURIComponent(QUESTION)}`)) as { items: Card[] };
    const card = cards.items[0];
    assert.ok(card);
    assert.equal(card.status, 'published');
    assert.equal(card.credited?.id, 'ada', "the answer's author is credited");
    assert.equal(await thread.locator('[part="cards"] a').first().getAttribute('href'), card.url);
    cardId = card.id;
    assert.deepEqual(problems, []);
  });

  it('a facilitator verifies it in an intranet page; time passes and it needs review everywhere it is embedded', async () => {
    assert.ok(cardId, 'the first test made a card');
    const url = `${base}/intranet/card.html`;
    const ada = await open(url, hostPage('ada', cardId));
    const card = 'guild-knowledge-card';
    await waitForTrust(ada, card, 'unverified', 'a new card');
    await ada.locator(`${card} button[data-action="verify"]`).click();
    await ada.locator(`${card} form.panel button[type="submit"]`).click();
    await waitForTrust(ada, card, 'verified', 'after verifying');
    const verified = (await api(undefined, 'GET', `/api/cards/${cardId}`)) as Card;
    assert.equal(verified.trust.state, 'verified');

    // Another reader's page follows live.
    const mei = await open(url, hostPage('mei', cardId, 'compact'));
    await waitForTrust(mei, card, 'verified', 'compact view');

    // Time passes on the server: past the 90-day review interval.
    await api(undefined, 'POST', '/demo/clock', { days: 91 });
    try {
      await ada.reload();
      await waitForTrust(ada, card, 'needs-review', 'the full view after 91 days');
      await mei.reload();
      await waitForTrust(mei, card, 'needs-review', 'the compact view after 91 days');
      const demo = await open(`${base}/?as=tomas`);
      const listed = demo.locator('guild-knowledge-card[tag="onboarding"] li.compact', { hasText: 'How do I set up Git' });
      await listed.waitFor({ timeout: 10_000 });
      assert.equal(await listed.locator('[part="trust"]').getAttribute('data-state'), 'needs-review', 'the tag listing on the demo page');
      const publicPage = await open(`${base}/cards/${cardId}`);
      await waitForTrust(publicPage, card, 'needs-review', 'the public page');
      const html = await (await fetch(`${base}/cards/${cardId}`)).text();
      assert.match(html, /Needs review/);
      const oembed = (await api(undefined, 'GET', `/api/oembed?url=${encodeURIComponent(`${base}/cards/${cardId}`)}`)) as { html: string; title: string };
      assert.match(oembed.title, /How do I set up Git/);
      assert.match(oembed.html, /<iframe /);
    } finally {
      await api(undefined, 'POST', '/demo/clock', { days: 0 });
    }
    assert.deepEqual(problems, []);
  });
});
