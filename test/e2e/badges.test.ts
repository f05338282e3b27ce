// End to end: badges earned live from real activity, verified in the page, on the built server and
// bundle, a real SQLite file, real HTTP and Debian's Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startDemo, type DemoRun } from './server.js';

const COMMUNITY = 'new-joiners';

interface WallBadge {
  achievement: { id: string; name: string };
}
interface Wall {
  earned: (WallBadge & { id: string; result: { status: string } })[];
  inProgress: (WallBadge & { current: number; target: number })[];
  locked: { id: string }[];
}

describe('badges in the demo, earned live and verified in the page', () => {
  let run: DemoRun;
  let base: string;
  const api = (person: string | undefined, method: string, path: string, body?: object) => run.api(person, method, `/api${path}`, body);
  const open = async (person: string) => ({ page: await run.open(`${base}/?as=${person}`), problems: run.problems });

  before(async () => {
    run = await startDemo('badges');
    base = run.base;
  });

  after(async () => {
    await run?.close();
  });

  /** The state a badge shows on the wall (`earned`, `in-progress`, `locked`, `revoked`…), waited for. */
  async function expectState(page: Page, name: string, state: string, what: string): Promise<void> {
    const card = page.locator('guild-badge-wall[user="me"] li[part="badge"]').filter({ has: page.locator('button.open', { hasText: new RegExp(`^${name}$`) }) });
    const deadline = Date.now() + 10_000;
    let last: string | null = null;
    while (Date.now() < deadline) {
      last = (await card.count()) === 1 ? await card.getAttribute('data-state') : `${await card.count()} cards`;
      if (last === state) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`${what}: "${name}" expected ${state}, last saw ${String(last)}`);
  }

  it('a newcomer posts, is thanked and has an answer accepted, and watches badges unlock live', async () => {
    const noor = await open('noor');
    await expectState(noor.page, 'First contribution', 'locked', 'before anything');
    await expectState(noor.page, 'Helpful', 'locked', 'before anything');
    await expectState(noor.page, 'Mentor', 'locked', 'before anything');
    await expectState(noor.page, 'Problem solver', 'locked', 'before anything');

    // Noor writes in the week-1 discussion, through the page's own composer.
    const thread = noor.page.locator('guild-discussion-thread[subject="course-101/week-1"]');
    await thread.locator('button.start').click();
    const box = thread.locator('guild-comment-composer.top textarea');
    await box.fill('Hello from my first day! The setup script worked first time.');
    await box.press('Control+Enter');
    await expectState(noor.page, 'First contribution', 'earned', 'after the first comment');
    await noor.page.waitForFunction(
      () => /First contribution/.test(document.querySelector('guild-badge-wall[user="me"]')?.shadowRoot?.querySelector('[role="status"][aria-live]')?.textContent ?? ''),
      undefined,
      { timeout: 10_000 },
    );

    // Mentoring kudos from three people: locked, then in progress, then earned.
    const mentors = ['ada', 'linus', 'mei'];
    for (const [n, giver] of mentors.entries()) {
      await api(giver, 'POST', '/kudos', { subject: `demo/noor/mentoring-${n}`, recipientId: 'noor', communityId: COMMUNITY, value: 'mentoring' });
      await expectState(noor.page, 'Mentor', n < 2 ? 'in-progress' : 'earned', `after ${n + 1} mentoring kudos`);
    }
    await expectState(noor.page, 'Helpful', 'in-progress', 'three kudos of five');

    // An answer of Noor's is accepted by the asker.
    const answer = (await api('noor', 'POST', '/comments', {
      subject: 'course-101/faq/git-setup',
      body: 'I used the dotfiles script, then `git config commit.gpgsign true`.',
    })) as { id: string };
    await api('linus', 'PATCH', `/threads?subject=${encodeURIComponent('course-101/faq/git-setup')}`, { acceptedCommentId: answer.id });
    await expectState(noor.page, 'Problem solver', 'in-progress', 'after one accepted answer');

    const wall = (await api('noor', 'GET', `/people/me/badges?community=${COMMUNITY}`)) as Wall;
    assert.deepEqual(wall.inProgress.find((p) => p.achievement.id === `${COMMUNITY}.problem-solver`), {
      ...wall.inProgress.find((p) => p.achievement.id === `${COMMUNITY}.problem-solver`),
      current: 1,
      target: 3,
    });
    assert.deepEqual(noor.problems, []);
  });

  it('the detail dialog verifies the credential by keyboard alone, then shows it revoked', async () => {
    const noor = await open('noor');
    await expectState(noor.page, 'Mentor', 'earned', 'on a fresh page');
    const opener = noor.page.locator('guild-badge-wall[user="me"] button.open', { hasText: /^Mentor$/ });
    await opener.focus();
    await noor.page.keyboard.press('Enter');
    const dialog = noor.page.locator('guild-badge-wall[user="me"] dialog[part="dialog"]');
    await dialog.waitFor({ state: 'visible' });
    const verdict = dialog.locator('guild-badge-verification .verdict');
    await verdict.waitFor({ timeout: 10_000 });
    assert.equal((await verdict.textContent())?.trim(), 'Verified');

    const linkedIn = new URL((await dialog.locator('a[href^="https://www.linkedin.com/profile/add"]').getAttribute('href')) ?? '');
    assert.equal(linkedIn.searchParams.get('name'), 'Mentor');
    assert.equal(linkedIn.searchParams.get('organizationName'), 'New Joiners Guild');
    assert.match(linkedIn.searchParams.get('certUrl') ?? '', new RegExp(`^${base}/badges/`));

    await noor.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(
      await noor.page.evaluate(() => document.querySelector('guild-badge-wall[user="me"]')?.shadowRoot?.activeElement?.textContent?.trim()),
      'Mentor',
      'focus returns to the badge that opened the dialog',
    );

    // A facilitator revokes it: the wall says so live, and so does the verification in the page.
    const wall = (await api('noor', 'GET', `/people/me/badges?community=${COMMUNITY}`)) as Wall;
    const mentor = wall.earned.find((a) => a.achievement.id === `${COMMUNITY}.mentor`);
    assert.ok(mentor);
    await api('ada', 'PUT', `/awards/${mentor.id}/revocation`, { reason: 'Kudos given by mistake' });
    await expectState(noor.page, 'Mentor', 'revoked', 'after the revocation');
    await opener.click();
    await dialog.waitFor({ state: 'visible' });
    await noor.page.waitForFunction(
      () => {
        const wallRoot = document.querySelector('guild-badge-wall[user="me"]')?.shadowRoot;
        return wallRoot?.querySelector('guild-badge-verification')?.shadowRoot?.querySelector('.verdict')?.textContent?.trim() === 'Revoked';
      },
      undefined,
      { timeout: 10_000 },
    );

    const publicPage = await fetch(`${base}/badges/${mentor.id}`);
    assert.equal(publicPage.status, 200);
    assert.match(await publicPage.text(), /Revoked[\s\S]*Kudos given by mistake/);
    assert.deepEqual(noor.problems, []);
  });

  it('the catalogue counts who earned each badge, with recent awards', async () => {
    const visitor = await open('tomas');
    const catalogue = visitor.page.locator(`guild-badge-wall[community="${COMMUNITY}"]:not([user])`);
    await catalogue.locator('li[part="badge"]').first().waitFor({ timeout: 10_000 });
    assert.ok((await catalogue.locator('li[part="badge"]').count()) >= 8);
    assert.ok((await catalogue.locator('li[part="recent"]').count()) >= 1, 'recent awards are listed');
    assert.deepEqual(visitor.problems, []);
  });
});
