// End to end: axe on the whole demo page (every element, against the real server) in the states a
// visitor reaches: reading, a badge's dialog open, the card editor and the composer open.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startDemo, type DemoRun } from './server.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  targets: string[];
}

/** axe over the whole document, shadow roots included; the demo's CSP is bypassed only to inject axe. */
async function violations(page: Page): Promise<Violation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
}

describe('the demo page passes axe with every element on it', () => {
  let run: DemoRun;

  before(async () => {
    run = await startDemo('a11y');
  });

  after(async () => {
    await run?.close();
  });

  async function open(person: string): Promise<Page> {
    const context = await run.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    page.on('pageerror', (error) => run.problems.push(`pageerror: ${error.message}`));
    await page.goto(`${run.base}/?as=${person}`);
    // Every element has rendered its content, not its skeleton.
    await page.locator('guild-badge-wall[user="me"] [part="summary"]').waitFor({ timeout: 15_000 });
    await page.locator('guild-knowledge-card[card="1"] [part="trust"]').waitFor({ timeout: 15_000 });
    await page.locator('guild-discussion-thread[subject="course-101/week-1"] article').first().waitFor({ timeout: 15_000 });
    await page.locator('guild-spotlight [part="title"]').first().waitFor({ timeout: 15_000 });
    return page;
  }

  it('as a signed-in member, then with a badge dialog, the card editor and the composer open', async () => {
    const page = await open('ada');
    assert.deepEqual(await violations(page), [], 'reading');

    await page.locator('guild-badge-wall[user="me"] button.open').first().click();
    await page.locator('guild-badge-wall[user="me"] dialog[part="dialog"]').waitFor({ state: 'visible' });
    await page.waitForTimeout(500);
    assert.deepEqual(await violations(page), [], 'a badge dialog open');
    await page.keyboard.press('Escape');

    await page.locator('details.write summary').click();
    await page.locator('guild-knowledge-card[new] guild-card-editor [name="title"]').waitFor({ timeout: 10_000 });
    await page.locator('guild-discussion-thread[subject="course-101/week-1"] button.start').click();
    await page.locator('guild-discussion-thread[subject="course-101/week-1"] guild-comment-composer.top textarea').waitFor({ timeout: 10_000 });
    assert.deepEqual(await violations(page), [], 'the card editor and the composer open');
    assert.deepEqual(run.problems, []);
  });
});
