import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { GuildCardEditor, type GuildCardEditorFailedEvent } from '../../src/elements/knowledge-card/card-editor.js';
import { GuildKnowledgeCard, type GuildCardOpenEvent, type GuildCardSavedEvent } from '../../src/elements/knowledge-card/knowledge-card.js';
import { autoload } from '../../src/internal/autoload.js';
import { configure, pageConfig } from '../../src/internal/config.js';
import { define } from '../../src/internal/define.js';
import { translator } from '../../src/internal/i18n.js';
import { card, cardData, cardRoutes, EventStreamMock, fakeToken, json, me, mockApi, nextTask, person, problem, testConfig, type Card, type CardEvent } from './mock-api.js';
import { clean, farOffScreen, shadow, text, texts } from './dom.js';

/**
 * The panels (forms, history) load as the script-tag bundle loads them, on first need; a test can
 * count the loads, hold the next ones back (a slow network) and make them fail.
 */
const panelChunk: { loads: number; fail: boolean; held: Promise<void> | undefined } = { loads: 0, fail: false, held: undefined };
define('guild-knowledge-card', GuildKnowledgeCard);
define('guild-card-editor', GuildCardEditor);
autoload({
  'guild-card-panel': async () => {
    panelChunk.loads += 1;
    await panelChunk.held;
    if (panelChunk.fail) throw new Error('offline');
    const { GuildCardPanel } = await import('../../src/elements/knowledge-card/card-panel.js');
    define('guild-card-panel', GuildCardPanel);
  },
});

/** Holds the panels' chunk back until the returned function lets it go. */
function slowPanelChunk(): () => void {
  let release = () => {};
  panelChunk.held = new Promise<void>((resolve) => (release = resolve));
  return () => {
    panelChunk.held = undefined;
    release();
  };
}

/** Runs `body` with console.error captured, and gives back what it was called with. */
async function capturingErrors(body: () => Promise<void>): Promise<unknown[]> {
  const errors: unknown[][] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => errors.push(args);
  try {
    await body();
  } finally {
    console.error = consoleError;
  }
  return errors.map((args) => args[0]);
}

const GRACE = person('grace', 'Grace Hopper');
const ADA = person('ada', 'Ada Okafor');
const MEI = person('mei', 'Mei Tanaka');
const LINUS = person('linus', 'Linus Pauling');
const NAMES: Record<string, ReturnType<typeof person>> = { grace: GRACE, ada: ADA, mei: MEI, linus: LINUS };

function buttonIn(root: ParentNode, label: string): HTMLButtonElement | undefined {
  return [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => clean(b.textContent) === label);
}

function button(el: Element, label: string): HTMLButtonElement {
  const found = buttonIn(shadow(el), label);
  if (!found) throw new Error(`no "${label}" button`);
  return found;
}

/** The first match of `selector` inside the card's panels (forms, history, the link to copy). */
function inPanel<T extends Element = HTMLElement>(el: Element, selector: string): T | undefined {
  for (const panel of shadow(el).querySelectorAll('guild-card-panel')) {
    const found = panel.shadowRoot?.querySelector<T>(selector);
    if (found) return found;
  }
  return undefined;
}

function panelWith(el: Element, selector: string): HTMLElement {
  const found = [...shadow(el).querySelectorAll<HTMLElement>('guild-card-panel')].find((panel) => panel.shadowRoot?.querySelector(selector));
  if (!found) throw new Error(`no panel with ${selector}`);
  return found;
}

function editorOf(el: Element): ShadowRoot {
  const found = shadow(el).querySelector('guild-card-editor');
  if (!found) throw new Error('no editor');
  return shadow(found);
}

function field<T extends HTMLElement = HTMLInputElement>(root: ShadowRoot, name: string): T {
  const found = root.querySelector<T>(`[name="${name}"]`);
  if (!found) throw new Error(`no field ${name}`);
  return found;
}

/** Types into the focused field, as a person does. */
async function type(value: string): Promise<void> {
  await sendKeys({ type: value });
}

async function press(key: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i += 1) await sendKeys({ press: key });
}

/** The element focused inside `el`'s shadow root (and inside the editor's, when it is focused). */
function focused(el: Element): Element | null {
  let active = shadow(el).activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

interface ServerOptions {
  /** Signed in as (default `grace`), or `null` for anonymous. */
  who?: string | null;
  facilitator?: boolean;
  cards?: Card[];
  extra?: Parameters<typeof mockApi>[0];
}

/** An in-memory card server. */
function cardServer(options: ServerOptions = {}) {
  const who = options.who === undefined ? 'grace' : options.who;
  const events = new EventStreamMock();
  const data = cardData(options.cards ?? [card('k1')], who, Object.fromEntries(Object.values(NAMES).map((p) => [p.id, p.name])));
  const identity = () => {
    if (!who) return problem(401, 'unauthorized');
    const mine = me(who);
    const membership = mine.memberships[0];
    return json({
      ...mine,
      person: NAMES[who] ?? person(who),
      memberships: membership && options.facilitator ? [{ ...membership, role: 'facilitator' }] : mine.memberships,
    });
  };
  const api = mockApi({
    'GET /api/me': identity,
    'GET /api/events': events.handler,
    ...cardRoutes(data),
    ...options.extra,
  });
  configure({ ...testConfig, fetch: api.fetch, getToken: who ? () => fakeToken(who) : undefined });
  return { api, events, data, cardGets: () => api.callsTo('GET', '/api/cards') };
}

async function loaded(el: GuildKnowledgeCard): Promise<void> {
  await waitUntil(() => shadow(el).querySelector('[part="trust"], [part="error"], .note, guild-card-editor, .list'), 'never loaded', { timeout: 3000 });
  await el.updateComplete;
}

/** Waits for the session too: what a signed-in person may do shows once the page knows who they are. */
async function ready(el: GuildKnowledgeCard, server: ReturnType<typeof cardServer>): Promise<void> {
  await loaded(el);
  await waitUntil(() => server.api.callsTo('GET', '/api/me').length > 0 || !server.data.who, 'no session');
  await nextTask(20);
  await el.updateComplete;
}

async function editorReady(el: GuildKnowledgeCard): Promise<ShadowRoot> {
  await waitUntil(() => shadow(el).querySelector('guild-card-editor')?.shadowRoot?.querySelector('[name="title"]'), 'no editor', { timeout: 3000 });
  return editorOf(el);
}

const VERIFIED = card('k1', {
  title: 'How we run CI',
  summary: 'The pipeline, step by step.',
  body: 'Run `npm test` **before** pushing.\n\n- lint\n- test\n\nSee [the docs](https://docs.example.com/ci).',
  tags: ['ci', 'onboarding'],
  author: GRACE,
  lastEditor: ADA,
  experts: [ADA, MEI],
  version: 3,
  credited: LINUS,
  trust: { state: 'verified', verifiedBy: ADA, verifiedAt: '2026-11-20T10:00:00.000Z', reviewBy: '2027-02-18T10:00:00.000Z' },
  helpful: { yes: 4, no: 1, myVote: null },
  views: 12,
});

describe('guild-knowledge-card', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    fixtureCleanup();
    pageConfig.set({});
    localStorage.clear();
    Object.assign(panelChunk, { loads: 0, fail: false, held: undefined });
  });

  // First: the panels' chunk is not loaded yet (a tag, once defined, stays defined for the page).
  describe('lazy panels', () => {
    it('loads nothing for a compact card or a tag listing, even when reached', async () => {
      const server = cardServer({ cards: [VERIFIED] });
      const page = await fixture<HTMLElement>(html`<div>
        <guild-knowledge-card card="k1" view="compact"></guild-knowledge-card>
        <guild-knowledge-card tag="ci"></guild-knowledge-card>
      </div>`);
      const [compact, listing] = page.querySelectorAll('guild-knowledge-card');
      if (!compact || !listing) throw new Error('no cards');
      await ready(compact, server);
      await waitUntil(() => shadow(listing).querySelector('.list'), 'no list');
      for (const el of [compact, listing]) shadow(el).querySelector('[part="title"]')?.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
      await nextTask(50);
      expect(panelChunk.loads).to.equal(0);
      expect(customElements.get('guild-card-panel')).to.equal(undefined);
    });

    it('says at once, in place and politely, that a form or the history is loading on a slow network; a failed load says so', async () => {
      const server = cardServer({ who: 'ada', cards: [card('k1', { experts: [ADA] })] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      await waitUntil(() => buttonIn(shadow(el), 'Verify'), 'no verify button');
      const release = slowPanelChunk();
      const errors = await capturingErrors(async () => {
        try {
          shadow(el).querySelector<HTMLButtonElement>('[data-action="history"]')?.focus();
          await press('Enter');
          await waitUntil(() => text(el, '#versions [role="status"]') === 'Loading the versions…', 'the history says nothing while it loads');
          expect(shadow(el).querySelector('#versions')?.hasAttribute('hidden')).to.equal(false);
          button(el, 'Verify').focus();
          await press('Enter');
          const where = () => shadow(el).querySelector('[part="actions"]')?.nextElementSibling;
          await waitUntil(() => where()?.getAttribute('role') === 'status', 'the form says nothing while it loads');
          expect(clean(where()?.textContent)).to.equal('Loading…');
          expect(button(el, 'Verify').getAttribute('aria-expanded')).to.equal('true');
          expect(focused(el)?.getAttribute('data-action')).to.equal('verify');
          expect(panelChunk.loads).to.equal(1);
          await expect(el).to.be.accessible();
          // The network gives up: the readable error with Try again stands where each was loading.
          panelChunk.fail = true;
          release();
          await waitUntil(() => shadow(el).querySelectorAll('[part="error"] [role="alert"]').length === 2, 'no errors');
          expect(texts(el, '[part="error"] [role="alert"]')).to.deep.equal(['This part of the card could not be loaded.', 'This part of the card could not be loaded.']);
          expect(texts(el, '[part="error"] button')).to.deep.equal(['Try again', 'Try again']);
          expect(shadow(el).querySelector('[role="status"][tabindex]')).to.equal(null);
          expect(focused(el)?.getAttribute('data-action')).to.equal('verify');
          await expect(el).to.be.accessible();
        } finally {
          release();
        }
      });
      expect(errors).to.deep.equal(['Guildkit: <guild-card-panel> could not be loaded.']);
      expect(customElements.get('guild-card-panel')).to.equal(undefined);
    });

    it('reads a full card without loading its panels; the first reach loads them, and a failed load says so and tries again', async () => {
      const server = cardServer({ who: 'ada', cards: [card('k1', { experts: [ADA] })] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      await waitUntil(() => buttonIn(shadow(el), 'Verify'), 'no verify button');
      await nextTask(50);
      expect(customElements.get('guild-card-panel')).to.equal(undefined);
      expect(panelChunk.loads).to.equal(0);
      expect(shadow(el).querySelector('guild-card-panel')).to.equal(null);
      // The reader reaches for the card: the panels start loading (here, the network fails).
      const errors: unknown[][] = [];
      const consoleError = console.error;
      console.error = (...args: unknown[]) => errors.push(args);
      try {
        panelChunk.fail = true;
        shadow(el).querySelector('[part="body"]')?.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
        await waitUntil(() => panelChunk.loads === 1, 'not loaded on the first reach');
        await nextTask(20);
        // Nothing was asked for yet: nothing to say.
        expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
        // Asked for: tried again, and the failure is said where the form would be.
        button(el, 'Verify').focus();
        await press('Enter');
        await waitUntil(() => text(el, '[part="error"] [role="alert"]') !== '', 'no error');
        expect(panelChunk.loads).to.equal(2);
        expect(text(el, '[part="error"] [role="alert"]')).to.equal('This part of the card could not be loaded.');
        expect(button(el, 'Verify').getAttribute('aria-expanded')).to.equal('true');
        await expect(el).to.be.accessible();
        // Tried again, failed again: focus, which "Try again" took away with it, comes back to it.
        button(el, 'Try again').focus();
        await press('Enter');
        await waitUntil(() => panelChunk.loads === 3, 'not tried again');
        await waitUntil(() => focused(el) === buttonIn(shadow(el), 'Try again'), 'focus not back on Try again');
        expect(text(el, '[part="error"] [role="alert"]')).to.equal('This part of the card could not be loaded.');
        await expect(el).to.be.accessible();
      } finally {
        console.error = consoleError;
        panelChunk.fail = false;
      }
      expect(errors.map((args) => args[0])).to.deep.equal([
        'Guildkit: <guild-card-panel> could not be loaded.',
        'Guildkit: <guild-card-panel> could not be loaded.',
        'Guildkit: <guild-card-panel> could not be loaded.',
      ]);
      // Tried again on a slow network: focus waits on the loading line, then goes to the form.
      const release = slowPanelChunk();
      button(el, 'Try again').focus();
      await press('Enter');
      await waitUntil(() => focused(el)?.getAttribute('role') === 'status', 'focus not on the loading line');
      expect(clean(focused(el)?.textContent)).to.equal('Loading…');
      await expect(el).to.be.accessible();
      release();
      await waitUntil(() => focused(el)?.id === 'verify-days', 'the form did not open');
      expect(customElements.get('guild-card-panel')).to.not.equal(undefined);
      expect(shadow(el).querySelector('[part="error"]')).to.equal(null);
      await expect(el).to.be.accessible();
      await press('Escape');
      await waitUntil(() => focused(el)?.getAttribute('data-action') === 'verify', 'focus not back on Verify');
      // The form, once there, works by keyboard.
      await press('Enter');
      await waitUntil(() => focused(el)?.id === 'verify-days', 'the form did not open again');
      await type('30');
      await press('Enter');
      await waitUntil(() => text(el, '.action-status') === 'Verified. Thank you.', 'not verified');
      expect(server.api.callsTo('POST', '/api/cards/k1/verifications')[0]?.body).to.deep.equal({ reviewIntervalDays: 30 });
      expect(focused(el)?.getAttribute('data-action')).to.equal('verify');
      await expect(el).to.be.accessible();
    });
  });

  describe('states', () => {
    it('costs no style or layout far off screen, and is drawn once scrolled near', async () => {
      cardServer();
      const el = await farOffScreen<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await waitUntil(() => shadow(el).querySelector('[part="trust"]'), 'not loaded');
      const base = shadow(el).querySelector<HTMLElement>('[part="base"]');
      if (!base) throw new Error('no base');
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      expect(base.checkVisibility({ contentVisibilityAuto: true }), 'skipped far off screen').to.equal(false);
      el.scrollIntoView();
      await waitUntil(() => base.checkVisibility({ contentVisibilityAuto: true }), 'not drawn once in view');
    });

    it('shows an accessible, busy skeleton while loading', async () => {
      const server = cardServer({ extra: { 'GET /api/cards': () => new Promise<Response>(() => undefined) } });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await waitUntil(() => server.cardGets().length === 1, 'no request');
      await el.updateComplete;
      expect(shadow(el).querySelector('.skeleton')).to.not.equal(null);
      expect(shadow(el).querySelector('[part="base"]')?.getAttribute('aria-busy')).to.equal('true');
      expect(text(el, '.visually-hidden[role="status"]')).to.equal('Loading the card…');
      await expect(el).to.be.accessible();
    });

    it('shows a full card: trust, title, summary, markdown, tags, people, history line, votes, views and related cards', async () => {
      const related = card('k2', { title: 'Flaky tests', tags: ['ci'] });
      const server = cardServer({ who: 'mei', cards: [VERIFIED, related] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      expect(server.cardGets()[0]?.url.searchParams.get('ids')).to.equal('k1');
      expect(text(el, '[part="trust"]')).to.equal('✓ Verified by Ada Okafor on Nov 20, 2026 · review by Feb 18, 2027');
      expect(text(el, '[part="title"]')).to.equal('How we run CI');
      expect(text(el, '[part="summary"]')).to.equal('The pipeline, step by step.');
      expect(text(el, '[part="body"] strong')).to.equal('before');
      expect(shadow(el).querySelector('[part="body"] a')?.getAttribute('href')).to.equal('https://docs.example.com/ci');
      expect(texts(el, '[part="tags"] li')).to.deep.equal(['ci', 'onboarding']);
      expect(text(el, '.people')).to.equal('By Grace Hopper · From an answer by Linus Pauling · Experts: Ada Okafor and Mei Tanaka');
      expect(text(el, '[part="history"] button')).to.equal('Edited by Ada Okafor · 3 versions');
      expect(text(el, '.views')).to.match(/^1[23] views$/);
      await waitUntil(() => text(el, '[part="related"] a') === 'Flaky tests', 'no related cards');
      expect(server.cardGets().some((call) => call.url.searchParams.get('related') === 'k1')).to.equal(true);
      expect(shadow(el).querySelector('[part="related"] a')?.getAttribute('href')).to.equal('https://guild.example.com/cards/k2');
      // The view is counted once, for someone signed in.
      await waitUntil(() => server.api.callsTo('POST', '/api/cards/k1/views').length === 1, 'view not recorded');
      await waitUntil(() => text(el, '.views') === '13 views', 'view count not updated');
      await expect(el).to.be.accessible();
      expect(server.api.unhandled).to.deep.equal([]);
    });

    it('says "Needs review" once the review date passed, with the last verification', async () => {
      const server = cardServer({
        cards: [card('k1', { trust: { state: 'needs-review', verifiedBy: ADA, verifiedAt: '2026-08-01T10:00:00.000Z', reviewBy: '2026-10-30T10:00:00.000Z' } })],
      });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      expect(text(el, '[part="trust"]')).to.equal('! Needs review · review was due Oct 30, 2026 · last verified by Ada Okafor on Aug 1, 2026');
      expect(shadow(el).querySelector('[part="trust"]')?.getAttribute('data-state')).to.equal('needs-review');
      await expect(el).to.be.accessible();
    });

    it('says "Outdated" with the reason, who flagged it and when', async () => {
      const server = cardServer({
        cards: [card('k1', { trust: { state: 'outdated', flagReason: 'The pipeline moved to GitHub Actions.', flaggedBy: MEI, flaggedAt: '2026-11-25T10:00:00.000Z' } })],
      });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      expect(text(el, '[part="trust"]')).to.equal('! Outdated: The pipeline moved to GitHub Actions. · flagged by Mei Tanaka on Nov 25, 2026');
      await expect(el).to.be.accessible();
    });

    it('says "Unverified" for a card nobody verified', async () => {
      const server = cardServer();
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      expect(text(el, '[part="trust"]')).to.equal('○ Unverified');
      await expect(el).to.be.accessible();
    });

    it('shows a compact card linking to its page, and fires a cancelable open event', async () => {
      const server = cardServer({ cards: [VERIFIED] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1" view="compact"></guild-knowledge-card>`);
      await ready(el, server);
      const link = shadow(el).querySelector<HTMLAnchorElement>('[part="title"] a');
      expect(link?.getAttribute('href')).to.equal('https://guild.example.com/cards/k1');
      expect(text(el, '[part="summary"]')).to.equal('The pipeline, step by step.');
      expect(text(el, '[part="trust"]')).to.match(/^✓ Verified by Ada Okafor/);
      expect(text(el, '.meta')).to.equal('4 found it helpful · 12 views');
      expect(shadow(el).querySelector('[part="body"], [part="actions"]')).to.equal(null);
      const opened: GuildCardOpenEvent[] = [];
      el.addEventListener('guild-card-open', (event) => {
        opened.push(event);
        event.preventDefault();
      });
      link?.click();
      expect(opened.map((event) => event.card.id)).to.deep.equal(['k1']);
      // Nothing recorded for a compact preview.
      await nextTask(20);
      expect(server.api.callsTo('POST', '/api/cards/k1/views')).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('shows a draft as such, to its author, through its own read', async () => {
      const server = cardServer({ cards: [card('k1', { status: 'draft', title: 'Work in progress' })] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      await waitUntil(() => text(el, '[part="title"]').includes('Work in progress'), 'draft not shown');
      expect(text(el, '[part="title"] .badge')).to.equal('Draft');
      expect(server.api.callsTo('GET', '/api/cards/k1').length).to.equal(1);
      expect(buttonIn(shadow(el), 'Flag as outdated')).to.equal(undefined);
      expect(shadow(el).querySelector('[data-action="vote-yes"]')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('shows a readable error with "Try again" that loads once more', async () => {
      let fail = true;
      const server = cardServer({ extra: { 'GET /api/cards': () => (fail ? problem(500, 'boom') : json({ items: [card('k1')], nextCursor: null })) } });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no error', { timeout: 4000 });
      expect(text(el, '[role="alert"]')).to.equal('The card could not be loaded: the server had a problem; try again in a moment.');
      await expect(el).to.be.accessible();
      fail = false;
      button(el, 'Try again').click();
      await waitUntil(() => shadow(el).querySelector('[part="trust"]'), 'not loaded after retry');
      expect(server.api.unhandled).to.deep.equal([]);
    });

    it('says so when the card does not exist', async () => {
      cardServer({ cards: [] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="nope"></guild-knowledge-card>`);
      await waitUntil(() => text(el, '[part="error"]') !== '', 'no message');
      expect(text(el, '[part="error"]')).to.equal('This card does not exist, or it is not shared with you.');
      await expect(el).to.be.accessible();
    });

    it('is read-only when signed out: counts, no votes, no edit, flag or verify, no view recorded', async () => {
      const server = cardServer({ who: null, cards: [VERIFIED] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await loaded(el);
      await waitUntil(() => shadow(el).querySelector('.signin'), 'no sign-in hint');
      expect(text(el, '.signin')).to.equal('Sign in to vote, flag or edit.');
      expect(text(el, '[part="helpful"]')).to.equal('4 found it helpful 12 views');
      expect(shadow(el).querySelector('[data-action="vote-yes"], [data-action="edit"], [data-action="verify"], [data-action="flag"]')).to.equal(null);
      expect(buttonIn(shadow(el), 'Copy link')).to.not.equal(undefined);
      await nextTask(50);
      expect(server.api.callsTo('POST', '/api/cards/k1/views')).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('lists the cards with a tag, compact, in one request', async () => {
      const server = cardServer({ cards: [VERIFIED, card('k2', { title: 'Flaky tests', tags: ['ci'] }), card('k3', { title: 'Lunch', tags: ['social'] })] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card tag="ci"></guild-knowledge-card>`);
      await waitUntil(() => shadow(el).querySelector('.list'), 'no list');
      expect(text(el, 'h2')).to.equal('Cards tagged “ci”');
      expect(texts(el, '.list [part="title"]')).to.deep.equal(['How we run CI', 'Flaky tests']);
      expect(server.cardGets().length).to.equal(1);
      expect(server.cardGets()[0]?.url.searchParams.get('tag')).to.equal('ci');
      await expect(el).to.be.accessible();
    });
  });

  describe('batching', () => {
    it('reads four cards on a page with one request', async () => {
      const server = cardServer({ cards: ['a', 'b', 'c', 'd'].map((id) => card(id)) });
      const page = await fixture<HTMLElement>(html`<div>
        <guild-knowledge-card card="a" view="compact"></guild-knowledge-card>
        <guild-knowledge-card card="b" view="compact"></guild-knowledge-card>
        <guild-knowledge-card card="c"></guild-knowledge-card>
        <guild-knowledge-card card="d" view="compact"></guild-knowledge-card>
      </div>`);
      for (const el of page.querySelectorAll('guild-knowledge-card')) await loaded(el);
      const reads = server.cardGets().filter((call) => call.url.searchParams.has('ids'));
      expect(reads.length).to.equal(1);
      expect(reads[0]?.url.searchParams.get('ids')?.split(',').sort()).to.deep.equal(['a', 'b', 'c', 'd']);
      expect(server.api.callsTo('GET', '/api/cards/a')).to.deep.equal([]);
    });
  });

  describe('permissions', () => {
    const owned = () => card('k1', { author: GRACE, experts: [ADA] });

    it('offers a member who is not an expert flagging, but neither verifying nor editing', async () => {
      const server = cardServer({ who: 'mei', cards: [owned()] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      await waitUntil(() => buttonIn(shadow(el), 'Flag as outdated'), 'no flag button');
      expect(buttonIn(shadow(el), 'Verify')).to.equal(undefined);
      expect(buttonIn(shadow(el), 'Edit')).to.equal(undefined);
    });

    it('offers an expert verifying and editing', async () => {
      const server = cardServer({ who: 'ada', cards: [owned()] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      await waitUntil(() => buttonIn(shadow(el), 'Verify'), 'no verify button');
      expect(buttonIn(shadow(el), 'Edit')).to.not.equal(undefined);
    });

    it('offers a facilitator of the card’s community verifying and editing', async () => {
      const server = cardServer({ who: 'linus', facilitator: true, cards: [owned()] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      await waitUntil(() => buttonIn(shadow(el), 'Verify'), 'no verify button');
      expect(buttonIn(shadow(el), 'Edit')).to.not.equal(undefined);
    });

    it('offers the author editing, but not verifying their own card', async () => {
      const server = cardServer({ who: 'grace', cards: [owned()] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      await waitUntil(() => buttonIn(shadow(el), 'Edit'), 'no edit button');
      expect(buttonIn(shadow(el), 'Verify')).to.equal(undefined);
    });

    it('opens no editor for a stranger, even with the edit attribute', async () => {
      const server = cardServer({ who: 'mei', cards: [owned()] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1" edit></guild-knowledge-card>`);
      await ready(el, server);
      await nextTask(50);
      expect(shadow(el).querySelector('guild-card-editor')).to.equal(null);
      expect(text(el, '[part="title"]')).to.equal('Card k1');
    });

    it('offers a signed-out visitor a sign-in hint instead of an editor for a new card', async () => {
      const server = cardServer({ who: null });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card new community="general"></guild-knowledge-card>`);
      await waitUntil(() => shadow(el).querySelector('.signin'), 'no hint');
      expect(text(el, '.signin')).to.equal('Sign in to write a card.');
      expect(shadow(el).querySelector('guild-card-editor')).to.equal(null);
      expect(server.api.callsTo('POST', '/api/cards')).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });
  });

  describe('by keyboard', () => {
    it('verifies with an optional review interval', async () => {
      const server = cardServer({ who: 'ada', cards: [card('k1', { experts: [ADA] })] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      await waitUntil(() => buttonIn(shadow(el), 'Verify'), 'no verify button');
      button(el, 'Verify').focus();
      await press('Enter');
      await waitUntil(() => focused(el)?.id === 'verify-days', 'interval not focused');
      await expect(el).to.be.accessible();
      await type('30');
      await press('Enter');
      await waitUntil(() => server.api.callsTo('POST', '/api/cards/k1/verifications').length === 1, 'not sent');
      const call = server.api.callsTo('POST', '/api/cards/k1/verifications')[0];
      expect(call?.body).to.deep.equal({ reviewIntervalDays: 30 });
      expect(call?.headers.get('idempotency-key')).to.match(/^[0-9a-f-]{36}$/);
      await waitUntil(() => text(el, '[part="trust"]').startsWith('✓ Verified by Ada Okafor'), 'not verified');
      expect(text(el, '[part="trust"]')).to.equal('✓ Verified by Ada Okafor on Nov 29, 2026 · review by Dec 29, 2026');
      expect(text(el, '.action-status')).to.equal('Verified. Thank you.');
      expect(focused(el)?.getAttribute('data-action')).to.equal('verify');
    });

    it('flags as outdated with a required reason, and Escape closes the form', async () => {
      const server = cardServer({ who: 'mei' });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      await waitUntil(() => buttonIn(shadow(el), 'Flag as outdated'), 'no flag button');
      button(el, 'Flag as outdated').focus();
      await press('Enter');
      await waitUntil(() => focused(el)?.id === 'flag-reason', 'reason not focused');
      await press('Escape');
      await waitUntil(() => !inPanel(el, '#flag-reason'), 'form did not close');
      expect(focused(el)?.getAttribute('data-action')).to.equal('flag');
      await press('Enter');
      await waitUntil(() => focused(el)?.id === 'flag-reason', 'reason not focused again');
      // An empty reason is not sent.
      await press('Tab', 2);
      expect(clean(focused(el)?.textContent)).to.equal('Send flag');
      await press('Enter');
      await nextTask(30);
      expect(server.api.callsTo('POST', '/api/cards/k1/flags')).to.deep.equal([]);
      inPanel(el, '#flag-reason')?.focus();
      await type('The command changed to npm run ci.');
      await press('Tab', 2);
      await press('Enter');
      await waitUntil(() => server.api.callsTo('POST', '/api/cards/k1/flags').length === 1, 'not sent');
      expect(server.api.callsTo('POST', '/api/cards/k1/flags')[0]?.body).to.deep.equal({ reason: 'The command changed to npm run ci.' });
      await waitUntil(() => text(el, '[part="trust"]').startsWith('! Outdated'), 'not outdated');
      expect(text(el, '[part="trust"]')).to.equal('! Outdated: The command changed to npm run ci. · flagged by Mei Tanaka on Nov 29, 2026');
      await expect(el).to.be.accessible();
    });

    it('votes helpful at once, and rolls back visibly when the server refuses', async () => {
      let refuse = false;
      const server = cardServer({
        who: 'mei',
        cards: [card('k1', { helpful: { yes: 2, no: 0, myVote: null } })],
        extra: {
          'PUT /api/cards/:id/vote': (request, params) => {
            const vote = cardRoutes(server.data)['PUT /api/cards/:id/vote'];
            return refuse || !vote ? problem(503, 'unavailable') : vote(request, params);
          },
        },
      });
      const failing = server.api;
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await loaded(el);
      await waitUntil(() => shadow(el).querySelector('[data-action="vote-yes"]'), 'no vote buttons');
      const yes = () => shadow(el).querySelector<HTMLButtonElement>('[data-action="vote-yes"]');
      yes()?.focus();
      await press('Enter');
      expect(yes()?.getAttribute('aria-pressed')).to.equal('true');
      expect(clean(yes()?.textContent)).to.equal('👍 Yes 3');
      await waitUntil(() => failing.callsTo('PUT', '/api/cards/k1/vote').length === 1, 'no vote sent');
      expect(failing.callsTo('PUT', '/api/cards/k1/vote')[0]?.body).to.deep.equal({ helpful: true });
      await nextTask(20);
      refuse = true;
      shadow(el).querySelector<HTMLButtonElement>('[data-action="vote-no"]')?.focus();
      await press(' ');
      await waitUntil(() => shadow(el).querySelector('[part="helpful"] [role="alert"]'), 'no rollback message');
      expect(text(el, '[part="helpful"] [role="alert"]')).to.match(/^Your vote was not saved: /);
      expect(yes()?.getAttribute('aria-pressed')).to.equal('true');
      expect(shadow(el).querySelector('[data-action="vote-no"]')?.getAttribute('aria-pressed')).to.equal('false');
      expect(clean(yes()?.textContent)).to.equal('👍 Yes 3');
      await expect(el).to.be.accessible();
    });

    it('opens the version history and reads each version', async () => {
      const server = cardServer({ cards: [card('k1', { version: 2, lastEditor: ADA, body: 'Second **version**' })] });
      server.data.versions.set('k1', [
        { version: 2, title: 'Card k1', summary: '', body: 'Second **version**', tags: [], editor: ADA, createdAt: '2026-11-28T10:00:00.000Z' },
        { version: 1, title: 'Card k1 (first)', summary: 'First summary', body: 'First _version_', tags: ['old'], editor: GRACE, createdAt: '2026-11-01T10:00:00.000Z' },
      ]);
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      const opener = shadow(el).querySelector<HTMLButtonElement>('[data-action="history"]');
      expect(clean(opener?.textContent)).to.equal('Edited by Ada Okafor · 2 versions');
      opener?.focus();
      await press('Enter');
      await waitUntil(() => inPanel(el, '.versions')?.querySelectorAll('summary').length === 2, 'no versions');
      const history = panelWith(el, '.versions');
      expect(history.closest('#versions')?.hasAttribute('hidden')).to.equal(false);
      expect(opener?.getAttribute('aria-expanded')).to.equal('true');
      expect(texts(history, '.versions summary')).to.deep.equal(['Version 2 · Ada Okafor · Nov 28, 2026, 10:00 AM', 'Version 1 · Grace Hopper · Nov 1, 2026, 10:00 AM']);
      await press('Tab', 2);
      expect(clean(focused(el)?.textContent)).to.equal('Version 1 · Grace Hopper · Nov 1, 2026, 10:00 AM');
      await press('Enter');
      await waitUntil(() => shadow(history).querySelectorAll('details[open]').length === 1, 'version did not open');
      expect(text(history, 'details[open] .version-title')).to.equal('Card k1 (first)');
      expect(text(history, 'details[open] .body em')).to.equal('version');
      await expect(el).to.be.accessible();
      // Closed and opened again: the same versions, not read twice.
      opener?.focus();
      await press('Enter');
      await waitUntil(() => opener?.getAttribute('aria-expanded') === 'false', 'history did not close');
      expect(history.closest('#versions')?.hasAttribute('hidden')).to.equal(true);
      await press('Enter');
      await waitUntil(() => opener?.getAttribute('aria-expanded') === 'true', 'history did not open again');
      expect(texts(history, '.versions summary')).to.have.length(2);
      expect(server.api.callsTo('GET', '/api/cards/k1/versions').length).to.equal(1);
    });

    it('copies the card’s link, and offers it selected to copy by hand when the clipboard refuses', async () => {
      const server = cardServer({ who: 'mei', cards: [VERIFIED] });
      const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
      const written: string[] = [];
      let refuse = false;
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: {
          writeText: (value: string) => {
            if (refuse) return Promise.reject(new DOMException('Denied', 'NotAllowedError'));
            written.push(value);
            return Promise.resolve();
          },
        },
      });
      try {
        const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
        await ready(el, server);
        button(el, 'Copy link').focus();
        await press('Enter');
        await waitUntil(() => text(el, '.action-status') === 'Link copied.', 'not copied');
        expect(written).to.deep.equal(['https://guild.example.com/cards/k1']);
        refuse = true;
        await press('Enter');
        await waitUntil(() => inPanel(el, '.copy-field input'), 'no link to copy by hand');
        const field = inPanel<HTMLInputElement>(el, '.copy-field input');
        expect(field?.value).to.equal('https://guild.example.com/cards/k1');
        expect(clean(inPanel(el, '.copy-field')?.textContent)).to.equal('Copy this link:');
        await waitUntil(() => focused(el) === field, 'link not focused');
        expect([field?.selectionStart, field?.selectionEnd]).to.deep.equal([0, field?.value.length]);
        expect(text(el, '.action-status')).to.equal('');
        await expect(el).to.be.accessible();
      } finally {
        delete (navigator as { clipboard?: unknown }).clipboard;
        if (clipboard && !('clipboard' in navigator)) Object.defineProperty(Navigator.prototype, 'clipboard', clipboard);
      }
    });

    it('offers the link selected, to copy by hand, on a page without a clipboard', async () => {
      const server = cardServer({ who: 'mei', cards: [VERIFIED] });
      const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
      delete (Navigator.prototype as { clipboard?: unknown }).clipboard;
      try {
        expect('clipboard' in navigator).to.equal(false);
        const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
        await ready(el, server);
        button(el, 'Copy link').focus();
        await press('Enter');
        await waitUntil(() => inPanel(el, '.copy-field input'), 'no link to copy by hand');
        const field = inPanel<HTMLInputElement>(el, '.copy-field input');
        expect(field?.value).to.equal('https://guild.example.com/cards/k1');
        await waitUntil(() => focused(el) === field, 'link not focused');
        expect([field?.selectionStart, field?.selectionEnd]).to.deep.equal([0, field?.value.length]);
        expect(text(el, '.action-status')).to.equal('');
        await expect(el).to.be.accessible();
      } finally {
        if (clipboard) Object.defineProperty(Navigator.prototype, 'clipboard', clipboard);
      }
    });

    it('writes, previews and publishes a new card', async () => {
      const server = cardServer({ who: 'mei' });
      const saved: GuildCardSavedEvent[] = [];
      const page = await fixture<HTMLElement>(html`<div><button id="before">Before</button><guild-knowledge-card new community="general"></guild-knowledge-card></div>`);
      const el = page.querySelector('guild-knowledge-card');
      if (!el) throw new Error('no card');
      el.addEventListener('guild-card-saved', (event) => saved.push(event));
      const editor = await editorReady(el);
      await expect(el).to.be.accessible();
      page.querySelector<HTMLButtonElement>('#before')?.focus();
      await press('Tab');
      expect(focused(el)?.getAttribute('name')).to.equal('title');
      await type('Release checklist');
      await press('Tab');
      await type('What to check before a release.');
      await press('Tab');
      expect(clean(focused(el)?.textContent)).to.equal('Preview');
      await press('Tab');
      expect(focused(el)?.getAttribute('name')).to.equal('body');
      await type('1. Run **all** tests');
      await press('Tab');
      await type('Release, CI ');
      // Preview: back to the toggle, press it, read the rendered markdown.
      await sendKeys({ down: 'Shift' });
      await press('Tab', 2);
      await sendKeys({ up: 'Shift' });
      expect(clean(focused(el)?.textContent)).to.equal('Preview');
      await press('Enter');
      await waitUntil(() => editor.querySelector('[part="preview"] strong'), 'no preview');
      expect(clean(editor.querySelector('[part="preview"] strong')?.textContent)).to.equal('all');
      expect(editor.querySelector('[part="preview-toggle"]')?.getAttribute('aria-pressed')).to.equal('true');
      await expect(el).to.be.accessible();
      await press('Enter');
      await waitUntil(() => editor.querySelector('[name="body"]'), 'no text box again');
      expect(field<HTMLTextAreaElement>(editor, 'body').value).to.equal('1. Run **all** tests');
      // Publish: tab past the text, the tags and "Save draft".
      await press('Tab', 4);
      expect(clean(focused(el)?.textContent)).to.equal('Publish');
      await press('Enter');
      await waitUntil(() => server.api.callsTo('POST', '/api/cards').length === 1, 'not sent');
      const call = server.api.callsTo('POST', '/api/cards')[0];
      expect(call?.body).to.deep.equal({
        title: 'Release checklist',
        summary: 'What to check before a release.',
        body: '1. Run **all** tests',
        tags: ['release', 'ci'],
        status: 'published',
        communityId: 'general',
      });
      await waitUntil(() => text(el, '[part="title"]') === 'Release checklist', 'card not shown');
      expect(saved.map((event) => [event.action, event.card.id])).to.deep.equal([['created', 'k101']]);
      expect(text(el, '.visually-hidden[aria-live="polite"]')).to.equal('Published.');
      expect(localStorage.getItem('guildkit:draft:card:new:general')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('refuses tags that break the contract’s pattern, and says why', async () => {
      const server = cardServer({ who: 'mei' });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card new community="general"></guild-knowledge-card>`);
      const editor = await editorReady(el);
      field(editor, 'title').focus();
      await type('T');
      field<HTMLTextAreaElement>(editor, 'body').focus();
      await type('B');
      field(editor, 'tags').focus();
      await type('good, not good');
      buttonIn(editor, 'Save draft')?.click();
      await waitUntil(() => editor.querySelector('#tags-error'), 'no tag error');
      expect(clean(editor.querySelector('#tags-error')?.textContent)).to.equal('“not good” is not a tag: use lowercase letters, digits and dashes (at most 40), starting with a letter or digit.');
      expect(field(editor, 'tags').getAttribute('aria-invalid')).to.equal('true');
      expect(editor.activeElement?.getAttribute('name')).to.equal('tags');
      expect(server.api.callsTo('POST', '/api/cards')).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('edits a card in place, saving on top of the version it started from', async () => {
      const server = cardServer({ who: 'grace', cards: [card('k1', { body: 'Old text' })] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      await waitUntil(() => buttonIn(shadow(el), 'Edit'), 'no edit button');
      button(el, 'Edit').focus();
      await press('Enter');
      const editor = await editorReady(el);
      await waitUntil(() => focused(el)?.getAttribute('name') === 'title', 'title not focused');
      expect(field(editor, 'title').value).to.equal('Card k1');
      expect(field<HTMLTextAreaElement>(editor, 'body').value).to.equal('Old text');
      await press('Tab', 3);
      expect(focused(el)?.getAttribute('name')).to.equal('body');
      await press('End');
      await type(', and new text.');
      await press('Tab', 3);
      expect(clean(focused(el)?.textContent)).to.equal('Save changes');
      await press('Enter');
      await waitUntil(() => server.api.callsTo('PATCH', '/api/cards/k1').length === 1, 'not saved');
      expect(server.api.callsTo('PATCH', '/api/cards/k1')[0]?.body).to.deep.equal({
        baseVersion: 1,
        title: 'Card k1',
        summary: 'What card k1 is about.',
        body: 'Old text, and new text.',
        tags: ['onboarding'],
      });
      await waitUntil(() => text(el, '[part="body"]') === 'Old text, and new text.', 'not shown');
      expect(text(el, '.visually-hidden[aria-live="polite"]')).to.equal('Saved as version 2.');
      expect(text(el, '[part="history"] button')).to.equal('Edited by Grace Hopper · 2 versions');
    });

    it('publishes a draft from the editor', async () => {
      const server = cardServer({ who: 'grace', cards: [card('k1', { status: 'draft' })] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1" edit></guild-knowledge-card>`);
      const editor = await editorReady(el);
      buttonIn(editor, 'Publish')?.focus();
      await press('Enter');
      await waitUntil(() => server.api.callsTo('PATCH', '/api/cards/k1').length === 1, 'not saved');
      expect(server.api.callsTo('PATCH', '/api/cards/k1')[0]?.body).to.include({ baseVersion: 1, status: 'published' });
      await waitUntil(() => !shadow(el).querySelector('guild-card-editor'), 'editor still open');
      expect(text(el, '.visually-hidden[aria-live="polite"]')).to.equal('Published.');
      expect(text(el, '[part="title"] .badge')).to.equal('');
    });
  });

  describe('internal events', () => {
    const INTERNAL = ['guild-card-panel-done', 'guild-card-panel-close', 'guild-card-editor-saved', 'guild-card-editor-failed', 'guild-card-editor-cancel'];

    it('keeps the panel’s and the editor’s events inside the card', async () => {
      let refuse = true;
      const server = cardServer({
        who: 'ada',
        cards: [card('k1', { experts: [ADA] })],
        extra: {
          'PATCH /api/cards/:id': (request, params) => {
            const update = cardRoutes(server.data)['PATCH /api/cards/:id'];
            return refuse || !update ? problem(503, 'unavailable') : update(request, params);
          },
        },
      });
      const heard: string[] = [];
      const listener = (event: Event) => heard.push(event.type);
      for (const name of INTERNAL) document.addEventListener(name, listener);
      try {
        const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
        for (const name of INTERNAL) el.addEventListener(name, listener);
        await ready(el, server);
        await waitUntil(() => buttonIn(shadow(el), 'Verify'), 'no verify button');
        // guild-card-panel-close
        button(el, 'Flag as outdated').focus();
        await press('Enter');
        await waitUntil(() => focused(el)?.id === 'flag-reason', 'reason not focused');
        await press('Escape');
        await waitUntil(() => !inPanel(el, '#flag-reason'), 'form did not close');
        // guild-card-panel-done
        button(el, 'Verify').focus();
        await press('Enter');
        await waitUntil(() => focused(el)?.id === 'verify-days', 'interval not focused');
        await press('Enter');
        await waitUntil(() => text(el, '.action-status') === 'Verified. Thank you.', 'not verified');
        // guild-card-editor-cancel
        button(el, 'Edit').focus();
        await press('Enter');
        let editor = await editorReady(el);
        buttonIn(editor, 'Cancel')?.click();
        await waitUntil(() => !shadow(el).querySelector('guild-card-editor'), 'editor still open');
        // guild-card-editor-failed, then guild-card-editor-saved
        button(el, 'Edit').focus();
        await press('Enter');
        editor = await editorReady(el);
        buttonIn(editor, 'Save changes')?.click();
        await waitUntil(() => text(el, '.visually-hidden[aria-live="polite"]').startsWith('Not saved:'), 'failure not announced');
        refuse = false;
        buttonIn(editor, 'Save changes')?.click();
        await waitUntil(() => text(el, '.visually-hidden[aria-live="polite"]') === 'Saved as version 2.', 'save not announced');
        expect(heard).to.deep.equal([]);
      } finally {
        for (const name of INTERNAL) document.removeEventListener(name, listener);
      }
    });

    it('says why it cannot save when it is rendered without its card', async () => {
      const failed: string[] = [];
      const editor = await fixture<GuildCardEditor>(html`<guild-card-editor .i18n=${translator('en')} @guild-card-editor-failed=${(event: GuildCardEditorFailedEvent) => failed.push(event.message)}></guild-card-editor>`);
      await editor.updateComplete;
      const root = shadow(editor);
      field(root, 'title').focus();
      await type('A title');
      field<HTMLTextAreaElement>(root, 'body').focus();
      await type('A body');
      buttonIn(root, 'Publish')?.click();
      await waitUntil(() => root.querySelector('[role="alert"]'), 'nothing said');
      const message = 'Not saved: this editor is not connected to a Guildkit server. Your text is kept.';
      expect(clean(root.querySelector('[role="alert"]')?.textContent)).to.equal(message);
      expect(failed).to.deep.equal([message]);
      expect(buttonIn(root, 'Publish')?.getAttribute('aria-busy')).to.equal('false');
      expect(field(root, 'title').value).to.equal('A title');
      await expect(editor).to.be.accessible();
    });
  });

  describe('conflicts', () => {
    it('refuses to overwrite a version the writer did not see, keeps the text, and offers theirs and saving on top', async () => {
      const server = cardServer({ who: 'grace', cards: [card('k1', { body: 'Original' })] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1" edit></guild-knowledge-card>`);
      const editor = await editorReady(el);
      // Meanwhile, Mei saves version 2.
      const theirs = card('k1', { body: 'Mei’s **rewrite**', version: 2, lastEditor: MEI });
      server.data.cards.set('k1', theirs);
      field<HTMLTextAreaElement>(editor, 'body').focus();
      await press('End');
      await type(' plus my part');
      buttonIn(editor, 'Save changes')?.focus();
      await press('Enter');
      await waitUntil(() => editor.querySelector('[part="conflict"]'), 'no conflict shown');
      expect(clean(editor.querySelector('[part="conflict"] [role="alert"]')?.textContent)).to.equal(
        'Mei Tanaka saved version 2 while you were editing. Nothing was overwritten, and your text is kept here.',
      );
      expect(field<HTMLTextAreaElement>(editor, 'body').value).to.equal('Original plus my part');
      expect(server.data.cards.get('k1')?.body).to.equal('Mei’s **rewrite**');
      await expect(el).to.be.accessible();
      // Their version, to read.
      buttonIn(editor, 'See the latest version')?.focus();
      await press('Enter');
      await waitUntil(() => editor.querySelector('#latest:not([hidden]) strong'), 'latest not shown');
      expect(clean(editor.querySelector('#latest strong')?.textContent)).to.equal('rewrite');
      // Mine, on top of theirs.
      buttonIn(editor, 'Save mine on top of version 2')?.focus();
      await press('Enter');
      await waitUntil(() => server.api.callsTo('PATCH', '/api/cards/k1').length === 2, 'not resent');
      expect(server.api.callsTo('PATCH', '/api/cards/k1').map((call) => (call.body as { baseVersion: number }).baseVersion)).to.deep.equal([1, 2]);
      await waitUntil(() => text(el, '[part="body"]') === 'Original plus my part', 'not saved');
      expect(server.data.cards.get('k1')?.version).to.equal(3);
    });
  });

  describe('local drafts', () => {
    it('keeps what was typed in a new card across a re-mount', async () => {
      cardServer({ who: 'mei' });
      const first = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card new community="general"></guild-knowledge-card>`);
      let editor = await editorReady(first);
      field(editor, 'title').focus();
      await type('Half-written');
      field<HTMLTextAreaElement>(editor, 'body').focus();
      await type('Some **text**');
      field(editor, 'tags').focus();
      await type('wip');
      fixtureCleanup();
      expect(localStorage.getItem('guildkit:draft:card:new:general')).to.not.equal(null);
      const second = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card new community="general"></guild-knowledge-card>`);
      editor = await editorReady(second);
      expect(field(editor, 'title').value).to.equal('Half-written');
      expect(field<HTMLTextAreaElement>(editor, 'body').value).to.equal('Some **text**');
      expect(field(editor, 'tags').value).to.equal('wip');
    });

    it('reopens the editor of an existing card with the local text, still based on the version it was written on', async () => {
      const server = cardServer({ who: 'grace', cards: [card('k1', { version: 4 })] });
      localStorage.setItem('guildkit:draft:card:k1', JSON.stringify({ text: JSON.stringify({ title: 'Mine', summary: '', body: 'My text', tags: [], baseVersion: 3 }), savedAt: 1, tab: 'other' }));
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      const editor = await editorReady(el);
      expect(field<HTMLTextAreaElement>(editor, 'body').value).to.equal('My text');
      buttonIn(editor, 'Save changes')?.click();
      await waitUntil(() => server.api.callsTo('PATCH', '/api/cards/k1').length === 1, 'not sent');
      expect((server.api.callsTo('PATCH', '/api/cards/k1')[0]?.body as { baseVersion: number }).baseVersion).to.equal(3);
      await waitUntil(() => editor.querySelector('[part="conflict"]'), 'no conflict');
    });
  });

  describe('live', () => {
    function flagged(of: Card, actor: string): CardEvent {
      return {
        id: `ev-${Math.random().toString(36).slice(2)}`,
        type: 'card.changed',
        occurredAt: '2026-11-29T10:00:00.000Z',
        actorId: actor,
        action: 'flagged',
        card: { ...of, trust: { state: 'outdated', flagReason: 'Step 3 is gone.', flaggedBy: NAMES[actor] ?? person(actor), flaggedAt: '2026-11-29T10:00:00.000Z' } },
      };
    }

    it('tells the author, politely, that someone flagged their card, and updates it in place', async () => {
      const server = cardServer({ who: 'grace', cards: [card('k1', { helpful: { yes: 1, no: 0, myVote: true } })] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      await waitUntil(() => server.events.connections > 0, 'no event stream');
      server.events.push({ ...flagged(card('k1'), 'mei'), card: { ...flagged(card('k1'), 'mei').card, helpful: { yes: 1, no: 0, myVote: null } } });
      await waitUntil(() => text(el, '[part="notice"]') !== '', 'no notice');
      expect(text(el, '[part="notice"] span')).to.equal('Mei Tanaka flagged this card as outdated: Step 3 is gone.');
      expect(text(el, '.visually-hidden[aria-live="polite"]')).to.equal('Mei Tanaka flagged this card as outdated: Step 3 is gone.');
      expect(text(el, '[part="trust"]')).to.match(/^! Outdated: Step 3 is gone\./);
      // My own vote stays mine.
      expect(shadow(el).querySelector('[data-action="vote-yes"]')?.getAttribute('aria-pressed')).to.equal('true');
      await expect(el).to.be.accessible();
      button(el, 'Dismiss').click();
      await el.updateComplete;
      expect(shadow(el).querySelector('[part="notice"]')).to.equal(null);
    });

    it('updates a reader’s card without a notice', async () => {
      const server = cardServer({ who: 'linus', cards: [card('k1')] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1"></guild-knowledge-card>`);
      await ready(el, server);
      await waitUntil(() => server.events.connections > 0, 'no event stream');
      server.events.push(flagged(card('k1'), 'mei'));
      await waitUntil(() => text(el, '[part="trust"]').startsWith('! Outdated'), 'not updated');
      expect(shadow(el).querySelector('[part="notice"]')).to.equal(null);
    });
  });

  describe('German', () => {
    it('speaks German after the translation loads', async () => {
      const server = cardServer({ who: 'mei', cards: [VERIFIED] });
      const el = await fixture<GuildKnowledgeCard>(html`<guild-knowledge-card card="k1" lang="de"></guild-knowledge-card>`);
      await ready(el, server);
      await waitUntil(() => text(el, '[part="trust"]').includes('Bestätigt'), `not German: ${text(el, '[part="trust"]')}`);
      expect(text(el, '[part="trust"]')).to.equal('✓ Bestätigt von Ada Okafor am 20.11.2026 · prüfen bis 18.02.2027');
      expect(text(el, '#helpful-label')).to.equal('War das hilfreich?');
      expect(text(el, '.people')).to.equal('Von Grace Hopper · Aus einer Antwort von Linus Pauling · Fachleute: Ada Okafor und Mei Tanaka');
      expect(buttonIn(shadow(el), 'Als veraltet melden')).to.not.equal(undefined);
      await expect(el).to.be.accessible();
    });
  });
});
