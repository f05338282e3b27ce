import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { components } from '../../src/api/schema.js';
import { GuildBadgeVerification } from '../../src/elements/badge-wall/badge-verification.js';
import { GuildBadgeWall, type GuildBadgeOpenEvent } from '../../src/elements/badge-wall/badge-wall.js';
import { autoload } from '../../src/internal/autoload.js';
import { configure, pageConfig } from '../../src/internal/config.js';
import { define } from '../../src/internal/define.js';
import {
  achievement,
  award,
  badgeRoutes,
  badgeWall,
  EventStreamMock,
  fakeToken,
  json,
  me,
  mockApi,
  nextTask,
  person,
  problem,
  testConfig,
  testIssuer,
  type Achievement,
  type Award,
  type BadgeData,
  type BadgeWall,
  type TestIssuer,
} from './mock-api.js';
import { clean, farOffScreen, shadow, text, texts } from './dom.js';

type Schemas = components['schemas'];

/** One lazily loaded part, which a test can hold (`gate`) or make fail, as a slow or broken network would. */
interface Chunk {
  attempts: number;
  fail: boolean;
  gate: Promise<void>;
}

function lazyChunk(tag: string, load: () => Promise<CustomElementConstructor>): Chunk {
  const chunk: Chunk = { attempts: 0, fail: false, gate: Promise.resolve() };
  autoload({
    [tag]: async () => {
      chunk.attempts += 1;
      await chunk.gate;
      if (chunk.fail) throw new TypeError('Failed to fetch dynamically imported module');
      define(tag, await load());
    },
  });
  return chunk;
}

define('guild-badge-wall', GuildBadgeWall);
define('guild-badge-verification', GuildBadgeVerification);
// The catalogue and the details load as the script-tag bundle loads them: through the registry, on first use.
const detailChunk = lazyChunk('guild-badge-detail', async () => (await import('../../src/elements/badge-wall/badge-detail.js')).GuildBadgeDetail);
const catalogueChunk = lazyChunk('guild-badge-catalogue', async () => (await import('../../src/elements/badge-wall/badge-catalogue.js')).GuildBadgeCatalogue);

const NOW = '2026-11-29T10:00:00.000Z';
const GRACE = person('grace', 'Grace Hopper');
const ADA = person('ada', 'Ada Okafor');
const MEI = person('mei', 'Mei Tanaka');

const FIRST_POST = achievement('first-post', {
  category: 'Participation',
  tags: ['starter'],
  measure: { kind: 'comments', target: 1 },
  earnedCount: 12,
  alignment: [{ targetName: 'Written communication', targetUrl: 'https://skills.example.com/written-communication' }],
});
const PROBLEM_SOLVER = achievement('problem-solver', { category: 'Helping', tags: ['answers', 'q-and-a'], measure: { kind: 'accepted-answers', target: 5 }, earnedCount: 3 });
const MENTOR = achievement('mentor', { category: 'Helping', measure: { kind: 'kudos-received', target: 5, value: 'mentoring' }, earnedCount: 1 });
const KEEPER = achievement('knowledge-keeper', { category: 'Knowledge', measure: { kind: 'cards-verified', target: 10 }, criteria: { narrative: 'Verify ten knowledge cards so the community can trust them.' } });
const FACILITATOR = achievement('facilitator', { category: 'Participation', measure: { kind: 'facilitator', target: 1 } });
const EXPIRING = achievement('safety-refresher', { category: 'Knowledge', validityDays: 365 });
const REVOKED_ONE = achievement('early-bird', { category: 'Participation' });

function graceWall(): BadgeWall {
  return badgeWall(GRACE, {
    earned: [
      award('aw-1', FIRST_POST, GRACE, {
        evidence: [{ id: 'https://guild.example.com/threads/1#c-7', name: 'Her first answer' }],
        validUntil: '2027-11-20T10:00:00.000Z',
      }),
      award('aw-2', EXPIRING, GRACE, { validFrom: '2025-01-10T10:00:00.000Z', validUntil: '2026-01-10T10:00:00.000Z', result: { status: 'Expired' } }),
      award('aw-3', REVOKED_ONE, GRACE, { result: { status: 'Revoked', revocationReason: 'Awarded by mistake.' } }),
    ],
    inProgress: [
      { achievement: PROBLEM_SOLVER, current: 3, target: 5 },
      { achievement: MENTOR, current: 2, target: 5 },
    ],
    locked: [KEEPER, FACILITATOR],
  });
}

function community(id: string): Schemas['Community'] {
  return {
    id,
    name: 'General',
    settings: { kudosAllowancePerWeek: 3, rankingAllowed: false, reviewIntervalDays: 30, kudosValues: [{ id: 'mentoring', label: 'Mentoring' }] },
  };
}

function button(el: Element, label: string): HTMLButtonElement {
  const found = [...shadow(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => clean(b.textContent) === label);
  if (!found) throw new Error(`no "${label}" button`);
  return found;
}

function dialog(el: Element): HTMLDialogElement {
  const found = shadow(el).querySelector('dialog');
  if (!found) throw new Error('no dialog');
  return found;
}

function verification(el: Element): HTMLElement {
  const found = shadow(el).querySelector<HTMLElement>('guild-badge-verification');
  if (!found) throw new Error('no verification');
  return found;
}

interface ServerOptions {
  /** Signed in as (default `grace`), or `null` for anonymous. */
  who?: string | null;
  walls?: BadgeWall[];
  achievements?: Achievement[];
  recent?: Award[];
  issuer?: TestIssuer;
  extra?: Parameters<typeof mockApi>[0];
}

/** An in-memory server for badge walls, catalogues, credentials and their verification. */
function badgeServer(options: ServerOptions = {}) {
  const who = options.who === undefined ? 'grace' : options.who;
  const events = new EventStreamMock();
  const data: BadgeData = {
    walls: new Map((options.walls ?? [graceWall()]).map((wall) => [wall.person.id, wall])),
    achievements: options.achievements ?? [],
    recent: options.recent ?? [],
    credentials: new Map(),
    issuer: options.issuer,
    statusList: undefined,
  };
  const api = mockApi({
    'GET /api/me': () => (who ? json({ ...me(who), person: who === 'grace' ? GRACE : person(who) }) : problem(401, 'unauthorized')),
    'GET /api/events': events.handler,
    'GET /api/communities/:id': (_request, params) => json(community(params['id'] ?? 'general')),
    ...badgeRoutes(data, who),
    ...options.extra,
  });
  configure({ ...testConfig, fetch: api.fetch, getToken: who ? () => fakeToken(who) : undefined });
  return { api, events, data, wallGets: () => api.callsTo('GET', '/api/badge-walls') };
}

/** Grace's first award: "First Post", `aw-1`. */
function firstAward(): Award {
  const found = graceWall().earned[0];
  if (!found) throw new Error('no award');
  return found;
}

interface SignedOptions extends Omit<ServerOptions, 'issuer' | 'extra'> {
  /** How `aw-1`'s credential is made (default: validly signed by the issuer). */
  sign?: (issuer: TestIssuer, award: Award) => Promise<string> | string;
  /** The indexes the status list revokes. */
  revoked?: number[];
  /** Who signs the status list (default: the issuer). */
  listSigner?: TestIssuer;
  extra?: (issuer: TestIssuer) => Parameters<typeof mockApi>[0];
}

/** A badge server with a real issuer: `aw-1`'s credential and the issuer's keys and status list are served. */
async function signedServer(options: SignedOptions = {}) {
  const issuer = await testIssuer();
  const server = badgeServer({ ...options, issuer, extra: options.extra?.(issuer) });
  const earned = firstAward();
  server.data.credentials.set('aw-1', await (options.sign ?? ((signer, of) => signer.credential(of)))(issuer, earned));
  server.data.statusList = await (options.listSigner ?? issuer).statusList(options.revoked ?? []);
  return { ...server, issuer, earned };
}

/** Runs axe once animations have finished (mid-animation text fails the contrast rule). */
async function accessible(el: GuildBadgeWall): Promise<void> {
  await el.updateComplete;
  await Promise.all(shadow(el).getAnimations().map((animation) => animation.finished));
  await expect(el).to.be.accessible();
}

async function loaded(el: GuildBadgeWall): Promise<void> {
  await waitUntil(() => shadow(el).querySelector('.grid:not([aria-hidden]), .recent, .note, [role="alert"]'), 'never loaded', { timeout: 3000 });
  await el.updateComplete;
}

/** The details' own content (not the line shown while their code loads). */
function detailShown(el: Element): boolean {
  return !!shadow(el).querySelector('dialog guild-badge-detail .detail-head');
}

async function openBadge(el: GuildBadgeWall, name: string): Promise<void> {
  button(el, name).click();
  await waitUntil(() => dialog(el).open, 'dialog did not open');
  await waitUntil(() => detailShown(el), 'no details', { timeout: 3000 });
  await el.updateComplete;
}

async function verdict(el: GuildBadgeWall): Promise<string> {
  await waitUntil(() => verification(el).shadowRoot?.querySelector('[part="verdict"]'), 'no verdict', { timeout: 4000 });
  return clean(verification(el).shadowRoot?.querySelector('[part="result"]')?.textContent);
}

describe('guild-badge-wall', () => {
  afterEach(async () => {
    for (const open of document.querySelectorAll('guild-badge-wall')) open.shadowRoot?.querySelector('dialog')?.close();
    fixtureCleanup();
    pageConfig.set({});
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  // First: once the catalogue's or the details' code has loaded, it stays loaded for every later test on this page.
  describe('parts loaded on first use', () => {
    it('loads no detail code to read; when it fails the dialog says so, and "Try again" loads it, by keyboard', async () => {
      badgeServer({ walls: [badgeWall(GRACE, { inProgress: [{ achievement: PROBLEM_SOLVER, current: 3, target: 5 }] })] });
      const page = await fixture<HTMLElement>(html`<div><button id="before">Before</button><guild-badge-wall user="grace"></guild-badge-wall></div>`);
      const el = page.querySelector('guild-badge-wall');
      if (!el) throw new Error('no wall');
      await loaded(el);
      await nextTask(100);
      expect(customElements.get('guild-badge-detail'), 'the details load with the wall').to.equal(undefined);
      expect(detailChunk.attempts).to.equal(0);
      expect(customElements.get('guild-badge-catalogue'), 'a person’s wall loads the catalogue').to.equal(undefined);
      expect(catalogueChunk.attempts).to.equal(0);
      expect(shadow(el).querySelector('guild-badge-detail')).to.equal(null);

      const errors: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => errors.push(args);
      let release: () => void = () => undefined;
      try {
        detailChunk.fail = true;
        // Reaching for a badge starts loading the details, once.
        button(el, 'Problem Solver').dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
        await waitUntil(() => errors.length === 1, 'pointing at a badge did not load the details');
        page.querySelector<HTMLButtonElement>('#before')?.focus();
        await sendKeys({ press: 'Tab' });
        const badgeButton = shadow(el).activeElement;
        expect(clean(badgeButton?.textContent)).to.equal('Problem Solver');
        expect(detailChunk.attempts).to.equal(1);

        // Opening tries again; while it loads the dialog names the badge and says what is happening.
        detailChunk.gate = new Promise<void>((resolve) => (release = resolve));
        await sendKeys({ press: 'Enter' });
        await waitUntil(() => dialog(el).open, 'dialog did not open');
        await el.updateComplete;
        expect(detailChunk.attempts).to.equal(2);
        expect(dialog(el).matches(':modal')).to.equal(true);
        expect(text(el, 'dialog h2')).to.equal('Problem Solver');
        expect(text(el, 'dialog [role="status"]')).to.equal('Loading the details…');
        expect(dialog(el).contains(shadow(el).activeElement)).to.equal(true);
        await accessible(el);

        release();
        await waitUntil(() => text(el, 'dialog [role="alert"]') !== '', 'no error');
        expect(text(el, 'dialog [role="alert"]')).to.equal('The details could not be loaded.');
        expect(customElements.get('guild-badge-detail')).to.equal(undefined);
        await accessible(el);

        // "Try again" makes way for the loading line; when it fails once more, focus is back on it.
        detailChunk.gate = new Promise<void>((resolve) => (release = resolve));
        button(el, 'Try again').focus();
        await sendKeys({ press: 'Enter' });
        await waitUntil(() => text(el, 'dialog [role="status"]') === 'Loading the details…', 'no loading line on retry');
        expect(shadow(el).querySelector('dialog [role="alert"]')).to.equal(null);
        release();
        await waitUntil(() => text(el, 'dialog [role="alert"]') === 'The details could not be loaded.', 'no error after the retry');
        await waitUntil(() => clean(shadow(el).activeElement?.textContent) === 'Try again', 'focus did not return to "Try again"');
        expect(dialog(el).contains(shadow(el).activeElement)).to.equal(true);
        expect(detailChunk.attempts).to.equal(3);
        await accessible(el);

        detailChunk.fail = false;
        detailChunk.gate = Promise.resolve();
        await sendKeys({ press: 'Enter' });
        await waitUntil(() => detailShown(el), 'the details did not load', { timeout: 3000 });
        expect(detailChunk.attempts).to.equal(4);
        expect(text(el, 'dialog .detail-state')).to.equal('3 of 5 accepted answers');
        expect(shadow(el).querySelector('dialog [role="alert"]')).to.equal(null);
        // The "Try again" button made way for the details: focus is on their first control, in the dialog.
        expect(clean(shadow(el).activeElement?.textContent)).to.equal('Close');
        expect(dialog(el).contains(shadow(el).activeElement)).to.equal(true);
        await accessible(el);

        await sendKeys({ press: 'Escape' });
        await waitUntil(() => !dialog(el).open, 'dialog did not close');
        await el.updateComplete;
        expect(shadow(el).activeElement).to.equal(badgeButton);
      } finally {
        release();
        console.error = original;
        detailChunk.fail = false;
        detailChunk.gate = Promise.resolve();
      }
      expect(errors.length).to.equal(3);
    });

    it('loads the catalogue’s code when a catalogue shows; when it fails it says so, and "Try again" loads it', async () => {
      badgeServer({ achievements: [FIRST_POST], recent: [award('aw-9', FIRST_POST, ADA)] });
      const errors: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => errors.push(args);
      let release: () => void = () => undefined;
      try {
        catalogueChunk.fail = true;
        catalogueChunk.gate = new Promise<void>((resolve) => (release = resolve));
        const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall community="general"></guild-badge-wall>`);
        await waitUntil(() => catalogueChunk.attempts === 1, 'the catalogue was not loaded');
        await el.updateComplete;
        expect(text(el, 'h2')).to.equal('Community badges');
        expect(text(el, '[role="status"]')).to.equal('Loading badges…');
        expect(shadow(el).querySelector('[part="base"]')?.getAttribute('aria-busy')).to.equal('true');
        await accessible(el);

        release();
        await waitUntil(() => shadow(el).querySelector('[part="error"]'), 'no error');
        // Its code could not be fetched: the server is not blamed.
        expect(text(el, '[part="error"]')).to.equal('The badge catalogue could not be loaded.');
        expect(shadow(el).querySelector('[part="base"]')?.getAttribute('aria-busy')).to.equal('false');
        await accessible(el);

        // "Try again" makes way for the loading line; when it fails once more, focus is back on it.
        catalogueChunk.gate = new Promise<void>((resolve) => (release = resolve));
        button(el, 'Try again').focus();
        await sendKeys({ press: 'Enter' });
        await waitUntil(() => text(el, '[role="status"]') === 'Loading badges…', 'no loading line on retry');
        release();
        await waitUntil(() => shadow(el).querySelector('[part="error"]'), 'no error after the retry');
        await waitUntil(() => clean(shadow(el).activeElement?.textContent) === 'Try again', 'focus did not return to "Try again"');
        expect(catalogueChunk.attempts).to.equal(2);

        catalogueChunk.fail = false;
        catalogueChunk.gate = Promise.resolve();
        await sendKeys({ press: 'Enter' });
        await waitUntil(() => shadow(el).querySelector('[part="recent"]'), 'the catalogue did not load', { timeout: 3000 });
        expect(catalogueChunk.attempts).to.equal(3);
        // Focus went to the catalogue's first control, not to the page.
        expect(shadow(el).activeElement?.closest('guild-badge-catalogue')).to.not.equal(null);
        expect(texts(el, '[part="recent"] button')).to.deep.equal(['Ada Okafor earned First Post']);
        expect(shadow(el).querySelector('[part="error"]')).to.equal(null);
        await accessible(el);
      } finally {
        release();
        console.error = original;
        catalogueChunk.fail = false;
        catalogueChunk.gate = Promise.resolve();
      }
      expect(errors.length).to.equal(2);
    });
  });

  describe('states', () => {
    it('costs no style or layout far off screen, and is drawn once scrolled near', async () => {
      badgeServer();
      const el = await farOffScreen<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await waitUntil(() => shadow(el).querySelector('[part="summary"]'), 'not loaded');
      const summary = shadow(el).querySelector<HTMLElement>('[part="summary"]');
      if (!summary) throw new Error('no summary');
      await waitUntil(() => !summary.checkVisibility({ contentVisibilityAuto: true }), 'not skipped far off screen');
      el.scrollIntoView();
      await waitUntil(() => summary.checkVisibility({ contentVisibilityAuto: true }), 'not drawn once in view');
    });

    it('shows a badge’s dialog opened while the wall is far off screen, and skips the wall again once it closes', async () => {
      badgeServer();
      const el = await farOffScreen<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await loaded(el);
      const base = shadow(el).querySelector<HTMLElement>('[part="base"]');
      if (!base) throw new Error('no base');
      await waitUntil(() => !shadow(el).querySelector<HTMLElement>('[part="summary"]')?.checkVisibility({ contentVisibilityAuto: true }), 'not skipped far off screen');
      await openBadge(el, 'Problem Solver');
      expect(getComputedStyle(base).contentVisibility, 'not contained while the dialog is open').to.equal('visible');
      await waitUntil(() => dialog(el).querySelector('h2')?.checkVisibility({ contentVisibilityAuto: true }), 'the dialog is not drawn');
      expect(dialog(el).getBoundingClientRect().height).to.be.greaterThan(0);
      dialog(el).close();
      await waitUntil(() => getComputedStyle(base).contentVisibility === 'auto', 'contained again once closed');
    });

    it('shows an accessible skeleton while loading', async () => {
      const server = badgeServer({ extra: { 'GET /api/badge-walls': () => new Promise<Response>(() => undefined) } });
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await waitUntil(() => server.wallGets().length === 1, 'no request');
      await el.updateComplete;
      expect(shadow(el).querySelectorAll('.skeleton').length).to.equal(3);
      expect(text(el, '[role="status"]')).to.equal('Loading badges…');
      expect(shadow(el).querySelector('[part="base"]')?.getAttribute('aria-busy')).to.equal('true');
      await accessible(el);
    });

    it('shows earned, in-progress and locked badges, each as such', async () => {
      const server = badgeServer();
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await loaded(el);
      expect(server.wallGets()[0]?.url.searchParams.get('people')).to.equal('grace');
      expect(text(el, 'h2')).to.equal('Grace Hopper’s badges');
      expect(texts(el, '.section > h3')).to.deep.equal(['Earned', 'In progress', 'Locked']);
      expect(text(el, '[part="summary"]')).to.equal('3 earned · 2 in progress · 2 locked');

      const cards = [...shadow(el).querySelectorAll('[part="badge"]')];
      expect(cards.map((card) => card.getAttribute('data-state'))).to.deep.equal(['earned', 'expired', 'revoked', 'in-progress', 'in-progress', 'locked', 'locked']);
      expect(texts(el, '[data-state="earned"] .status')[0]).to.match(/^Earned /);
      expect(shadow(el).querySelector('[data-state="earned"] time')?.getAttribute('datetime')).to.equal('2026-11-20T10:00:00.000Z');
      expect(text(el, '[data-state="expired"] .label')).to.equal('Expired');
      expect(text(el, '[data-state="revoked"] .label')).to.equal('Revoked');
      // Value labels come from the community's settings.
      await waitUntil(() => texts(el, '[data-state="in-progress"] .status').includes('2 of 5 kudos for Mentoring'), 'no value label');
      expect(texts(el, '[data-state="in-progress"] .status')).to.deep.equal(['3 of 5 accepted answers', '2 of 5 kudos for Mentoring']);
      expect(shadow(el).querySelector<HTMLProgressElement>('[data-state="in-progress"] progress')?.value).to.equal(3);
      expect(texts(el, '[data-state="locked"] .criteria')[0]).to.equal('Verify ten knowledge cards so the community can trust them.');
      expect(texts(el, '[data-state="locked"] .label')).to.deep.equal(['Locked', 'Locked']);
      expect(texts(el, '[part="badge"] .open')).to.deep.equal(['First Post', 'Safety Refresher', 'Early Bird', 'Problem Solver', 'Mentor', 'Knowledge Keeper', 'Facilitator']);
      const image = shadow(el).querySelector<HTMLImageElement>('[part="badge"] img');
      expect(image?.src).to.equal(new URL('/node_modules/lit/logo.svg', location.href).href);
      expect(image?.alt).to.equal('');
      // Each badge's button is described by its state.
      const described = shadow(el).querySelector('[data-state="in-progress"] .open')?.getAttribute('aria-describedby') ?? '';
      expect(clean(shadow(el).getElementById(described)?.textContent)).to.equal('3 of 5 accepted answers');
      expect(texts(el, '[data-state="in-progress"] .tags li').slice(0, 2)).to.deep.equal(['answers', 'q-and-a']);
      await accessible(el);
      expect(server.api.unhandled).to.deep.equal([]);
    });

    it('hides locked badges with hide-locked', async () => {
      badgeServer();
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace" hide-locked></guild-badge-wall>`);
      await loaded(el);
      expect(texts(el, '.section > h3')).to.deep.equal(['Earned', 'In progress']);
      expect(shadow(el).querySelector('[data-state="locked"]')).to.equal(null);
      expect(text(el, '[part="summary"]')).to.equal('3 earned · 2 in progress');
      await accessible(el);
    });

    it('shows a community’s catalogue with how many earned each, and recent awards', async () => {
      const server = badgeServer({
        achievements: [FIRST_POST, PROBLEM_SOLVER, { ...KEEPER, earnedCount: 0 }],
        recent: [award('aw-9', FIRST_POST, ADA, { validFrom: '2026-11-29T09:00:00.000Z' }), award('aw-8', PROBLEM_SOLVER, MEI)],
      });
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall community="general"></guild-badge-wall>`);
      await loaded(el);
      expect(server.api.callsTo('GET', '/api/achievements')[0]?.url.searchParams.get('community')).to.equal('general');
      expect(server.api.callsTo('GET', '/api/awards')[0]?.url.searchParams.get('community')).to.equal('general');
      expect(server.wallGets()).to.deep.equal([]);
      expect(text(el, 'h2')).to.equal('Community badges');
      expect(texts(el, '.section > h3')).to.deep.equal(['Recently awarded', 'All badges']);
      expect(texts(el, '[part="recent"] button')).to.deep.equal(['Ada Okafor earned First Post', 'Mei Tanaka earned Problem Solver']);
      expect(texts(el, '[data-state="catalogue"] .status')).to.deep.equal(['Earned by 12 people', 'Earned by 3 people', 'Nobody has earned it yet']);
      await accessible(el);
      expect(server.api.unhandled).to.deep.equal([]);
    });

    it('says when there are no badges yet, on a wall and in a catalogue', async () => {
      badgeServer({ walls: [badgeWall(GRACE)] });
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await loaded(el);
      expect(text(el, '.note')).to.equal('No badges yet.');
      expect(text(el, '[part="summary"]')).to.equal('0 earned · 0 in progress · 0 locked');
      await accessible(el);
      fixtureCleanup();
      pageConfig.set({});

      badgeServer({ achievements: [] });
      const catalogue = await fixture<GuildBadgeWall>(html`<guild-badge-wall community="general"></guild-badge-wall>`);
      await loaded(catalogue);
      expect(text(catalogue, '.note')).to.equal('This community has no badges yet.');
      await accessible(catalogue);
    });

    it('says what the token URL answered when it fails, not that the network is down', async () => {
      const server = badgeServer({ who: null, extra: { 'GET /host/guild-token': () => problem(429, 'rate-limited', 'Slow down: try again in 30 seconds.') } });
      configure({ tokenUrl: '/host/guild-token' });
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert', { timeout: 3000 });
      expect(text(el, '[part="error"]')).to.equal('The badges could not be loaded: Slow down: try again in 30 seconds.');
      expect(server.wallGets()).to.have.length(0);
      await accessible(el);
    });

    it('says the server had a problem when the token URL answers without a token', async () => {
      badgeServer({ who: null, extra: { 'GET /host/guild-token': () => json({}) } });
      configure({ tokenUrl: '/host/guild-token' });
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert', { timeout: 3000 });
      expect(text(el, '[part="error"]')).to.equal('The badges could not be loaded: the server had a problem; try again in a moment.');
    });

    it('shows a readable error with "Try again" that loads once more', async () => {
      let failing = true;
      const server = badgeServer({
        extra: { 'GET /api/badge-walls': () => (failing ? problem(400, 'invalid-request', 'people: must match the PersonId pattern.') : json({ items: [graceWall()] })) },
      });
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert', { timeout: 3000 });
      expect(text(el, '[part="error"]')).to.equal('The badges could not be loaded: people: must match the PersonId pattern.');
      await accessible(el);
      failing = false;
      const before = server.wallGets().length;
      button(el, 'Try again').click();
      await waitUntil(() => shadow(el).querySelector('[part="badge"]'), 'did not reload');
      expect(server.wallGets().length).to.equal(before + 1);
      expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
    });

    it('says so when the person has no wall', async () => {
      badgeServer({ walls: [] });
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="nobody"></guild-badge-wall>`);
      await loaded(el);
      expect(text(el, '.note')).to.equal('There is no badge wall for this person.');
      expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
    });

    it('asks an anonymous visitor to sign in for user="me", without asking the server', async () => {
      const server = badgeServer({ who: null });
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="me"></guild-badge-wall>`);
      await loaded(el);
      expect(text(el, 'h2')).to.equal('Your badges');
      expect(text(el, '.note')).to.equal('Sign in to see your badges.');
      expect(server.wallGets()).to.deep.equal([]);
      await accessible(el);
    });

    it('shows anyone’s wall to an anonymous visitor: walls are public', async () => {
      const server = badgeServer({ who: null });
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await loaded(el);
      expect(server.wallGets()[0]?.headers.get('authorization')).to.equal(null);
      expect(shadow(el).querySelectorAll('[part="badge"]').length).to.equal(7);
      await accessible(el);
    });
  });

  describe('batching', () => {
    it('loads three walls on a page with one request', async () => {
      const server = badgeServer({ walls: [graceWall(), badgeWall(ADA, { locked: [KEEPER] }), badgeWall(MEI, { inProgress: [{ achievement: PROBLEM_SOLVER, current: 1, target: 5 }] })] });
      const page = await fixture<HTMLElement>(html`<div>
        <guild-badge-wall user="me"></guild-badge-wall>
        <guild-badge-wall user="ada"></guild-badge-wall>
        <guild-badge-wall user="mei"></guild-badge-wall>
      </div>`);
      const walls = [...page.querySelectorAll('guild-badge-wall')];
      for (const wall of walls) await loaded(wall);
      await nextTask(20);
      expect(server.wallGets().length).to.equal(1);
      expect(server.wallGets()[0]?.url.searchParams.get('people')?.split(',').sort()).to.deep.equal(['ada', 'me', 'mei']);
      expect(walls.map((wall) => text(wall, 'h2'))).to.deep.equal(['Your badges', 'Ada Okafor’s badges', 'Mei Tanaka’s badges']);
      expect(walls.map((wall) => shadow(wall).querySelectorAll('[part="badge"]').length)).to.deep.equal([7, 1, 1]);
      await expect(page).to.be.accessible();
    });
  });

  describe('category filter', () => {
    it('starts from the category attribute and changes by keyboard, over the categories present', async () => {
      badgeServer();
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace" category="Helping"></guild-badge-wall>`);
      await loaded(el);
      const chips = [...shadow(el).querySelectorAll<HTMLInputElement>('[part="filter"] input[type="radio"]')];
      expect(texts(el, '[part="filter"] label')).to.deep.equal(['All', 'Helping', 'Knowledge', 'Participation']);
      expect(chips.map((chip) => chip.checked)).to.deep.equal([false, true, false, false]);
      expect(texts(el, '[part="badge"] .open')).to.deep.equal(['Problem Solver', 'Mentor']);
      expect(text(el, '[part="summary"]')).to.equal('0 earned · 2 in progress · 0 locked');
      await accessible(el);

      chips[1]?.focus();
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(texts(el, '[part="badge"] .open')).to.deep.equal(['Safety Refresher', 'Knowledge Keeper']);
      await sendKeys({ press: 'ArrowLeft' });
      await sendKeys({ press: 'ArrowLeft' });
      await el.updateComplete;
      expect(shadow(el).querySelectorAll('[part="badge"]').length).to.equal(7);
    });
  });

  describe('details dialog', () => {
    it('opens from the keyboard, traps focus in a modal, closes on Escape and returns focus', async () => {
      badgeServer({ walls: [badgeWall(GRACE, { inProgress: [{ achievement: PROBLEM_SOLVER, current: 3, target: 5 }], locked: [{ ...KEEPER, category: 'Helping' }] })] });
      const page = await fixture<HTMLElement>(html`<div><button id="before">Before</button><guild-badge-wall user="grace"></guild-badge-wall></div>`);
      const el = page.querySelector('guild-badge-wall');
      if (!el) throw new Error('no wall');
      await loaded(el);
      const opened: GuildBadgeOpenEvent[] = [];
      el.addEventListener('guild-badge-open', (event) => opened.push(event));
      page.querySelector<HTMLButtonElement>('#before')?.focus();
      await sendKeys({ press: 'Tab' });
      const badgeButton = shadow(el).activeElement;
      expect(clean(badgeButton?.textContent)).to.equal('Problem Solver');
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => dialog(el).open, 'dialog did not open');
      await waitUntil(() => detailShown(el), 'no details', { timeout: 3000 });
      await el.updateComplete;
      expect(dialog(el).matches(':modal')).to.equal(true);
      expect(dialog(el).contains(shadow(el).activeElement)).to.equal(true);
      expect(text(el, 'dialog h2')).to.equal('Problem Solver');
      expect(text(el, 'dialog .detail-state')).to.equal('3 of 5 accepted answers');
      expect(texts(el, 'dialog .meta')).to.deep.equal(['Goal: 5 accepted answers']);
      expect(opened.map((event) => [event.achievement.id, event.award])).to.deep.equal([['problem-solver', undefined]]);
      await accessible(el);

      // The page behind is inert: Tab never reaches it.
      for (let i = 0; i < 3; i += 1) {
        await sendKeys({ press: 'Tab' });
        expect(document.activeElement).to.not.equal(page.querySelector('#before'));
        const inWall = shadow(el).activeElement;
        if (inWall) expect(dialog(el).contains(inWall)).to.equal(true);
      }

      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !dialog(el).open, 'dialog did not close');
      await el.updateComplete;
      expect(shadow(el).activeElement).to.equal(badgeButton);
    });

    it('starts afresh for a badge opened before the dialog’s close lands: verifies an award, forgets the last one’s messages', async () => {
      await signedServer();
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await loaded(el);
      let refuse = false;
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: () => (refuse ? Promise.reject(new DOMException('Denied', 'NotAllowedError')) : Promise.resolve()) },
      });
      /** Closes the dialog and opens another badge in the same task: its `close` event lands after the badge opened. */
      const switchTo = async (name: string) => {
        dialog(el).close();
        button(el, name).click();
        await waitUntil(() => dialog(el).open && text(el, 'dialog h2') === name, `${name} did not open`);
        await el.updateComplete;
      };
      try {
        await openBadge(el, 'Knowledge Keeper');
        const details = shadow(el).querySelector('guild-badge-detail');
        await switchTo('First Post');
        expect(shadow(el).querySelector('guild-badge-detail'), 'the same details, reused').to.equal(details);
        expect(await verdict(el)).to.match(/^Verified /);
        button(el, 'Copy verification link').click();
        await waitUntil(() => text(el, 'dialog .action-status') === 'Link copied.', 'no confirmation');

        await switchTo('Safety Refresher');
        expect(shadow(el).querySelector('guild-badge-detail')).to.equal(details);
        expect(text(el, 'dialog .action-status')).to.equal('');
        refuse = true;
        button(el, 'Copy verification link').click();
        await waitUntil(() => shadow(el).querySelector('.copy-field input'), 'no fallback');

        await switchTo('Early Bird');
        expect(shadow(el).querySelector('.copy-field'), 'the last badge’s link to copy').to.equal(null);
        await waitUntil(() => verification(el).shadowRoot?.querySelector('[part="verdict"]'), 'the award was not checked', { timeout: 4000 });
        await accessible(el);
      } finally {
        Reflect.deleteProperty(navigator, 'clipboard');
      }
    });

    it('shows everything about an earned badge, with safe links', async () => {
      const server = await signedServer();
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await loaded(el);
      await openBadge(el, 'First Post');
      expect(text(el, 'dialog h2')).to.equal('First Post');
      expect(texts(el, 'dialog h3')).to.deep.equal(['Description', 'Criteria', 'Evidence', 'Details', 'Skills', 'Tags', 'Verification']);
      expect(text(el, 'dialog .narrative')).to.equal('What first-post is about.');
      const evidence = shadow(el).querySelector<HTMLAnchorElement>('dialog .links a');
      expect(evidence?.textContent).to.equal('Her first answer');
      expect(evidence?.href).to.equal('https://guild.example.com/threads/1#c-7');
      expect(evidence?.rel).to.equal('noopener noreferrer');
      const facts = Object.fromEntries([...shadow(el).querySelectorAll('dialog dt')].map((dt) => [clean(dt.textContent), clean(dt.nextElementSibling?.textContent)]));
      expect(facts['Awarded to']).to.equal('Grace Hopper');
      expect(facts['Issuer']).to.equal('General Guild');
      expect(facts['Issued']).to.match(/Nov 20, 2026/);
      expect(facts['Valid until']).to.match(/Nov 20, 2027/);
      expect(facts['Awarded by']).to.equal('Awarded automatically for activity');
      expect(facts['Category']).to.equal('Participation');
      const skill = [...shadow(el).querySelectorAll<HTMLAnchorElement>('dialog .links a')].find((a) => a.textContent === 'Written communication');
      expect(skill?.href).to.equal('https://skills.example.com/written-communication');
      expect(await verdict(el)).to.match(/^Verified Signed by General Guild, not revoked, valid until Nov 20, 2027/);
      await accessible(el);
      expect(server.api.unhandled).to.deep.equal([]);
    });

    it('copies the verification link, with a confirmation, and falls back to a selected field', async () => {
      badgeServer();
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await loaded(el);
      const copied: string[] = [];
      let refuse = false;
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: (value: string) => (refuse ? Promise.reject(new DOMException('Denied', 'NotAllowedError')) : (copied.push(value), Promise.resolve())) },
      });
      try {
        await openBadge(el, 'First Post');
        button(el, 'Copy verification link').click();
        await waitUntil(() => text(el, 'dialog .action-status') === 'Link copied.', 'no confirmation');
        expect(copied).to.deep.equal(['https://guild.example.com/badges/verify/aw-1']);
        refuse = true;
        button(el, 'Copy verification link').click();
        await waitUntil(() => shadow(el).querySelector('.copy-field input'), 'no fallback');
        const field = shadow(el).querySelector<HTMLInputElement>('.copy-field input');
        expect(field?.value).to.equal('https://guild.example.com/badges/verify/aw-1');
        expect(shadow(el).activeElement).to.equal(field);
        expect(field?.selectionEnd).to.equal(field?.value.length);
        expect(text(el, '.copy-field')).to.equal('Copy this link:');
        await accessible(el);
      } finally {
        Reflect.deleteProperty(navigator, 'clipboard');
      }
    });

    it('adds my badge to LinkedIn with its name, issuer, dates, link and id, in a new tab', async () => {
      badgeServer();
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="me"></guild-badge-wall>`);
      await loaded(el);
      await openBadge(el, 'First Post');
      const link = [...shadow(el).querySelectorAll<HTMLAnchorElement>('[part="actions"] a')].find((a) => a.textContent?.includes('Add to LinkedIn profile'));
      if (!link) throw new Error('no LinkedIn link');
      const url = new URL(link.href);
      expect(`${url.origin}${url.pathname}`).to.equal('https://www.linkedin.com/profile/add');
      expect(Object.fromEntries(url.searchParams)).to.deep.equal({
        startTask: 'CERTIFICATION_NAME',
        name: 'First Post',
        organizationName: 'General Guild',
        issueYear: '2026',
        issueMonth: '11',
        expirationYear: '2027',
        expirationMonth: '11',
        certUrl: 'https://guild.example.com/badges/verify/aw-1',
        certId: 'aw-1',
      });
      expect(link.target).to.equal('_blank');
      expect(link.relList.contains('noopener')).to.equal(true);
      expect(clean(link.textContent)).to.equal('Add to LinkedIn profile (opens in a new tab)');
      // Not offered for a revoked badge, nor on someone else's wall.
      dialog(el).close();
      await openBadge(el, 'Early Bird');
      expect(shadow(el).querySelector('[part="actions"] a')).to.equal(null);
    });

    it('downloads the credential as pretty-printed JSON', async () => {
      const { issuer, earned, ...server } = await signedServer();
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await loaded(el);
      const blobs: Blob[] = [];
      const create = URL.createObjectURL.bind(URL);
      URL.createObjectURL = (blob: Blob | MediaSource) => {
        if (blob instanceof Blob) blobs.push(blob);
        return create(blob);
      };
      const clicked: HTMLAnchorElement[] = [];
      const click = HTMLAnchorElement.prototype.click;
      HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        if (this.download) clicked.push(this);
        else click.call(this);
      };
      try {
        await openBadge(el, 'First Post');
        button(el, 'Download credential (JSON)').click();
        await waitUntil(() => text(el, 'dialog .action-status') === 'Credential downloaded.', 'no confirmation');
      } finally {
        URL.createObjectURL = create;
        HTMLAnchorElement.prototype.click = click;
      }
      expect(clicked[0]?.download).to.equal('first-post-aw-1.json');
      const body = await blobs[0]?.text();
      expect(blobs[0]?.type).to.equal('application/json');
      expect(JSON.parse(body ?? '')).to.deep.equal(issuer.credentialPayload(earned));
      expect(body).to.contain('\n  "type": [\n    "VerifiableCredential",');
      // Verification and download read the credential once.
      expect(server.api.callsTo('GET', '/api/awards/aw-1/credential').length).to.equal(1);
    });
  });

  describe('verification in the page (real Ed25519 signatures)', () => {
    /** Opens "First Post" on Grace's wall and waits for the verdict. */
    async function verifyWith(options: SignedOptions) {
      const server = await signedServer(options);
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await loaded(el);
      await openBadge(el, 'First Post');
      return { el, server, result: await verdict(el) };
    }

    it('says "Verified" for a valid credential, in a live region, after a checking state', async () => {
      let releaseKeys: () => void = () => undefined;
      const keysHeld = new Promise<void>((resolve) => (releaseKeys = resolve));
      const server = await signedServer({
        sign: (issuer, of) => issuer.credential(of, { statusListIndex: 7 }),
        // Its neighbours are revoked, and so is the bit a least-significant-first reading would pick.
        revoked: [0, 6, 8],
        extra: (issuer) => ({
          'GET /api/issuers/:id/jwks': async () => {
            await keysHeld;
            return json(issuer.jwks);
          },
        }),
      });
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await loaded(el);
      await openBadge(el, 'First Post');
      const live = () => verification(el).shadowRoot?.querySelector('[part="result"]');
      await waitUntil(() => live(), 'no verification');
      expect(live()?.getAttribute('role')).to.equal('status');
      expect(clean(live()?.textContent)).to.equal('Checking the credential…');
      await accessible(el);
      releaseKeys();
      expect(await verdict(el)).to.match(/^Verified Signed by General Guild, not revoked, valid until /);
      expect(server.api.callsTo('GET', '/api/issuers/general/jwks').length).to.equal(1);
      expect(server.api.callsTo('GET', '/api/issuers/general/status-list').length).to.equal(1);
      await accessible(el);
    });

    it('says "Could not verify" for a credential changed after signing', async () => {
      const { el, result } = await verifyWith({ sign: (issuer, of) => issuer.tampered(of) });
      expect(result).to.equal('Could not verify Its signature does not match: it was changed after it was signed, or someone other than the issuer signed it.');
      expect(button(verification(el), 'Check again')).to.not.equal(undefined);
      await accessible(el);
    });

    it('says "Expired" when its validity ended', async () => {
      const { el, result } = await verifyWith({ sign: (issuer, of) => issuer.credential(of, { validFrom: '2025-01-10T10:00:00.000Z', validUntil: '2026-01-10T10:00:00.000Z' }) });
      expect(result).to.match(/^Expired Its validity ended Jan 10, 2026/);
      await accessible(el);
    });

    it('says "Revoked" when its bit is set in the signed status list', async () => {
      const { el, result } = await verifyWith({ sign: (issuer, of) => issuer.credential(of, { statusListIndex: 12_345 }), revoked: [12_345] });
      expect(result).to.equal('Revoked The issuer revoked this credential.');
      await accessible(el);
    });

    it('says "Could not verify" for a credential signed by another key', async () => {
      const { el, result } = await verifyWith({ sign: (issuer, of) => issuer.signedByAnotherKey(of) });
      expect(result).to.match(/^Could not verify Its signature does not match/);
      await accessible(el);
    });

    it('refuses alg "none" and HS256 before touching a key', async () => {
      const none = await verifyWith({ sign: (issuer, of) => issuer.unsecured(of) });
      expect(none.result).to.equal('Could not verify It is signed with “none”, not with an Ed25519 key (EdDSA).');
      await accessible(none.el);
      dialog(none.el).close();
      fixtureCleanup();
      pageConfig.set({});
      const hmac = await verifyWith({ sign: (issuer, of) => issuer.hmac(of) });
      expect(hmac.result).to.equal('Could not verify It is signed with “HS256”, not with an Ed25519 key (EdDSA).');
    });

    it('does not trust a status list signed by someone else', async () => {
      const { result } = await verifyWith({ listSigner: await testIssuer() });
      expect(result).to.match(/^Could not verify Its revocation status could not be checked/);
    });

    it('says "Could not verify" with the reason when the network fails, and checks again', async () => {
      let offline = true;
      const { el, result } = await verifyWith({
        extra: (issuer) => ({ 'GET /api/issuers/:id/jwks': () => (offline ? Promise.reject(new TypeError('Failed to fetch')) : json(issuer.jwks)) }),
      });
      expect(result).to.equal('Could not verify The credential or the issuer’s keys could not be fetched: the network is unreachable.');
      await accessible(el);
      offline = false;
      button(verification(el), 'Check again').click();
      await waitUntil(() => clean(verification(el).shadowRoot?.querySelector('[part="result"]')?.textContent).startsWith('Verified'), 'not verified after retry', { timeout: 4000 });
    });
  });

  describe('live', () => {
    function awardEvent(of: Award, action: 'created' | 'revoked' = 'created'): Schemas['AwardEvent'] {
      return { id: `ev-${of.id}-${action}`, type: 'award.changed', occurredAt: NOW, action, award: of };
    }

    it('celebrates a new award: it moves to earned, is announced, and animates', async () => {
      const server = badgeServer();
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="me"></guild-badge-wall>`);
      await loaded(el);
      await waitUntil(() => server.events.connections > 0, 'no event stream');
      const solved = award('aw-20', PROBLEM_SOLVER, GRACE, { validFrom: NOW });
      server.events.push(awardEvent(award('aw-99', PROBLEM_SOLVER, ADA)));
      server.events.push(awardEvent(solved));
      await waitUntil(() => text(el, '[role="status"][aria-live="polite"]') !== '', 'not announced');
      expect(text(el, '[role="status"][aria-live="polite"]')).to.equal('Congratulations! You earned the badge “Problem Solver”.');
      expect(texts(el, '[data-state="earned"] .open')).to.deep.equal(['Problem Solver', 'First Post']);
      expect(texts(el, '[data-state="in-progress"] .open')).to.deep.equal(['Mentor']);
      const card = shadow(el).querySelector('.celebrate');
      expect(card?.getAttribute('data-state')).to.equal('earned');
      expect(card?.getAnimations().length).to.be.greaterThan(0);
      await accessible(el);
    });

    it('celebrates without motion when the visitor prefers reduced motion', async () => {
      await emulateMedia({ reducedMotion: 'reduce' });
      const server = badgeServer();
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="me"></guild-badge-wall>`);
      await loaded(el);
      await waitUntil(() => server.events.connections > 0, 'no event stream');
      server.events.push(awardEvent(award('aw-21', PROBLEM_SOLVER, GRACE, { validFrom: NOW })));
      await waitUntil(() => shadow(el).querySelector('.celebrate'), 'not celebrated');
      expect(text(el, '[role="status"][aria-live="polite"]')).to.equal('Congratulations! You earned the badge “Problem Solver”.');
      expect(shadow(el).querySelector('.celebrate')?.getAnimations()).to.deep.equal([]);
    });

    it('shows a revocation and celebrates new awards in the catalogue', async () => {
      const server = badgeServer({ achievements: [FIRST_POST, PROBLEM_SOLVER], recent: [award('aw-9', FIRST_POST, ADA)] });
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall community="general"></guild-badge-wall>`);
      await loaded(el);
      await waitUntil(() => server.events.connections > 0, 'no event stream');
      server.events.push(awardEvent(award('aw-30', PROBLEM_SOLVER, MEI, { validFrom: NOW })));
      await waitUntil(() => texts(el, '[part="recent"] button').length === 2, 'not added');
      expect(texts(el, '[part="recent"] button')[0]).to.equal('Mei Tanaka earned Problem Solver');
      expect(text(el, '[role="status"][aria-live="polite"]')).to.equal('Mei Tanaka earned the badge “Problem Solver”.');
      expect(texts(el, '[data-state="catalogue"] .status')).to.deep.equal(['Earned by 12 people', 'Earned by 4 people']);
      server.events.push(awardEvent(award('aw-9', FIRST_POST, ADA, { result: { status: 'Revoked' } }), 'revoked'));
      await waitUntil(() => texts(el, '[part="recent"] button').length === 1, 'revocation not shown');
      expect(texts(el, '[data-state="catalogue"] .status')[0]).to.equal('Earned by 11 people');
    });

    it('re-reads every wall once, batched, shortly after activity that counts', async () => {
      const server = badgeServer({ walls: [graceWall(), badgeWall(ADA, { inProgress: [{ achievement: PROBLEM_SOLVER, current: 1, target: 5 }] })] });
      const page = await fixture<HTMLElement>(html`<div><guild-badge-wall user="grace"></guild-badge-wall><guild-badge-wall user="ada"></guild-badge-wall></div>`);
      const [grace, ada] = [...page.querySelectorAll('guild-badge-wall')];
      if (!grace || !ada) throw new Error('no walls');
      await loaded(grace);
      await loaded(ada);
      await waitUntil(() => server.events.connections > 0, 'no event stream');
      expect(server.wallGets().length).to.equal(1);
      server.data.walls.set('ada', badgeWall(ADA, { inProgress: [{ achievement: PROBLEM_SOLVER, current: 2, target: 5 }] }));
      const thread: Schemas['ThreadSummary'] = { subject: 'course-101/week-1', community: 'general', commentCount: 2, mode: 'question', locked: false, acceptedCommentId: 'c-2', allowedReactions: [] };
      server.events.push({ id: 't1', type: 'thread.changed', occurredAt: NOW, actorId: 'grace', action: 'accepted', thread });
      server.events.push({ id: 't2', type: 'thread.changed', occurredAt: NOW, actorId: 'grace', action: 'locked', thread });
      await nextTask(500);
      expect(server.wallGets().length).to.equal(1);
      await waitUntil(() => text(ada, '[data-state="in-progress"] .status') === '2 of 5 accepted answers', 'progress did not move', { timeout: 3000 });
      await nextTask(50);
      expect(server.wallGets().length).to.equal(2);
      expect(server.wallGets()[1]?.url.searchParams.get('people')?.split(',').sort()).to.deep.equal(['ada', 'grace']);
    });
  });

  describe('German', () => {
    it('speaks German after the translation loads, including the verification', async () => {
      await signedServer();
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="me" lang="de"></guild-badge-wall>`);
      await loaded(el);
      await waitUntil(() => text(el, 'h2') === 'Deine Abzeichen', `not German: ${text(el, 'h2')}`);
      expect(texts(el, '.section > h3')).to.deep.equal(['Erhalten', 'In Arbeit', 'Noch gesperrt']);
      await waitUntil(() => texts(el, '[data-state="in-progress"] .status').includes('2 von 5 Kudos für Mentoring'), 'no German value label');
      expect(texts(el, '[data-state="in-progress"] .status')[0]).to.equal('3 von 5 akzeptierten Antworten');
      expect(text(el, '[part="summary"]')).to.equal('3 erhalten · 2 in Arbeit · 2 gesperrt');
      expect(texts(el, '[data-state="earned"] .status')[0]).to.match(/^Erhalten /);
      await accessible(el);
      await openBadge(el, 'First Post');
      expect(await verdict(el)).to.match(/^Geprüft Signiert von General Guild, nicht widerrufen, gültig bis /);
      expect(clean(button(el, 'Prüflink kopieren').textContent)).to.equal('Prüflink kopieren');
      await accessible(el);
    });
  });

  describe('hostile content', () => {
    it('renders badge text as text and drops javascript: image, evidence and skill URLs', async () => {
      const hostileName = '<img src=x onerror="window.__pwned = true">';
      const evil = achievement('evil', {
        name: hostileName,
        description: '<script>window.__pwned = true</script>',
        criteria: { narrative: '<svg onload="window.__pwned = true"></svg>' },
        image: { id: 'javascript:alert(1)' },
        alignment: [{ targetName: 'Skill <b>bold</b>', targetUrl: 'javascript:alert(2)' }],
      });
      const svgImage = achievement('svg-image', { image: { id: 'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+' } });
      badgeServer({
        walls: [
          badgeWall(GRACE, {
            earned: [award('aw-e', evil, GRACE, { evidence: [{ id: 'javascript:alert(3)', name: 'Click <i>me</i>' }, { id: 'JaVaScRiPt:alert(4)' }] })],
            locked: [svgImage],
          }),
        ],
      });
      const el = await fixture<GuildBadgeWall>(html`<guild-badge-wall user="grace"></guild-badge-wall>`);
      await loaded(el);
      expect(text(el, '[part="badge"] .open')).to.equal(hostileName);
      expect(shadow(el).querySelectorAll('img')).to.have.length(0);
      expect(shadow(el).querySelector('svg, script, b, i')).to.equal(null);
      expect(texts(el, '[part="badge"] span.image')).to.deep.equal(['<S', 'SI']);
      await openBadge(el, hostileName);
      expect(text(el, 'dialog h2')).to.equal(hostileName);
      expect(text(el, 'dialog .narrative')).to.equal('<script>window.__pwned = true</script>');
      expect(texts(el, 'dialog .links li')).to.deep.equal(['Click <i>me</i>', 'JaVaScRiPt:alert(4)', 'Skill <b>bold</b>']);
      expect(shadow(el).querySelectorAll('dialog .links a')).to.have.length(0);
      expect(shadow(el).querySelector('dialog svg, dialog script, dialog img')).to.equal(null);
      expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
    });
  });
});
