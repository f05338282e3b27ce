import { expect, waitUntil } from '@open-wc/testing';
import '../../src/define/kudos-button.js';
import type { GuildKudosButton } from '../../src/elements/kudos-button/kudos-button.js';
import { configure, pageConfig } from '../../src/internal/config.js';
import { EventStreamMock, json, mockApi, summary, testConfig } from './mock-api.js';

/** What careless or hostile host pages put in their global stylesheet. */
const HOSTILE_CSS = `
  * { all: unset !important; }
  div, span, button { display: none !important; }
  html, body, section, guild-kudos-button { font-size: 64px !important; }
  button { background: red !important; color: red !important; }
`;

function inner(el: GuildKudosButton): HTMLButtonElement {
  const button = el.shadowRoot?.querySelector<HTMLButtonElement>('button[part="button"]');
  if (!button) throw new Error('no button');
  return button;
}

const sections: HTMLElement[] = [];

async function renderButton(): Promise<GuildKudosButton> {
  const subject = `host-${Math.random().toString(36).slice(2)}`;
  const api = mockApi({
    'GET /api/events': new EventStreamMock().handler,
    'GET /api/kudos/summaries': () => json({ items: [summary(subject, { count: 3 })] }),
  });
  configure({ ...testConfig, fetch: api.fetch });
  // Straight under <body>: the fixture's own <div> would be hidden by the page's "div { display: none }".
  const section = document.createElement('section');
  section.style.fontFamily = 'Georgia, serif';
  const el = document.createElement('guild-kudos-button');
  el.subject = subject;
  section.append(el);
  document.body.append(section);
  sections.push(section);
  await waitUntil(() => el.shadowRoot?.querySelector('.count'), 'never loaded');
  return el;
}

describe('on a hostile host page', () => {
  let style: HTMLStyleElement | undefined;

  afterEach(() => {
    style?.remove();
    for (const section of sections.splice(0)) section.remove();
    pageConfig.set({});
  });

  it('looks and works the same, inheriting only the page font and the --guild-* tokens', async () => {
    const calm = await renderButton();
    const before = getComputedStyle(inner(calm));
    const expected = { fontSize: before.fontSize, padding: before.paddingInlineStart, background: before.backgroundColor, display: before.display };
    expect(before.fontFamily).to.contain('Georgia');
    for (const section of sections.splice(0)) section.remove();

    style = document.createElement('style');
    style.textContent = HOSTILE_CSS;
    document.head.append(style);
    const el = await renderButton();
    const button = inner(el);
    const after = getComputedStyle(button);
    expect({ fontSize: after.fontSize, padding: after.paddingInlineStart, background: after.backgroundColor, display: after.display }).to.deep.equal(expected);
    expect(after.fontSize).to.equal('15px');
    // The family is the page's, whatever the page made of it.
    expect(after.fontFamily).to.equal(getComputedStyle(el).fontFamily);
    const box = button.getBoundingClientRect();
    expect(box.width).to.be.greaterThan(40);
    expect(box.height).to.be.greaterThan(20);
    button.click();
    await el.updateComplete;
  });

  it('takes the page’s theme tokens', async () => {
    const el = await renderButton();
    const host = el.closest('section');
    host?.style.setProperty('--guild-kudos-button-background', 'rgb(10, 20, 30)');
    await el.updateComplete;
    expect(getComputedStyle(inner(el)).backgroundColor).to.equal('rgb(10, 20, 30)');
  });
});
