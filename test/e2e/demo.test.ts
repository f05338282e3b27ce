// End to end: the built server and bundle, a real SQLite file, real HTTP, Debian's Chromium.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/chromium.mjs';
import { freePort, startServer } from './server.js';


interface Visitor {
  page: Page;
  problems: string[];
}

async function visit(browser: Browser, base: string, person: string): Promise<Visitor> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('favicon')) problems.push(`console: ${message.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(`${base}/?as=${person}`);
  return { page, problems };
}

function button(page: Page, subject: string) {
  return page.locator(`guild-kudos-button[subject="${subject}"] button[part="button"]`);
}

function count(page: Page, subject: string) {
  return page.locator(`guild-kudos-button[subject="${subject}"] .count`);
}

async function waitForText(read: () => Promise<string | null>, expected: string, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await read();
    if (last === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`${what}: expected "${expected}", last saw "${last}"`);
}

describe('the demo page, as two people in two windows', () => {
  let server: ChildProcess;
  let browser: Browser;
  let base: string;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'guildkit-e2e-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = (await startServer(port, join(dataDir, 'guild.sqlite'))).child;
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });

  after(async () => {
    await browser?.close();
    server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives and takes back kudos, and each window sees the other live', async () => {
    const subject = 'onboarding/week-1/buddy-session';
    const linus = await visit(browser, base, 'linus');
    const mei = await visit(browser, base, 'mei');
    await waitForText(() => count(linus.page, subject).textContent(), '0', 'initial count for Linus');
    await waitForText(() => count(mei.page, subject).textContent(), '0', 'initial count for Mei');
    // Let both pages open their event stream before anyone acts.
    await linus.page.waitForTimeout(300);

    await button(linus.page, subject).click();
    await waitForText(() => button(linus.page, subject).getAttribute('aria-pressed'), 'true', 'Linus pressed');
    await waitForText(() => count(linus.page, subject).textContent(), '1', 'Linus sees his kudos');
    await waitForText(() => count(mei.page, subject).textContent(), '1', 'Mei sees Linus’s kudos live');
    assert.equal(await button(mei.page, subject).getAttribute('aria-pressed'), 'false');

    await button(mei.page, subject).click();
    await waitForText(() => count(mei.page, subject).textContent(), '2', 'Mei gave too');
    await waitForText(() => count(linus.page, subject).textContent(), '2', 'Linus sees Mei’s kudos live');
    assert.equal(await button(linus.page, subject).getAttribute('aria-pressed'), 'true');

    await button(linus.page, subject).click();
    await waitForText(() => button(linus.page, subject).getAttribute('aria-pressed'), 'false', 'Linus took his back');
    await waitForText(() => count(mei.page, subject).textContent(), '1', 'Mei sees the take-back live');

    // What the server stored survives a reload.
    await linus.page.reload();
    await waitForText(() => count(linus.page, subject).textContent(), '1', 'count after reload');
    assert.equal(await button(linus.page, subject).getAttribute('aria-pressed'), 'false');

    assert.deepEqual([...linus.problems, ...mei.problems], []);
  });

  it('gives kudos with a value and a message from the popover; taking it back gives the allowance back', async () => {
    const subject = 'onboarding/week-1/code-review';
    const mei = await visit(browser, base, 'mei');
    const host = mei.page.locator(`guild-kudos-button[subject="${subject}"]`);
    await host.locator('.count').waitFor();
    await host.locator('button.more').click();
    const popover = host.locator('guild-kudos-popover');
    const allowance = popover.locator('[part="allowance"]');
    await allowance.waitFor();
    const before = Number(/^(\d+)/.exec((await allowance.textContent())?.trim() ?? '')?.[1]);
    assert.ok(before > 0, 'some kudos left this week');
    await popover.getByLabel('Mentoring').check();
    await popover.getByLabel('Message (optional)').fill('Your review checklist saved my first day.');
    await popover.getByRole('button', { name: 'Give kudos' }).click();
    await waitForText(() => button(mei.page, subject).getAttribute('aria-pressed'), 'true', 'Mei gave kudos from the popover');
    // The button shows the kudos at once; the feed has it once the server confirmed it.
    await waitForText(() => button(mei.page, subject).getAttribute('aria-busy'), 'false', 'the server confirmed Mei’s kudos');
    const feed: unknown = await (await fetch(`${base}/api/kudos?community=new-joiners`)).json();
    assert.ok(typeof feed === 'object' && feed !== null && 'items' in feed && Array.isArray(feed.items));
    const mine = (feed.items as { subject: string; giver: { id: string }; message?: string; value?: string }[]).find((k) => k.subject === subject && k.giver.id === 'mei');
    assert.equal(mine?.message, 'Your review checklist saved my first day.');
    assert.equal(mine?.value, 'mentoring');
    // Taking it back and opening the popover again shows the allowance as it now stands.
    await button(mei.page, subject).click();
    await waitForText(() => button(mei.page, subject).getAttribute('aria-pressed'), 'false', 'Mei took it back');
    await waitForText(() => button(mei.page, subject).getAttribute('aria-busy'), 'false', 'the server confirmed the take-back');
    await host.locator('button.more').click();
    await waitForText(async () => (await host.locator('guild-kudos-popover [part="allowance"]').textContent())?.trim().split(' ')[0] ?? null, String(before), 'a withdrawn kudos gives the allowance back');
    await mei.page.keyboard.press('Escape');
    await waitForText(async () => String(await host.locator('guild-kudos-popover').count()), '0', 'Escape closes the popover');
    assert.deepEqual(mei.problems, []);
  });

  it('updates the spotlight and the kudos feed live in another window (Tomás reads German)', async () => {
    const subject = 'onboarding/week-1/on-call-primer';
    const linus = await visit(browser, base, 'linus');
    const tomas = await visit(browser, base, 'tomas');
    const spotlight = tomas.page.locator('guild-spotlight:not([view])');
    const feed = tomas.page.locator('guild-spotlight[view="feed"]');
    await spotlight.locator('[part="entry"]').first().waitFor();
    await feed.locator('[part="entry"]').first().waitFor();
    assert.equal(await spotlight.locator('[part="entry"]', { hasText: 'Mei Tanaka' }).count(), 0, 'Mei has no kudos this week yet');
    await tomas.page.waitForTimeout(300);
    await count(linus.page, subject).waitFor();
    await button(linus.page, subject).click();
    await waitForText(() => button(linus.page, subject).getAttribute('aria-pressed'), 'true', 'Linus thanked Mei');
    await spotlight.locator('[part="entry"]', { hasText: 'Mei Tanaka' }).waitFor({ timeout: 10_000 });
    await feed.locator('[part="entry"]', { hasText: 'Linus Mbeki dankt Mei Tanaka' }).waitFor({ timeout: 10_000 });
    assert.deepEqual([...linus.problems, ...tomas.problems], []);
  });

  it('refuses kudos to yourself on the page', async () => {
    const ada = await visit(browser, base, 'ada');
    const subject = 'onboarding/week-1/code-review';
    await waitForText(() => button(ada.page, subject).getAttribute('aria-disabled'), 'true', 'Ada cannot thank herself');
    const note = ada.page.locator(`guild-kudos-button[subject="${subject}"] [part="note"]`);
    assert.equal(await note.textContent(), 'This is yours: kudos are for thanking someone else.');
    assert.deepEqual(ada.problems, []);
  });

  it('runs a live discussion between two windows: post, new-comment notice, react, reply, edit, accept, hide, drafts', async () => {
    const thread = (page: Page) => page.locator('guild-discussion-thread[subject="course-101/week-1"]');
    const question = (page: Page) => page.locator('guild-discussion-thread[subject="course-101/faq/git-setup"]');
    const linus = await visit(browser, base, 'linus');
    const mei = await visit(browser, base, 'mei');
    await thread(linus.page).locator('h2.title').waitFor();
    await thread(mei.page).locator('h2.title').waitFor();
    await linus.page.waitForTimeout(300);

    // Linus writes with markdown and sends by keyboard.
    await thread(linus.page).locator('button.start').click();
    const box = thread(linus.page).locator('guild-comment-composer.top textarea');
    await box.fill('Found it: run **bootstrap --vpn** first.');
    await box.press('Control+Enter');
    const mine = thread(linus.page).locator('article', { hasText: 'Found it: run' });
    await mine.locator('strong', { hasText: 'bootstrap --vpn' }).waitFor();
    await waitForText(async () => (await mine.getAttribute('aria-busy')) ?? '', 'false', 'the comment is confirmed');

    // Mei is offered it without her page moving, then shows it.
    const notice = thread(mei.page).locator('[part="new-comments"]');
    await waitForText(() => notice.textContent().then((t) => t?.trim() ?? null), 'Show 1 new comment', 'Mei is told about the new comment');
    assert.equal(await thread(mei.page).locator('article', { hasText: 'Found it: run' }).count(), 0);
    await notice.click();
    const seenByMei = thread(mei.page).locator('article', { hasText: 'Found it: run' });
    await seenByMei.waitFor();

    // Mei reacts; Linus sees the count live.
    await seenByMei.locator('.reaction button').first().click();
    await waitForText(() => mine.locator('.reaction button').first().getAttribute('aria-label'), '👍 1: Mei Tanaka', 'Linus sees Mei’s reaction');

    // Mei replies.
    await seenByMei.getByRole('button', { name: 'Reply', exact: true }).click();
    const replyBox = thread(mei.page).locator('guild-comment-composer[data-editing] textarea');
    await replyBox.fill('Thanks, that worked for me too.');
    await thread(mei.page).locator('guild-comment-composer[data-editing] [part="submit"]').click();
    await thread(mei.page).locator('article', { hasText: 'Thanks, that worked' }).waitFor();

    // Linus edits; Mei sees the new text and the edited mark live.
    await mine.getByRole('button', { name: 'Edit', exact: true }).click();
    const editBox = thread(linus.page).locator('guild-comment-composer[data-editing] textarea');
    await editBox.fill('Found it: run `bootstrap --vpn` before anything else.');
    await editBox.press('Control+Enter');
    await seenByMei.locator('code', { hasText: 'bootstrap --vpn' }).waitFor();
    await seenByMei.locator('.meta', { hasText: 'edited' }).waitFor();

    // Linus asked the Git question: he accepts Ada's answer, and Mei sees it answered.
    await question(linus.page).locator('article', { hasText: 'gpg.format ssh' }).getByRole('button', { name: 'Accept answer' }).click();
    await question(linus.page).locator('.head .accepted-badge', { hasText: 'Answered' }).waitFor();
    await question(mei.page).locator('.head .accepted-badge', { hasText: 'Answered' }).waitFor();

    // Grace, a facilitator, hides Mei's reply: Linus sees only a placeholder.
    const grace = await visit(browser, base, 'grace');
    const graceThread = thread(grace.page);
    const linusComment = graceThread.locator('article', { hasText: 'bootstrap --vpn' });
    await linusComment.waitFor();
    const showReplies = graceThread.getByRole('button', { name: /^Show 1 reply$/ }).last();
    if (await showReplies.count()) await showReplies.click();
    await graceThread.locator('article', { hasText: 'Thanks, that worked' }).getByRole('button', { name: 'Hide' }).click();
    await linus.page.reload();
    await thread(linus.page).locator('h2.title').waitFor();
    const replies = thread(linus.page).getByRole('button', { name: /^Show 1 reply$/ });
    assert.equal(await replies.count(), 0, 'a hidden reply without replies is not even counted for members');

    // A draft survives a reload, and is gone once sent.
    await thread(linus.page).locator('button.start').click();
    await thread(linus.page).locator('guild-comment-composer.top textarea').fill('Half-written thought');
    await linus.page.waitForTimeout(600);
    await linus.page.reload();
    await waitForText(() => thread(linus.page).locator('guild-comment-composer.top textarea').inputValue(), 'Half-written thought', 'the draft came back');

    assert.deepEqual([...linus.problems, ...mei.problems, ...grace.problems], []);
  });

  it('serves the script-tag bundle and the demo endpoints at their fixed points', async () => {
    const bundle = await fetch(`${base}/guildkit/guildkit.js`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
    const people: unknown = await (await fetch(`${base}/demo/people`)).json();
    assert.ok(typeof people === 'object' && people !== null && 'items' in people && Array.isArray(people.items));
    assert.ok(people.items.length >= 5);
    const token: unknown = await (await fetch(`${base}/demo/token?person=grace`)).json();
    assert.ok(typeof token === 'object' && token !== null && 'token' in token && typeof token.token === 'string');
    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token.token}` } });
    assert.equal(me.status, 200);
  });
});
