import { expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define/kudos-button.js';
import '../../src/define/provider.js';
import { GuildKudosChangeEvent, type GuildKudosButton } from '../../src/elements/kudos-button/kudos-button.js';
import { configure, pageConfig } from '../../src/internal/config.js';
import {
  EventStreamMock,
  fakeToken,
  json,
  me,
  mockApi,
  nextTask,
  person,
  problem,
  summary,
  testConfig,
  type KudosSummary,
} from './mock-api.js';
import { farOffScreen, shadow, text } from './dom.js';

let counter = 0;
/** Every test works on its own subjects, so memoised stores never leak between tests. */
function uniqueSubject(name = 'lesson'): string {
  counter += 1;
  return `${name}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

function toggle(el: GuildKudosButton): HTMLButtonElement {
  const button = shadow(el).querySelector<HTMLButtonElement>('button[part="button"]');
  if (!button) throw new Error('no toggle button');
  return button;
}

async function ready(el: GuildKudosButton): Promise<void> {
  await waitUntil(() => shadow(el).querySelector('.count') || shadow(el).querySelector('.retry'), 'never loaded');
  await el.updateComplete;
}

interface Server {
  summaries: Map<string, KudosSummary>;
  events: EventStreamMock;
  api: ReturnType<typeof mockApi>;
}

/** A small in-memory kudos server for one test, signed in as `who` (or anonymous). */
function kudosServer(who: string | null, initial: KudosSummary[] = []): Server {
  const summaries = new Map(initial.map((s) => [s.subject, s]));
  const events = new EventStreamMock();
  let nextId = 100;
  const api = mockApi({
    'GET /api/me': () => (who ? json(me(who)) : problem(401, 'unauthorized')),
    'GET /api/events': events.handler,
    'GET /api/kudos/summaries': (request) => {
      const subjects = new URL(request.url).searchParams.get('subjects')?.split(',') ?? [];
      return json({ items: subjects.map((s) => summaries.get(s) ?? summary(s)) });
    },
    'POST /api/kudos': async (request) => {
      const body: unknown = await request.json();
      const subject = typeof body === 'object' && body && 'subject' in body ? String(body.subject) : '';
      const before = summaries.get(subject) ?? summary(subject);
      if (before.givenByMe) return problem(409, 'already-given');
      nextId += 1;
      const after = { ...before, count: before.count + 1, givenByMe: true, myKudosId: String(nextId) };
      summaries.set(subject, after);
      const giver = person(who ?? 'nobody');
      return json(
        {
          kudos: { id: String(nextId), subject, giver, recipient: person('grace'), communityId: 'general', status: 'given', createdAt: '2026-11-29T10:00:00.000Z' },
          summary: after,
        },
        201,
      );
    },
    'DELETE /api/kudos/:id': (_request, params) => {
      const entry = [...summaries.values()].find((s) => s.myKudosId === params['id']);
      if (!entry) return problem(404, 'not-found');
      const after = { ...entry, count: entry.count - 1, givenByMe: false, myKudosId: null };
      summaries.set(entry.subject, after);
      return json({
        kudos: { id: params['id'] ?? '', subject: entry.subject, giver: person(who ?? 'x'), recipient: person('grace'), communityId: 'general', status: 'given', createdAt: '2026-11-29T10:00:00.000Z' },
        summary: after,
      });
    },
  });
  configure({ ...testConfig, fetch: api.fetch, getToken: who ? () => fakeToken(who) : undefined });
  return { summaries, events, api };
}

describe('guild-kudos-button', () => {
  afterEach(() => {
    // Remove the elements first, so resetting the page configuration does not make them reconnect.
    fixtureCleanup();
    pageConfig.set({});
  });

  it('shows the count, who gave, and whether I gave, and is accessible', async () => {
    const subject = uniqueSubject();
    const server = kudosServer('linus', [
      summary(subject, { count: 3, recentGivers: [person('mei', 'Mei Tanaka'), person('ada', 'Ada Okafor')] }),
    ]);
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject} recipient="grace"></guild-kudos-button>`);
    await ready(el);
    expect(text(el, '.count')).to.equal('3');
    expect(toggle(el).getAttribute('aria-pressed')).to.equal('false');
    expect(text(el, '#givers')).to.equal('From Mei Tanaka, Ada Okafor, and 1 more');
    await expect(el).to.be.accessible();
    expect(server.api.unhandled).to.deep.equal([]);
  });

  it('is accessible and busy while loading', async () => {
    const api = mockApi({ 'GET /api/kudos/summaries': () => new Promise<Response>(() => undefined) });
    configure({ ...testConfig, fetch: api.fetch });
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${uniqueSubject()}></guild-kudos-button>`);
    await nextTask(10);
    expect(toggle(el).getAttribute('aria-busy')).to.equal('true');
    expect(toggle(el).textContent).to.contain('Loading kudos…');
    await expect(el).to.be.accessible();
  });

  it('gives kudos in one click: optimistic, keyed, announced, and fires guild-kudos-change', async () => {
    const subject = uniqueSubject();
    const server = kudosServer('linus', [summary(subject, { count: 2 })]);
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject} recipient="grace"></guild-kudos-button>`);
    await ready(el);
    const changed = oneEvent(el, 'guild-kudos-change');
    toggle(el).click();
    await el.updateComplete;
    // Optimistic: the count moves before the server answers.
    expect(text(el, '.count')).to.equal('3');
    expect(toggle(el).getAttribute('aria-pressed')).to.equal('true');
    const event = await changed;
    if (!(event instanceof GuildKudosChangeEvent)) throw new Error('not a typed event');
    expect([event.subject, event.given, event.count, event.bubbles, event.composed]).to.deep.equal([subject, true, 3, true, true]);
    const [post] = server.api.callsTo('POST', '/api/kudos');
    expect(post?.body).to.deep.equal({ subject, recipientId: 'grace' });
    expect(post?.headers.get('idempotency-key')).to.match(/^[0-9a-f-]{36}$/);
    expect(post?.headers.get('authorization')).to.match(/^Bearer /);
    await el.updateComplete;
    expect(text(el, '[role="status"]')).to.equal('You gave kudos. 3 kudos now.');
    await expect(el).to.be.accessible();
  });

  it('takes my kudos back on the second click', async () => {
    const subject = uniqueSubject();
    const server = kudosServer('linus', [summary(subject, { count: 1, givenByMe: true, myKudosId: '7' })]);
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject}></guild-kudos-button>`);
    await ready(el);
    expect(toggle(el).getAttribute('aria-pressed')).to.equal('true');
    const changed = oneEvent(el, 'guild-kudos-change');
    toggle(el).click();
    const event = await changed;
    if (!(event instanceof GuildKudosChangeEvent)) throw new Error('not a typed event');
    expect(event.given).to.equal(false);
    expect(server.api.callsTo('DELETE', '/api/kudos/7')).to.have.length(1);
    await el.updateComplete;
    expect(text(el, '.count')).to.equal('0');
    expect(toggle(el).getAttribute('aria-pressed')).to.equal('false');
  });

  it('rolls back visibly and politely when the server refuses', async () => {
    const subject = uniqueSubject();
    const api = mockApi({
      'GET /api/me': () => json(me('linus')),
      'GET /api/events': new EventStreamMock().handler,
      'GET /api/kudos/summaries': () => json({ items: [summary(subject, { count: 5 })] }),
      'POST /api/kudos': () => problem(409, 'already-given', 'You already gave kudos on this subject.'),
    });
    configure({ ...testConfig, fetch: api.fetch, getToken: () => fakeToken('linus') });
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject} recipient="grace"></guild-kudos-button>`);
    await ready(el);
    toggle(el).click();
    await waitUntil(() => shadow(el).querySelector('[part="error"]'), 'no error shown');
    expect(text(el, '.count')).to.equal('5');
    expect(toggle(el).getAttribute('aria-pressed')).to.equal('false');
    expect(text(el, '[part="error"]')).to.equal('Your kudos was not saved: you already gave kudos here.');
    expect(text(el, '[role="status"]')).to.equal('Your kudos was not saved: you already gave kudos here.');
    await expect(el).to.be.accessible();
  });

  it('shows what the server has after a conflict (kudos given in another tab), naming me as "you"', async () => {
    const subject = uniqueSubject();
    let reads = 0;
    const api = mockApi({
      'GET /api/me': () => json(me('linus')),
      'GET /api/events': new EventStreamMock().handler,
      'GET /api/kudos/summaries': () => {
        reads += 1;
        return json({
          items: [
            reads === 1
              ? summary(subject, { count: 1, recentGivers: [person('mei', 'Mei Tanaka')] })
              : summary(subject, { count: 2, givenByMe: true, myKudosId: '9', recentGivers: [person('linus'), person('mei', 'Mei Tanaka')] }),
          ],
        });
      },
      'POST /api/kudos': () => problem(409, 'already-given'),
    });
    configure({ ...testConfig, fetch: api.fetch, getToken: () => fakeToken('linus') });
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject} recipient="grace"></guild-kudos-button>`);
    await ready(el);
    toggle(el).click();
    await waitUntil(() => text(el, '.count') === '2', 'did not reload after the conflict');
    expect(toggle(el).getAttribute('aria-pressed')).to.equal('true');
    expect(text(el, '#givers')).to.equal('From you and Mei Tanaka');
  });

  it('lets an anonymous visitor read but not give, with a sign-in hint, and never asks who they are', async () => {
    const subject = uniqueSubject();
    const server = kudosServer(null, [summary(subject, { count: 4 })]);
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject} recipient="grace"></guild-kudos-button>`);
    await ready(el);
    await waitUntil(() => shadow(el).querySelector('[part="note"]'), 'no sign-in hint');
    expect(text(el, '[part="note"]')).to.equal('Sign in to give kudos.');
    expect(toggle(el).getAttribute('aria-disabled')).to.equal('true');
    toggle(el).click();
    await nextTask(20);
    expect(server.api.callsTo('POST', '/api/kudos')).to.have.length(0);
    expect(server.api.callsTo('GET', '/api/me')).to.have.length(0);
    expect(text(el, '[role="status"]')).to.equal('Sign in to give kudos.');
    await expect(el).to.be.accessible();
  });

  it('does not let me thank myself', async () => {
    const subject = uniqueSubject();
    const server = kudosServer('grace', [summary(subject, { count: 2, recipient: person('grace') })]);
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject}></guild-kudos-button>`);
    await ready(el);
    await waitUntil(() => shadow(el).querySelector('[part="note"]'), 'no self hint');
    expect(text(el, '[part="note"]')).to.equal('This is yours: kudos are for thanking someone else.');
    toggle(el).click();
    await nextTask(20);
    expect(server.api.callsTo('POST', '/api/kudos')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('shows a readable error with a working retry when loading fails', async () => {
    const subject = uniqueSubject();
    // Every automatic attempt fails; the person's own "Try again" then succeeds.
    let failures = 4;
    const api = mockApi({
      'GET /api/events': new EventStreamMock().handler,
      'GET /api/kudos/summaries': () =>
        failures-- > 0 ? problem(500, 'about:blank') : json({ items: [summary(subject, { count: 9 })] }),
    });
    configure({ ...testConfig, fetch: api.fetch });
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject}></guild-kudos-button>`);
    await ready(el);
    expect(text(el, '[part="error"]')).to.equal('Kudos could not be loaded.');
    await expect(el).to.be.accessible();
    shadow(el).querySelector<HTMLButtonElement>('.retry')?.click();
    await waitUntil(() => shadow(el).querySelector('.count'), 'retry did not load');
    expect(text(el, '.count')).to.equal('9');
  });

  it('turns a proxy error page (HTML, not JSON) into the error state, not an exception', async () => {
    const api = mockApi({
      'GET /api/events': new EventStreamMock().handler,
      'GET /api/kudos/summaries': () => new Response('<html><body>Bad gateway</body></html>', { status: 502, headers: { 'content-type': 'text/html' } }),
    });
    configure({ ...testConfig, fetch: api.fetch });
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${uniqueSubject()}></guild-kudos-button>`);
    await ready(el);
    expect(text(el, '[part="error"]')).to.equal('Kudos could not be loaded.');
  });

  it('treats an answer that breaks the contract, or truncated JSON, as an error, not as data', async () => {
    const broken = uniqueSubject();
    const truncated = uniqueSubject();
    const api = mockApi({
      'GET /api/events': new EventStreamMock().handler,
      'GET /api/kudos/summaries': (request) =>
        new URL(request.url).searchParams.get('subjects')?.includes(broken)
          ? json({ items: [{ subject: broken, count: 'many' }] })
          : new Response('{"items": [{"subject": "', { status: 200, headers: { 'content-type': 'application/json' } }),
    });
    configure({ ...testConfig, fetch: api.fetch });
    const first = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${broken}></guild-kudos-button>`);
    await ready(first);
    expect(text(first, '[part="error"]')).to.equal('Kudos could not be loaded.');
    await nextTask(5);
    const second = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${truncated}></guild-kudos-button>`);
    await ready(second);
    expect(text(second, '[part="error"]')).to.equal('Kudos could not be loaded.');
  });

  it('fails only the button whose subject is invalid, not the others read with it', async () => {
    const good = uniqueSubject();
    const server = kudosServer(null, [summary(good, { count: 4 })]);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    const wrapper = await fixture(html`<div>
      <guild-kudos-button id="good" subject=${good}></guild-kudos-button>
      <guild-kudos-button id="bad" subject="has spaces, and commas"></guild-kudos-button>
    </div>`);
    const goodEl = wrapper.querySelector<GuildKudosButton>('#good');
    const badEl = wrapper.querySelector<GuildKudosButton>('#bad');
    if (!goodEl || !badEl) throw new Error('missing');
    await ready(goodEl);
    await ready(badEl);
    expect(text(goodEl, '.count')).to.equal('4');
    expect(text(badEl, '[part="error"]')).to.equal('Kudos could not be loaded.');
    const asked = server.api.callsTo('GET', '/api/kudos/summaries').flatMap((c) => c.url.searchParams.get('subjects')?.split(',') ?? []);
    expect(asked).to.deep.equal([good]);
    console.warn = warn;
    expect(warnings).to.deep.equal(['Guildkit: "has spaces, and commas" is not a valid subject: at most 512 characters, no spaces, commas or control characters.']);
  });

  it('asks once for twenty buttons on one subject, and once for twenty subjects (one /me)', async () => {
    const shared = uniqueSubject('shared');
    const distinct = Array.from({ length: 20 }, () => uniqueSubject('distinct'));
    const server = kudosServer('linus');
    const el = await fixture(html`<div>
      ${Array.from({ length: 20 }, () => html`<guild-kudos-button subject=${shared} recipient="grace"></guild-kudos-button>`)}
      ${distinct.map((s) => html`<guild-kudos-button subject=${s} recipient="grace"></guild-kudos-button>`)}
    </div>`);
    const buttons = [...el.querySelectorAll('guild-kudos-button')];
    for (const button of buttons) await ready(button);
    const reads = server.api.callsTo('GET', '/api/kudos/summaries');
    expect(reads).to.have.length(1);
    const asked = reads[0]?.url.searchParams.get('subjects')?.split(',') ?? [];
    expect(asked).to.have.length(21);
    expect(asked.filter((s) => s === shared)).to.have.length(1);
    expect(server.api.callsTo('GET', '/api/me')).to.have.length(1);
    expect(server.events.connections).to.equal(1);
  });

  it('works by keyboard alone', async () => {
    const subject = uniqueSubject();
    const server = kudosServer('linus', [summary(subject)]);
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject} recipient="grace"></guild-kudos-button>`);
    await ready(el);
    toggle(el).focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => server.api.callsTo('POST', '/api/kudos').length === 1, 'Enter did not give');
    await waitUntil(() => !toggle(el).hasAttribute('aria-busy') || toggle(el).getAttribute('aria-busy') === 'false');
    await sendKeys({ press: 'Space' });
    await waitUntil(() => server.api.calls.some((c) => c.method === 'DELETE'), 'Space did not take back');
  });

  it('still works after being taken off the page and put back (SPA re-render)', async () => {
    const subject = uniqueSubject();
    const server = kudosServer('linus', [summary(subject, { count: 1 })]);
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject} recipient="grace"></guild-kudos-button>`);
    await ready(el);
    const parent = el.parentElement;
    el.remove();
    // Longer than nanostores' unmount delay, so the store really lets go.
    await nextTask(1100);
    parent?.append(el);
    await waitUntil(() => text(el, '.count') === '1', 'not shown again');
    toggle(el).click();
    await waitUntil(() => server.api.callsTo('POST', '/api/kudos').length === 1, 'click after re-attach did nothing');
    await waitUntil(() => text(el, '.count') === '2');
  });

  it('asks the server again when someone else acted while my write was in flight', async () => {
    const subject = uniqueSubject();
    let release: () => void = () => undefined;
    const server = kudosServer('linus', [summary(subject, { count: 1 })]);
    const events = server.events;
    const api = mockApi({
      'GET /api/me': () => json(me('linus')),
      'GET /api/events': events.handler,
      'GET /api/kudos/summaries': () => json({ items: [server.summaries.get(subject) ?? summary(subject)] }),
      'POST /api/kudos': async () => {
        await new Promise<void>((resolve) => (release = resolve));
        const after = summary(subject, { count: 3, givenByMe: true, myKudosId: '77' });
        server.summaries.set(subject, after);
        return json({ kudos: { id: '77', subject, giver: person('linus'), recipient: person('grace'), communityId: 'general', status: 'given', createdAt: '2026-11-29T10:00:00.000Z' }, summary: summary(subject, { count: 2, givenByMe: true, myKudosId: '77' }) }, 201);
      },
    });
    configure({ ...testConfig, fetch: api.fetch, getToken: () => fakeToken('linus') });
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject} recipient="grace"></guild-kudos-button>`);
    await ready(el);
    await waitUntil(() => events.connections > 0);
    await nextTask(20);
    toggle(el).click();
    await nextTask(20);
    events.push({ id: '500', type: 'kudos.changed', occurredAt: '2026-11-29T10:00:00.000Z', actorId: 'mei', action: 'given', summary: summary(subject, { count: 2 }) });
    await nextTask(20);
    release();
    // My answer said 2; Mei's event arrived meanwhile; the server, asked again, has 3.
    await waitUntil(() => text(el, '.count') === '3', 'did not catch up with the server');
    expect(toggle(el).getAttribute('aria-pressed')).to.equal('true');
  });

  it('follows a new subject set on the live element', async () => {
    const first = uniqueSubject();
    const second = uniqueSubject();
    kudosServer('linus', [summary(first, { count: 1 }), summary(second, { count: 42 })]);
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${first}></guild-kudos-button>`);
    await ready(el);
    expect(text(el, '.count')).to.equal('1');
    el.subject = second;
    await waitUntil(() => text(el, '.count') === '42', 'did not follow the new subject');
  });

  it('speaks the language of its nearest lang attribute', async () => {
    const subject = uniqueSubject();
    kudosServer(null, [summary(subject, { count: 1200, recentGivers: [person('tomas', 'Tomás Weber')] })]);
    const wrapper = await fixture(html`<div lang="de"><guild-kudos-button subject=${subject}></guild-kudos-button></div>`);
    const el = wrapper.querySelector('guild-kudos-button');
    if (!el) throw new Error('missing');
    await ready(el);
    // German strings load on first use: English shows for a moment, then German.
    await waitUntil(() => text(el, '[part="note"]') === 'Melde dich an, um Kudos zu geben.', 'German did not arrive');
    expect(text(el, '.count')).to.equal('1.200');
    expect(text(el, '[part="note"]')).to.equal('Melde dich an, um Kudos zu geben.');
    expect(text(el, '#givers')).to.equal('Von Tomás Weber und 1.199 weiteren');
    await expect(el).to.be.accessible();
  });

  describe('the popover for a message and a value', () => {
    function withGivingContext(server: Server, remaining = 3) {
      const original = server.api.fetch;
      const extra = mockApi({
        'GET /api/kudos/allowance': () => json({ communityId: 'general', perWeek: 10, used: 10 - remaining, remaining, renewsAt: '2026-11-30T00:00:00.000Z' }),
        'GET /api/communities/:id': (_request, params) =>
          json({
            id: params['id'] ?? 'general',
            name: 'General',
            settings: { kudosAllowancePerWeek: 10, rankingAllowed: false, reviewIntervalDays: 90, kudosValues: [{ id: 'helpful', label: 'Helpful' }, { id: 'mentoring', label: 'Mentoring' }] },
          }),
      });
      const fetchBoth = async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        const path = new URL(request.url).pathname;
        return path.startsWith('/api/kudos/allowance') || path.startsWith('/api/communities/') ? extra.fetch(request) : original(request);
      };
      configure({ ...testConfig, fetch: fetchBoth, getToken: () => fakeToken('linus') });
      return extra;
    }

    it('takes its button’s dark palette, like every part that loads later', async () => {
      const subject = uniqueSubject();
      const server = kudosServer('linus', [summary(subject, { count: 2, recipient: person('grace', 'Grace Lindqvist') })]);
      withGivingContext(server, 3);
      const wrapper = await fixture(html`<div style="background: #111827"><guild-kudos-button theme="dark" subject=${subject}></guild-kudos-button></div>`);
      const el = wrapper.querySelector<GuildKudosButton>('guild-kudos-button');
      if (!el) throw new Error('missing');
      await ready(el);
      shadow(el).querySelector<HTMLButtonElement>('button.more')?.click();
      await waitUntil(() => shadow(el).querySelector('guild-kudos-popover')?.shadowRoot?.querySelector('[part="allowance"]'), 'popover did not load');
      const base = shadow(el).querySelector('guild-kudos-popover')?.shadowRoot?.querySelector<HTMLElement>('[part="base"]');
      if (!base) throw new Error('no popover');
      expect(getComputedStyle(base).backgroundColor, 'dark surface').to.equal('rgb(17, 24, 39)');
      expect(getComputedStyle(base).color, 'light text').to.equal('rgb(229, 231, 235)');
      await expect(wrapper).to.be.accessible();
    });

    it('skips style and layout far off screen, with room for its focus ring, and lifts that while its popover is open', async () => {
      const subject = uniqueSubject();
      const server = kudosServer('linus', [summary(subject, { count: 2, recipient: person('grace', 'Grace Lindqvist') })]);
      withGivingContext(server, 3);
      const el = await farOffScreen<GuildKudosButton>(html`<guild-kudos-button subject=${subject}></guild-kudos-button>`);
      await ready(el);
      const base = shadow(el).querySelector<HTMLElement>('[part="base"]');
      if (!base) throw new Error('no base');
      const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      await frames();
      expect(getComputedStyle(base).contentVisibility).to.equal('auto');
      expect(toggle(el).checkVisibility({ contentVisibilityAuto: true }), 'skipped far off screen').to.equal(false);
      el.scrollIntoView();
      await waitUntil(() => toggle(el).checkVisibility({ contentVisibilityAuto: true }), 'not rendered once in view');
      toggle(el).focus();
      // Focus does not lift the containment (that would move the button in a row aligned by baseline):
      // the ring fits in the base's padding.
      expect(getComputedStyle(base).contentVisibility, 'the same while it holds focus').to.equal('auto');
      const outer = base.getBoundingClientRect();
      const inner = toggle(el).getBoundingClientRect();
      const ring = 3;
      expect(inner.left - outer.left, 'room for the focus ring on the left').to.be.at.least(ring);
      expect(inner.top - outer.top, 'room for the focus ring above').to.be.at.least(ring);
      expect(outer.bottom - inner.bottom, 'room for the focus ring below').to.be.at.least(ring);
      shadow(el).querySelector<HTMLButtonElement>('button.more')?.click();
      await waitUntil(() => shadow(el).querySelector('guild-kudos-popover')?.shadowRoot?.querySelector('[part="allowance"]'), 'popover did not load');
      (shadow(el).querySelector('guild-kudos-popover')?.shadowRoot?.activeElement as HTMLElement | null)?.blur();
      expect(shadow(el).querySelector('guild-kudos-popover'), 'still open').to.not.equal(null);
      expect(getComputedStyle(base).contentVisibility, 'no clipping while its popover is open').to.equal('visible');
    });

    it('opens by keyboard, is accessible, sends the value and message, and gives focus back', async () => {
      const subject = uniqueSubject();
      const server = kudosServer('linus', [summary(subject, { count: 2, recipient: person('grace', 'Grace Lindqvist') })]);
      const extra = withGivingContext(server, 3);
      const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject}></guild-kudos-button>`);
      await ready(el);
      const more = shadow(el).querySelector<HTMLButtonElement>('button.more');
      if (!more) throw new Error('no popover button');
      expect(more.getAttribute('aria-haspopup')).to.equal('dialog');
      expect(more.getAttribute('aria-label')).to.equal('Add a message or a value');
      more.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => shadow(el).querySelector('guild-kudos-popover')?.shadowRoot?.querySelector('[part="allowance"]'), 'popover did not load');
      const popover = shadow(el).querySelector('guild-kudos-popover')?.shadowRoot;
      if (!popover) throw new Error('no popover');
      expect(more.getAttribute('aria-expanded')).to.equal('true');
      expect(popover.querySelector('h2')?.textContent).to.equal('Thank Grace Lindqvist');
      expect(popover.querySelector('[part="allowance"]')?.textContent?.trim()).to.equal('3 of 10 left this week');
      expect(popover.activeElement, 'focus moves into the popover').to.not.equal(null);
      await expect(el).to.be.accessible();
      popover.querySelectorAll<HTMLInputElement>('input[type="radio"]')[2]?.click();
      const area = popover.querySelector('textarea');
      if (!area) throw new Error('no message box');
      area.value = '  Thanks for pairing with me  ';
      popover.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
      await waitUntil(() => server.api.callsTo('POST', '/api/kudos').length === 1, 'not sent');
      expect(server.api.callsTo('POST', '/api/kudos')[0]?.body).to.deep.equal({ subject, message: 'Thanks for pairing with me', value: 'mentoring' });
      await waitUntil(() => shadow(el).querySelector('button[part="button"]')?.getAttribute('aria-pressed') === 'true');
      expect(shadow(el).querySelector('guild-kudos-popover')).to.equal(null);
      expect(shadow(el).activeElement).to.equal(shadow(el).querySelector('button[part="button"]'));
      expect(extra.callsTo('GET', '/api/kudos/allowance')).to.have.length(1);
    });

    it('closes on Escape and says when no kudos are left this week', async () => {
      const subject = uniqueSubject();
      const server = kudosServer('linus', [summary(subject, { count: 0 })]);
      withGivingContext(server, 0);
      const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject}></guild-kudos-button>`);
      await ready(el);
      shadow(el).querySelector<HTMLButtonElement>('button.more')?.click();
      await waitUntil(() => shadow(el).querySelector('guild-kudos-popover')?.shadowRoot?.querySelector('[part="allowance"]'));
      const popover = shadow(el).querySelector('guild-kudos-popover')?.shadowRoot;
      expect(popover?.querySelector('[part="allowance"]')?.textContent).to.contain('No kudos left this week');
      expect(popover?.querySelector('button[type="submit"]')?.getAttribute('aria-disabled')).to.equal('true');
      popover?.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
      await nextTask(20);
      expect(server.api.callsTo('POST', '/api/kudos')).to.have.length(0);
      popover?.querySelector('textarea')?.focus();
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !shadow(el).querySelector('guild-kudos-popover'), 'Escape did not close it');
      expect(shadow(el).activeElement).to.equal(shadow(el).querySelector('button.more'));
    });
  });

  it('view="compact" shows the button and count only; max-givers limits the avatars', async () => {
    const subject = uniqueSubject();
    const givers = ['ada', 'grace', 'mei', 'tomas'].map((id) => person(id));
    kudosServer('linus', [summary(subject, { count: 14, recentGivers: givers })]);
    const wrapper = await fixture(html`<div>
      <guild-kudos-button subject=${subject} view="compact"></guild-kudos-button>
      <guild-kudos-button subject=${subject} max-givers="2"></guild-kudos-button>
    </div>`);
    const [compact, full] = [...wrapper.querySelectorAll('guild-kudos-button')] as GuildKudosButton[];
    if (!compact || !full) throw new Error('missing');
    await ready(compact);
    await ready(full);
    expect(shadow(compact).querySelector('[part="givers"]')).to.equal(null);
    expect(shadow(compact).querySelector('button.more')).to.equal(null);
    expect(text(compact, '.count')).to.equal('14');
    expect(shadow(full).querySelectorAll('.avatar')).to.have.length(2);
    expect(text(full, '.others')).to.equal('and 12 others');
    expect(text(full, '#givers')).to.equal('From Ada, Grace, Mei, Tomas, and 10 more');
    await expect(wrapper).to.be.accessible();
  });

  it('takes the dark palette with theme="dark" and page tokens from :root', async () => {
    const subject = uniqueSubject();
    kudosServer(null, [summary(subject, { count: 1 })]);
    const wrapper = await fixture(html`<div style="--guild-color-border: rgb(1, 2, 3)">
      <guild-kudos-button id="light" subject=${subject}></guild-kudos-button>
      <div style="background: #111827">
        <guild-kudos-button id="dark" theme="dark" subject=${subject}></guild-kudos-button>
      </div>
    </div>`);
    const light = wrapper.querySelector<GuildKudosButton>('#light');
    const dark = wrapper.querySelector<GuildKudosButton>('#dark');
    if (!light || !dark) throw new Error('missing');
    await ready(light);
    await ready(dark);
    expect(getComputedStyle(toggle(light)).backgroundColor).to.equal('rgb(255, 255, 255)');
    expect(getComputedStyle(toggle(light)).borderTopColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(toggle(dark)).backgroundColor).to.equal('rgb(17, 24, 39)');
    await expect(dark).to.be.accessible();
  });

  it('aborts its request when removed before the answer', async () => {
    const subject = uniqueSubject();
    let seen: AbortSignal | undefined;
    const api = mockApi({
      'GET /api/kudos/summaries': (request) => {
        seen = request.signal;
        return new Promise<Response>(() => undefined);
      },
    });
    configure({ ...testConfig, fetch: api.fetch });
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject}></guild-kudos-button>`);
    await waitUntil(() => seen !== undefined, 'no request');
    el.remove();
    // nanostores unmounts a store a second after its last listener leaves.
    await waitUntil(() => seen?.aborted === true, 'request was not aborted', { timeout: 3000 });
  });

  it('merges kudos given by others from the page event stream', async () => {
    const subject = uniqueSubject();
    const server = kudosServer('linus', [summary(subject, { count: 1, givenByMe: true, myKudosId: '5' })]);
    const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject}></guild-kudos-button>`);
    await ready(el);
    await waitUntil(() => server.events.connections === 1, 'no event stream');
    await nextTask(20);
    server.events.push({
      id: '11',
      type: 'kudos.changed',
      occurredAt: '2026-11-29T10:00:00.000Z',
      actorId: 'mei',
      action: 'given',
      summary: summary(subject, { count: 2, givenByMe: true, myKudosId: '6', recentGivers: [person('mei', 'Mei Tanaka')] }),
    });
    await waitUntil(() => text(el, '.count') === '2', 'live event not applied');
    // Mei's view of "given by me" must not leak into mine: I still gave kudos 5.
    expect(toggle(el).getAttribute('aria-pressed')).to.equal('true');
    toggle(el).click();
    await waitUntil(() => server.api.calls.some((c) => c.method === 'DELETE' && c.path === '/api/kudos/5'), 'wrong kudos id');
  });

  it('gets the signed-in person from its provider’s token-url, and the provider is accessible', async () => {
    const subject = uniqueSubject();
    const api = mockApi({
      'GET /host/guild-token': () => json({ token: fakeToken('mei') }),
      'GET /api/me': () => json(me('mei')),
      'GET /api/events': new EventStreamMock().handler,
      'GET /api/kudos/summaries': () => json({ items: [summary(subject, { count: 1 })] }),
    });
    configure({ ...testConfig, fetch: api.fetch });
    const provider = await fixture(html`<guild-provider token-url="/host/guild-token" community="general">
      <guild-kudos-button subject=${subject} recipient="grace"></guild-kudos-button>
    </guild-provider>`);
    const el = provider.querySelector('guild-kudos-button');
    if (!el) throw new Error('missing');
    await ready(el);
    await waitUntil(() => api.callsTo('GET', '/api/me').length === 1, 'no identity request');
    expect(api.callsTo('GET', '/api/me')[0]?.headers.get('authorization')).to.match(/^Bearer /);
    expect(api.callsTo('GET', '/host/guild-token')).to.have.length(1);
    await expect(provider).to.be.accessible();
  });

  it('takes configuration from its attribute first, then the provider, then configure()', async () => {
    const subject = uniqueSubject();
    const api = mockApi({
      'GET /api/events': new EventStreamMock().handler,
      'GET /provider-api/kudos/summaries': () => json({ items: [summary(subject, { count: 1 })] }),
      'GET /own-api/kudos/summaries': () => json({ items: [summary(subject, { count: 2 })] }),
      'GET /provider-api/events': new EventStreamMock().handler,
      'GET /own-api/events': new EventStreamMock().handler,
    });
    configure({ ...testConfig, fetch: api.fetch, api: '/page-api' });
    const wrapper = await fixture(html`<guild-provider api="/provider-api">
      <guild-kudos-button id="provided" subject=${subject}></guild-kudos-button>
      <guild-kudos-button id="own" api="/own-api" subject=${subject}></guild-kudos-button>
    </guild-provider>`);
    const provided = wrapper.querySelector<GuildKudosButton>('#provided');
    const own = wrapper.querySelector<GuildKudosButton>('#own');
    if (!provided || !own) throw new Error('missing');
    await ready(provided);
    await ready(own);
    expect(text(provided, '.count')).to.equal('1');
    expect(text(own, '.count')).to.equal('2');
    expect(api.unhandled).to.deep.equal([]);
  });
});
