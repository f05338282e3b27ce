import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { components } from '../../src/api/schema.js';
import '../../src/define/spotlight.js';
import type { GuildSpotlight } from '../../src/elements/spotlight/spotlight.js';
import { configure, pageConfig } from '../../src/internal/config.js';
import { EventStreamMock, fakeToken, json, me, mockApi, nextTask, person, problem, summary, testConfig, type Me } from './mock-api.js';
import { shadow, text, texts } from './dom.js';

type Schemas = components['schemas'];
type Spotlight = Schemas['Spotlight'];
type SpotlightEntry = Schemas['SpotlightEntry'];
type Kudos = Schemas['Kudos'];
type Community = Schemas['Community'];

const NOW = '2026-11-29T10:00:00.000Z';
const ADA = person('ada', 'Ada Okafor');
const MEI = person('mei', 'Mei Tanaka');
const LINUS = person('linus', 'Linus');
const GRACE = person('grace', 'Grace');
const HELPFUL = { id: 'helpful', label: 'Helpful' };

let counter = 0;
/** Every test works on its own community, so memoised stores never leak between tests. */
function uniqueCommunity(): string {
  counter += 1;
  return `c-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

const celebrateEntries: SpotlightEntry[] = [
  { kind: 'kudos-received', person: ADA, count: 2, value: HELPFUL, reason: '2 kudos for Helpful', since: NOW },
  { kind: 'helped', person: MEI, count: 3, reason: '3 accepted answers', since: NOW },
  { kind: 'facilitator', person: LINUS, count: 1, reason: 'became a facilitator', since: NOW },
];

const leaderboardEntries: SpotlightEntry[] = [
  { kind: 'kudos-received', person: ADA, count: 5, reason: '5 kudos', rank: 1 },
  { kind: 'kudos-received', person: MEI, count: 3, reason: '3 kudos', rank: 2 },
];

function spotlight(communityId: string, mode: 'celebrate' | 'leaderboard', entries: SpotlightEntry[]): Spotlight {
  return { communityId, period: 'week', mode, from: '2026-11-22T10:00:00.000Z', to: NOW, rankingAllowed: mode === 'leaderboard', entries };
}

function kudos(id: string, fields: Partial<Kudos> = {}): Kudos {
  return { id, subject: 'course-101/week-1', giver: LINUS, recipient: GRACE, communityId: 'general', createdAt: NOW, status: 'given', ...fields };
}

function community(id: string): Community {
  return { id, name: 'General', settings: { kudosAllowancePerWeek: 3, rankingAllowed: false, reviewIntervalDays: 30, kudosValues: [HELPFUL, { id: 'brave', label: 'Brave' }] } };
}

function buttonByText(el: Element, label: string): HTMLButtonElement | undefined {
  return [...shadow(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.replace(/\s+/g, ' ').trim() === label);
}

function checkbox(el: Element): HTMLInputElement {
  const input = shadow(el).querySelector<HTMLInputElement>('[part="opt-out"] input[type="checkbox"]');
  if (!input) throw new Error('no opt-out checkbox');
  return input;
}

interface ServerOptions {
  /** Signed in as (default `grace`), or `null` for anonymous. */
  who?: string | null;
  preferences?: Me['preferences'];
  entries?: SpotlightEntry[];
  /** `leaderboard` is refused with 403 ranking-forbidden. */
  forbidRanking?: boolean;
  feed?: Kudos[];
  extra?: Parameters<typeof mockApi>[0];
}

/** An in-memory server for one community's spotlight and kudos feed. */
function spotlightServer(communityId: string, options: ServerOptions = {}) {
  const who = options.who === undefined ? 'grace' : options.who;
  const events = new EventStreamMock();
  const state = { entries: options.entries ?? celebrateEntries, feed: options.feed ?? [], preferences: options.preferences };
  const api = mockApi({
    'GET /api/me': () => {
      if (!who) return problem(401, 'unauthorized');
      const mine: Me = { ...me(who), person: who === 'grace' ? GRACE : person(who) };
      return json(state.preferences ? { ...mine, preferences: state.preferences } : mine);
    },
    'GET /api/events': events.handler,
    'GET /api/communities/:id/spotlight': (request) => {
      const mode = new URL(request.url).searchParams.get('mode') === 'leaderboard' ? 'leaderboard' : 'celebrate';
      if (mode === 'leaderboard' && options.forbidRanking) return problem(403, 'ranking-forbidden', 'This community does not allow rankings.');
      return json(spotlight(communityId, mode, mode === 'leaderboard' ? leaderboardEntries : state.entries));
    },
    'GET /api/communities/:id': (_request, params) => json(community(params['id'] ?? communityId)),
    'GET /api/kudos': () => json({ items: state.feed.filter((k) => k.status === 'given'), nextCursor: null }),
    'POST /api/kudos/:id/decline': async (request, params) => {
      const body = (await request.json()) as { message?: string };
      const found = state.feed.find((k) => k.id === params['id']);
      if (!found) return problem(404, 'not-found');
      found.status = 'declined';
      if (body.message) found.declineMessage = body.message;
      return json(found, 201);
    },
    'PUT /api/people/me/preferences': async (request) => {
      state.preferences = (await request.json()) as { spotlightOptOut: boolean };
      return json(state.preferences);
    },
    ...options.extra,
  });
  configure({ ...testConfig, fetch: api.fetch, getToken: who ? () => fakeToken(who) : undefined });
  const spotlightGets = (mode?: string) =>
    api.callsTo('GET', `/api/communities/${communityId}/spotlight`).filter((c) => !mode || c.url.searchParams.get('mode') === mode);
  return { api, events, state, spotlightGets };
}

/** Runs axe once the entries' fade-in has finished (mid-animation text fails the contrast rule). */
async function accessible(el: GuildSpotlight): Promise<void> {
  await el.updateComplete;
  await Promise.all(shadow(el).getAnimations().map((animation) => animation.finished));
  await expect(el).to.be.accessible();
}

async function loaded(el: GuildSpotlight): Promise<void> {
  await waitUntil(() => shadow(el).querySelector('ul, ol, .note, [role="alert"]'), 'never loaded');
  await el.updateComplete;
}

describe('guild-spotlight', () => {
  afterEach(() => {
    fixtureCleanup();
    pageConfig.set({});
  });

  describe('states', () => {
    it('shows an accessible skeleton while loading', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id, { extra: { 'GET /api/communities/:id/spotlight': () => new Promise<Response>(() => undefined) } });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id}></guild-spotlight>`);
      await waitUntil(() => server.spotlightGets().length === 1, 'no request');
      await el.updateComplete;
      expect(shadow(el).querySelector('.skeleton')).to.not.equal(null);
      expect(text(el, '.visually-hidden')).to.equal('Loading…');
      expect(text(el, 'h2')).to.equal('Celebrating this week');
      expect(shadow(el).querySelector('[part="entry"]')).to.equal(null);
      await accessible(el);
    });

    it('celebrates entries with translated reasons, in a list without ranks', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id);
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id}></guild-spotlight>`);
      await loaded(el);
      const call = server.spotlightGets()[0];
      expect(call?.url.searchParams.get('mode')).to.equal('celebrate');
      expect(call?.url.searchParams.get('period')).to.equal('week');
      expect(shadow(el).querySelector('ul')).to.not.equal(null);
      expect(shadow(el).querySelector('ol')).to.equal(null);
      expect(texts(el, 'ul [part="entry"] strong')).to.deep.equal(['Ada Okafor', 'Mei Tanaka', 'Linus']);
      expect(texts(el, '[part="reason"]')).to.deep.equal(['2 kudos for Helpful', '3 accepted answers', 'became a facilitator']);
      expect(shadow(el).querySelector('.rank')).to.equal(null);
      expect(text(el, '[part="entry"] .avatar')).to.equal('AO');
      await accessible(el);
      expect(server.api.unhandled).to.deep.equal([]);
    });

    it('builds reasons from kind, count and value, not from the server’s English reason', async () => {
      const id = uniqueCommunity();
      spotlightServer(id, {
        entries: [
          { kind: 'kudos-received', person: ADA, count: 1, reason: 'server text', since: NOW },
          { kind: 'helped', person: MEI, count: 1, reason: 'server text', since: NOW },
        ],
      });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id}></guild-spotlight>`);
      await loaded(el);
      expect(texts(el, '[part="reason"]')).to.deep.equal(['1 kudos', '1 accepted answer']);
    });

    it('says when there is nothing to celebrate yet', async () => {
      const id = uniqueCommunity();
      spotlightServer(id, { entries: [] });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id}></guild-spotlight>`);
      await loaded(el);
      expect(text(el, '.note')).to.equal('Nothing to celebrate yet in this period: thank someone and they will show here.');
      expect(shadow(el).querySelector('[part="entry"]')).to.equal(null);
      await accessible(el);
    });

    it('shows an error with "Try again" that reloads once', async () => {
      const id = uniqueCommunity();
      let failing = true;
      const server = spotlightServer(id, {
        extra: { 'GET /api/communities/:id/spotlight': () => (failing ? problem(500, 'server-error') : json(spotlight(id, 'celebrate', celebrateEntries))) },
      });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id}></guild-spotlight>`);
      await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert', { timeout: 3000 });
      expect(text(el, '[part="error"]')).to.contain('The spotlight could not be loaded.');
      await accessible(el);
      await nextTask(20);
      const before = server.spotlightGets().length;
      failing = false;
      const retry = buttonByText(el, 'Try again');
      if (!retry) throw new Error('no "Try again" button');
      retry.click();
      await waitUntil(() => shadow(el).querySelector('ul [part="entry"]'), 'did not reload');
      expect(server.spotlightGets().length).to.equal(before + 1);
      expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
    });

    it('asks for a community when there is none and nobody is signed in', async () => {
      const server = spotlightServer(uniqueCommunity(), { who: null });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight></guild-spotlight>`);
      await waitUntil(() => shadow(el).querySelector('.note'), 'no note');
      expect(text(el, '.note')).to.equal('This spotlight needs a community (set the community attribute).');
      expect(shadow(el).querySelector('.skeleton')).to.equal(null);
      expect(server.api.calls.filter((c) => c.path.includes('/spotlight'))).to.deep.equal([]);
      await accessible(el);
    });

    it('uses my first community when no community is set', async () => {
      const server = spotlightServer('general');
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight></guild-spotlight>`);
      await loaded(el);
      expect(server.spotlightGets().length).to.be.greaterThan(0);
      expect(texts(el, '[part="reason"]')).to.have.length(3);
    });
  });

  describe('period', () => {
    it('asks for the period and titles it; an unknown period means the week', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id);
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id} period="month"></guild-spotlight>`);
      await loaded(el);
      expect(server.spotlightGets()[0]?.url.searchParams.get('period')).to.equal('month');
      expect(text(el, 'h2')).to.equal('Celebrating this month');
      el.setAttribute('period', 'decade');
      await waitUntil(() => text(el, 'h2') === 'Celebrating this week', 'did not fall back to the week');
      await waitUntil(() => server.spotlightGets().some((c) => c.url.searchParams.get('period') === 'week'), 'week not asked');
    });
  });

  describe('leaderboard', () => {
    it('ranks people in an ordered list', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id);
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id} mode="leaderboard"></guild-spotlight>`);
      await loaded(el);
      expect(server.spotlightGets()[0]?.url.searchParams.get('mode')).to.equal('leaderboard');
      expect(shadow(el).querySelector('ul')).to.equal(null);
      expect(texts(el, 'ol .rank')).to.deep.equal(['#1', '#2']);
      expect(text(el, 'h2')).to.equal('Most thanked this week');
      await accessible(el);
    });

    it('falls back to celebrating when the community forbids ranking', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id, { forbidRanking: true });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id} mode="leaderboard"></guild-spotlight>`);
      await waitUntil(() => shadow(el).querySelector('ul [part="entry"]'), 'did not fall back', { timeout: 3000 });
      expect(server.spotlightGets('leaderboard').length).to.be.greaterThan(0);
      expect(server.spotlightGets('celebrate').length).to.equal(1);
      expect(text(el, '.note')).to.equal('This community does not rank people, so here is what they achieved instead.');
      expect(shadow(el).querySelector('ol')).to.equal(null);
      expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
      expect(text(el, 'h2')).to.equal('Celebrating this week');
      await accessible(el);
    });
  });

  describe('live', () => {
    it('re-reads the spotlight on kudos.changed and shows the new entry', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id, { entries: [] });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id}></guild-spotlight>`);
      await loaded(el);
      await waitUntil(() => server.events.connections > 0, 'no event stream');
      await nextTask(20);
      expect(server.spotlightGets().length).to.equal(1);
      server.state.entries = [{ kind: 'kudos-received', person: ADA, count: 1, value: HELPFUL, reason: '1 kudos for Helpful', since: NOW }];
      server.events.push({ id: '1', type: 'kudos.changed', occurredAt: NOW, actorId: 'mei', action: 'given', summary: summary('course-101/week-1', { count: 1 }) });
      await waitUntil(() => server.spotlightGets().length === 2, 'no second GET within a second', { timeout: 1000 });
      await waitUntil(() => text(el, '[part="reason"]') === '1 kudos for Helpful', 'new entry not shown');
    });
  });

  describe('opt-out', () => {
    it('is checked when I never set preferences, and hidden for anonymous visitors', async () => {
      const id = uniqueCommunity();
      spotlightServer(id);
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id}></guild-spotlight>`);
      await loaded(el);
      await waitUntil(() => shadow(el).querySelector('[part="opt-out"]'), 'no opt-out');
      expect(checkbox(el).checked).to.equal(true);
      expect(text(el, '[part="opt-out"]')).to.equal('Show me in spotlights');
      fixtureCleanup();
      pageConfig.set({});

      const other = uniqueCommunity();
      spotlightServer(other, { who: null });
      const anonymous = await fixture<GuildSpotlight>(html`<guild-spotlight community=${other}></guild-spotlight>`);
      await loaded(anonymous);
      await nextTask(20);
      expect(shadow(anonymous).querySelector('[part="opt-out"]')).to.equal(null);
    });

    it('is unchecked when I opted out', async () => {
      const id = uniqueCommunity();
      spotlightServer(id, { preferences: { spotlightOptOut: true } });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id}></guild-spotlight>`);
      await loaded(el);
      await waitUntil(() => shadow(el).querySelector('[part="opt-out"]'), 'no opt-out');
      expect(checkbox(el).checked).to.equal(false);
    });

    it('opts out by keyboard: PUT, then re-reads the spotlight', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id);
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id}></guild-spotlight>`);
      await loaded(el);
      await waitUntil(() => shadow(el).querySelector('[part="opt-out"]'), 'no opt-out');
      const before = server.spotlightGets().length;
      checkbox(el).focus();
      await sendKeys({ press: 'Space' });
      await waitUntil(() => server.api.callsTo('PUT', '/api/people/me/preferences').length === 1, 'no PUT');
      expect(server.api.callsTo('PUT', '/api/people/me/preferences')[0]?.body).to.deep.equal({ spotlightOptOut: true });
      await waitUntil(() => server.spotlightGets().length === before + 1, 're-read missing');
      await waitUntil(() => text(el, '[role="status"]') === 'You will not appear in spotlights.', 'no announcement');
      expect(checkbox(el).checked).to.equal(false);
      expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
      await accessible(el);
    });

    it('rolls the checkbox back and shows an alert when saving fails', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id, { extra: { 'PUT /api/people/me/preferences': () => problem(500, 'server-error') } });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id}></guild-spotlight>`);
      await loaded(el);
      await waitUntil(() => shadow(el).querySelector('[part="opt-out"]'), 'no opt-out');
      const before = server.spotlightGets().length;
      checkbox(el).focus();
      await sendKeys({ press: 'Space' });
      await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert', { timeout: 3000 });
      expect(text(el, '[role="alert"]')).to.contain('That did not work');
      expect(checkbox(el).checked).to.equal(true);
      expect(server.spotlightGets().length).to.equal(before);
      await accessible(el);
    });
  });

  describe('feed', () => {
    it('lists kudos with the value label and the message as text', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id, { who: 'mei', feed: [kudos('k1', { communityId: id, value: 'helpful', message: 'Thanks for the review!' })] });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id} view="feed"></guild-spotlight>`);
      await loaded(el);
      const list = server.api.callsTo('GET', '/api/kudos')[0];
      expect(list?.url.searchParams.get('community')).to.equal(id);
      expect(list?.url.searchParams.get('limit')).to.equal('20');
      expect(server.api.callsTo('GET', `/api/communities/${id}`).length).to.equal(1);
      expect(text(el, 'h2')).to.equal('Recent kudos');
      expect(text(el, '[part="entry"] strong')).to.equal('Linus thanked Grace');
      expect(text(el, '[part="reason"]')).to.equal('for Helpful');
      expect(text(el, '.message')).to.equal('Thanks for the review!');
      expect(shadow(el).querySelector('time')?.getAttribute('datetime')).to.equal(NOW);
      // Not mine: nothing to decline.
      expect(buttonByText(el, 'Decline')).to.equal(undefined);
      await accessible(el);
      expect(server.api.unhandled).to.deep.equal([]);
    });

    it('says when there are no kudos yet', async () => {
      const id = uniqueCommunity();
      spotlightServer(id, { feed: [] });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id} view="feed"></guild-spotlight>`);
      await loaded(el);
      expect(text(el, '.note')).to.equal('No kudos yet: be the first to thank someone.');
      await accessible(el);
    });

    it('lets me decline kudos given to me, with a trimmed message, then re-reads the feed', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id, { feed: [kudos('k1', { communityId: id, message: 'Nice' }), kudos('k2', { communityId: id, recipient: ADA })] });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id} view="feed"></guild-spotlight>`);
      await loaded(el);
      await waitUntil(() => buttonByText(el, 'Decline'), 'no Decline for kudos to me');
      expect(shadow(el).querySelectorAll('[part="entry"]').length).to.equal(2);
      expect([...shadow(el).querySelectorAll('button')].filter((b) => b.textContent?.trim() === 'Decline').length).to.equal(1);
      buttonByText(el, 'Decline')?.click();
      await el.updateComplete;
      const field = shadow(el).querySelector<HTMLTextAreaElement>('form textarea');
      if (!field) throw new Error('no decline form');
      expect(shadow(el).querySelector(`label[for="${field.id}"]`)?.textContent).to.equal('A message for the giver (optional)');
      await accessible(el);
      field.focus();
      await sendKeys({ type: '  Please thank the team instead  ' });
      const before = server.api.callsTo('GET', '/api/kudos').length;
      buttonByText(el, 'Decline kudos')?.click();
      await waitUntil(() => server.api.callsTo('POST', '/api/kudos/k1/decline').length === 1, 'no POST');
      const post = server.api.callsTo('POST', '/api/kudos/k1/decline')[0];
      expect(post?.headers.get('Idempotency-Key')).to.be.a('string').and.not.equal('');
      expect(post?.body).to.deep.equal({ message: 'Please thank the team instead' });
      await waitUntil(() => server.api.callsTo('GET', '/api/kudos').length === before + 1, 'feed not re-read');
      await waitUntil(() => shadow(el).querySelectorAll('[part="entry"]').length === 1, 'declined kudos still shown');
      expect(shadow(el).querySelector('form')).to.equal(null);
      expect(text(el, '[role="status"]')).to.equal('Declined.');
    });

    it('sends an empty body when the decline message is blank', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id, { feed: [kudos('k1', { communityId: id })] });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id} view="feed"></guild-spotlight>`);
      await loaded(el);
      await waitUntil(() => buttonByText(el, 'Decline'), 'no Decline');
      buttonByText(el, 'Decline')?.click();
      await el.updateComplete;
      const field = shadow(el).querySelector<HTMLTextAreaElement>('form textarea');
      if (!field) throw new Error('no decline form');
      field.value = '   ';
      buttonByText(el, 'Decline kudos')?.click();
      await waitUntil(() => server.api.callsTo('POST', '/api/kudos/k1/decline').length === 1, 'no POST');
      expect(server.api.callsTo('POST', '/api/kudos/k1/decline')[0]?.body).to.deep.equal({});
    });

    it('closes the decline form on Escape without sending', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id, { feed: [kudos('k1', { communityId: id })] });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id} view="feed"></guild-spotlight>`);
      await loaded(el);
      await waitUntil(() => buttonByText(el, 'Decline'), 'no Decline');
      buttonByText(el, 'Decline')?.click();
      await el.updateComplete;
      shadow(el).querySelector<HTMLTextAreaElement>('form textarea')?.focus();
      await sendKeys({ type: 'never mind' });
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => shadow(el).querySelector('form') === null, 'form still open');
      expect(buttonByText(el, 'Decline')).to.not.equal(undefined);
      expect(server.api.calls.filter((c) => c.method === 'POST')).to.deep.equal([]);
    });

    it('keeps the form open and shows an alert when declining fails', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id, { feed: [kudos('k1', { communityId: id })], extra: { 'POST /api/kudos/:id/decline': () => problem(409, 'already-declined') } });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id} view="feed"></guild-spotlight>`);
      await loaded(el);
      await waitUntil(() => buttonByText(el, 'Decline'), 'no Decline');
      buttonByText(el, 'Decline')?.click();
      await el.updateComplete;
      buttonByText(el, 'Decline kudos')?.click();
      await waitUntil(() => shadow(el).querySelector('[role="alert"]'), 'no alert');
      expect(text(el, '[role="alert"]')).to.contain('That did not work');
      expect(shadow(el).querySelector('form textarea')).to.not.equal(null);
      expect(server.api.callsTo('POST', '/api/kudos/k1/decline').length).to.equal(1);
    });

    it('re-reads the feed on kudos.changed', async () => {
      const id = uniqueCommunity();
      const server = spotlightServer(id, { who: null, feed: [kudos('k1', { communityId: id })] });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id} view="feed"></guild-spotlight>`);
      await loaded(el);
      await waitUntil(() => server.events.connections > 0, 'no event stream');
      server.state.feed.unshift(kudos('k2', { communityId: id, giver: ADA, recipient: MEI }));
      server.events.push({ id: '2', type: 'kudos.changed', occurredAt: NOW, actorId: 'ada', action: 'given', summary: summary('course-101/week-1', { count: 2 }) });
      await waitUntil(() => shadow(el).querySelectorAll('[part="entry"]').length === 2, 'feed not re-read', { timeout: 1500 });
      expect(text(el, '[part="entry"] strong')).to.equal('Ada Okafor thanked Mei Tanaka');
    });

    it('shows a hostile message as text', async () => {
      const id = uniqueCommunity();
      const hostile = '<img src=x onerror=alert(1)>';
      spotlightServer(id, { feed: [kudos('k1', { communityId: id, message: hostile, giver: person('evil', '<b>Eve</b>') })] });
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id} view="feed"></guild-spotlight>`);
      await loaded(el);
      expect(shadow(el).querySelector('.message')?.textContent).to.equal(hostile);
      expect(shadow(el).querySelector('img')).to.equal(null);
      expect(shadow(el).querySelector('b')).to.equal(null);
      expect(text(el, '[part="entry"] strong')).to.equal('<b>Eve</b> thanked Grace');
    });
  });

  describe('German', () => {
    it('speaks German after the translation loads', async () => {
      const id = uniqueCommunity();
      spotlightServer(id);
      const el = await fixture<GuildSpotlight>(html`<guild-spotlight community=${id} lang="de"></guild-spotlight>`);
      await loaded(el);
      await waitUntil(() => text(el, 'h2') === 'Erfolge dieser Woche', `not German: ${text(el, 'h2')}`);
      expect(texts(el, '[part="reason"]')).to.deep.equal(['2 Kudos für Helpful', '3 akzeptierte Antworten', 'ist jetzt Moderatorin oder Moderator']);
      await waitUntil(() => text(el, '[part="opt-out"]') === 'Mich in Spotlights zeigen', 'opt-out not German');
      await accessible(el);
    });
  });
});
