import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { components } from '../../src/api/schema.js';
import '../../src/define/knowledge-card.js';
import '../../src/define/kudos-button.js';
import '../../src/elements/discussion-thread/composer.js';
import { GuildDiscussionThread } from '../../src/elements/discussion-thread/discussion-thread.js';
import { autoload } from '../../src/internal/autoload.js';
import { configure, pageConfig } from '../../src/internal/config.js';
import { define } from '../../src/internal/define.js';
import { card, cardData, cardRoutes, EventStreamMock, fakeToken, json, me, mockApi, nextTask, person, problem, testConfig, type Card } from './mock-api.js';
import { shadow, text } from './dom.js';

type Schemas = components['schemas'];

const TOOLS = 'guild-comment-tools';
const loadTools = () => import('../../src/elements/discussion-thread/comment-tools.js').then(({ GuildCommentTools }) => define(TOOLS, GuildCommentTools));
/** Says what fetching the tools' chunk does; the lazy-loading tests make it fail or wait. */
let toolsLoader: () => Promise<unknown> = loadTools;
// The thread as a script-tag page has it: the action tools arrive through the registry, on intent or on the click.
autoload({ [TOOLS]: () => toolsLoader() });
define('guild-discussion-thread', GuildDiscussionThread);
type Comment = Schemas['Comment'];
type ThreadSummary = Schemas['ThreadSummary'];
type Reaction = Schemas['Reaction'];

const NOW = '2026-11-29T10:00:00.000Z';
const MEI = person('mei', 'Mei Tanaka');
const ADA = person('ada', 'Ada Okafor');

let counter = 0;
/** Every test works on its own subjects, so memoised stores never leak between tests. */
function uniqueSubject(name = 'thread'): string {
  counter += 1;
  return `${name}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

function thread(subject: string, fields: Partial<ThreadSummary> = {}): ThreadSummary {
  return { subject, community: 'general', commentCount: 0, locked: false, mode: 'discussion', acceptedCommentId: null, allowedReactions: ['👍', '🎉', '💡', '❤️'], ...fields };
}

function comment(subject: string, id: string, fields: Partial<Comment> = {}): Comment {
  return {
    id,
    subject,
    parentId: null,
    author: MEI,
    body: `Comment ${id}`,
    mentions: [],
    createdAt: NOW,
    editedAt: null,
    state: 'visible',
    pinned: false,
    replyCount: 0,
    reactions: [],
    ...fields,
  };
}

function buttonByText(root: ParentNode, label: string): HTMLButtonElement | undefined {
  return [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.replace(/\s+/g, ' ').trim() === label);
}

/** A composer of the thread's: the tools that write (loaded on demand) hold it. */
function composerElement(el: Element, selector = 'guild-comment-composer.top'): Element | null {
  for (const tools of shadow(el).querySelectorAll('guild-comment-tools')) {
    const found = tools.shadowRoot?.querySelector(selector);
    if (found) return found;
  }
  return null;
}

function composer(el: Element, selector = 'guild-comment-composer.top'): ShadowRoot {
  const found = composerElement(el, selector);
  if (!found) throw new Error(`no composer ${selector}`);
  return shadow(found);
}

async function ready(el: GuildDiscussionThread): Promise<void> {
  await waitUntil(() => shadow(el).querySelector('.head, .retry'), 'never loaded');
  await el.updateComplete;
}

interface ServerOptions {
  who?: string | null;
  facilitator?: boolean;
  thread?: Partial<ThreadSummary>;
  comments?: Comment[];
  /** Knowledge cards the server knows (a question links to the cards written from it). */
  cards?: Card[];
  extra?: Parameters<typeof mockApi>[0];
}

/** A small in-memory discussion server for one subject, signed in as `who` (or anonymous). */
function threadServer(subject: string, options: ServerOptions = {}) {
  const who = options.who === undefined ? 'linus' : options.who;
  let summary = thread(subject, { commentCount: options.comments?.filter((c) => c.parentId === null).length ?? 0, ...options.thread });
  const comments = [...(options.comments ?? [])];
  const events = new EventStreamMock();
  let nextId = 500;
  const identity = () => {
    if (!who) return problem(401, 'unauthorized');
    const mine = me(who);
    return json(options.facilitator ? { ...mine, memberships: [{ ...mine.memberships[0], role: 'facilitator' }] } : mine);
  };
  const cards = cardData(options.cards ?? [], who, { linus: 'Linus', ada: 'Ada Okafor', mei: 'Mei Tanaka' });
  const api = mockApi({
    'GET /api/me': identity,
    'GET /api/events': events.handler,
    ...cardRoutes(cards),
    'GET /api/comments': (request) => {
      const parent = new URL(request.url).searchParams.get('parent');
      return json({ thread: summary, items: comments.filter((c) => c.parentId === parent), nextCursor: null });
    },
    // Each comment carries a compact kudos button: one batched read for all of them.
    'GET /api/kudos/summaries': (request) => {
      const subjects = new URL(request.url).searchParams.get('subjects')?.split(',') ?? [];
      return json({ items: subjects.map((s) => ({ subject: s, count: 0, givenByMe: false, myKudosId: null, recentGivers: [] })) });
    },
    'GET /api/threads': (request) => {
      const subjects = new URL(request.url).searchParams.get('subjects')?.split(',') ?? [];
      return json({ items: subjects.map((s) => (s === subject ? summary : thread(s))) });
    },
    'POST /api/comments': async (request) => {
      const body = (await request.json()) as { body: string; parentId?: string };
      nextId += 1;
      const created = comment(subject, `c${nextId}`, { body: body.body, parentId: body.parentId ?? null, author: person(who ?? 'x') });
      comments.push(created);
      summary = { ...summary, commentCount: summary.commentCount + 1, ...(summary.createdBy ? {} : { createdBy: who ?? 'x' }) };
      return json(created, 201);
    },
    'PUT /api/comments/:id/reactions/:emoji': (_request, params) =>
      json({ items: [{ emoji: params['emoji'] ?? '', count: 1, reactedByMe: true, people: [person(who ?? 'x')] }] }),
    'PATCH /api/threads': async (request) => {
      const change = (await request.json()) as Partial<ThreadSummary>;
      summary = { ...summary, ...change };
      return json(summary);
    },
    ...options.extra,
  });
  configure({ ...testConfig, fetch: api.fetch, getToken: who ? () => fakeToken(who) : undefined });
  return { api, events, comments, cards, summary: () => summary };
}

/** Every element under `root`, through nested shadow roots. */
function allElements(root: ParentNode): Element[] {
  const out: Element[] = [];
  for (const element of root.querySelectorAll('*')) {
    out.push(element);
    if (element.shadowRoot) out.push(...allElements(element.shadowRoot));
  }
  return out;
}

describe('guild-discussion-thread', () => {
  afterEach(() => {
    // Remove the elements first, so resetting the page configuration does not make them reconnect.
    fixtureCleanup();
    pageConfig.set({});
  });

  // First in the file: once the tools' chunk has loaded, it stays defined for the page.
  describe('action code loaded on demand', () => {
    const offline = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    const reported: unknown[] = [];
    const original = console.error;
    beforeEach(() => {
      reported.length = 0;
      // The registry reports a chunk that failed to load; these tests make that happen on purpose.
      console.error = (...args: unknown[]) => reported.push(args);
    });
    afterEach(() => {
      console.error = original;
      toolsLoader = loadTools;
    });

    it('reads without the action code, and asks for it on the first pointer over the thread', async () => {
      let asked = 0;
      toolsLoader = () => {
        asked += 1;
        return offline();
      };
      const subject = uniqueSubject();
      threadServer(subject, { comments: [comment(subject, 'c1', { author: ADA })] });
      const wrapper = await fixture(html`<div>
        <guild-discussion-thread subject=${subject}></guild-discussion-thread>
        <guild-discussion-thread view="count" subject=${uniqueSubject('count')}></guild-discussion-thread>
      </div>`);
      const [el, count] = [...wrapper.querySelectorAll('guild-discussion-thread')];
      if (!el || !count) throw new Error('missing');
      await ready(el);
      await waitUntil(() => shadow(el).querySelector('#c-c1 [part="reactions"] button[aria-disabled="false"]'), 'cannot react');
      await waitUntil(() => shadow(count).querySelector('a[part="count"][aria-busy="false"]'), 'no count');
      await nextTask(50);
      expect(buttonByText(shadow(el), 'Flag')).to.not.equal(undefined);
      expect(asked).to.equal(0);
      expect(customElements.get(TOOLS)).to.equal(undefined);
      expect(shadow(el).querySelector(TOOLS)).to.equal(null);
      // Pointing at the count link asks for nothing: that view has no actions.
      shadow(count).querySelector('a')?.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
      await nextTask(20);
      expect(asked).to.equal(0);
      shadow(el).querySelector('#c-c1')?.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
      await waitUntil(() => asked === 1, 'the tools were not asked for');
      await waitUntil(() => reported.length === 1, 'the failure was not reported');
      // The reader sees nothing of a failed early load: only a click that needs the code says so.
      expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
    });

    it('opens a form at once with an announced loading line while its code loads, says why it could not be loaded, and its button tries again', async () => {
      let asked = 0;
      let fail: () => void = () => undefined;
      toolsLoader = () => {
        asked += 1;
        return new Promise((_resolve, reject) => (fail = () => reject(new TypeError('Failed to fetch dynamically imported module'))));
      };
      const subject = uniqueSubject();
      const server = threadServer(subject, { comments: [comment(subject, 'c1', { author: person('linus') })] });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      const reply = () => buttonByText(shadow(el).querySelector('#c-c1') ?? shadow(el), 'Reply');
      await waitUntil(() => reply(), 'no Reply button');
      reply()?.focus();
      await sendKeys({ press: 'Enter' });
      // At once, before the code has arrived: a loading line where the form will be, announced, and the button busy.
      await waitUntil(() => shadow(el).querySelector('#c-c1 [role="status"]'), 'no loading line');
      expect(text(el, '#c-c1 [role="status"]')).to.equal('Loading…');
      expect(reply()?.getAttribute('aria-busy')).to.equal('true');
      expect(shadow(el).activeElement === reply(), 'the focus left Reply').to.equal(true);
      await expect(el).to.be.accessible();
      await waitUntil(() => asked === 1, 'the tools were not asked for');

      fail();
      await waitUntil(() => shadow(el).querySelector('#c-c1 [role="alert"]'), 'no error');
      // A chunk that did not arrive is not "the network is unreachable": it says what could not be loaded.
      expect(text(el, '#c-c1 [role="alert"]')).to.equal('That did not work: this part of the discussion could not be loaded.');
      expect(shadow(el).querySelectorAll('#c-c1 [role="status"]').length).to.equal(0);
      expect(reply()?.getAttribute('aria-busy')).to.equal('false');
      expect(shadow(el).activeElement === reply(), 'the focus left Reply').to.equal(true);
      await expect(el).to.be.accessible();

      // The same button tries again: the code is asked for anew, and the loading line is back meanwhile.
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => asked === 2, 'the tools were not asked for again');
      await waitUntil(() => text(el, '#c-c1 [role="status"]') === 'Loading…', 'no loading line on trying again');
      expect(shadow(el).querySelectorAll('#c-c1 [role="alert"]').length).to.equal(0);
      // Delete shows its loading line in the same place, instead of the reply's.
      buttonByText(shadow(el).querySelector('#c-c1') ?? shadow(el), 'Delete')?.click();
      await waitUntil(() => buttonByText(shadow(el).querySelector('#c-c1') ?? shadow(el), 'Delete')?.getAttribute('aria-busy') === 'true', 'Delete is not busy');
      expect(shadow(el).querySelectorAll('#c-c1 [role="status"]')).to.have.length(1);
      fail();
      await waitUntil(() => shadow(el).querySelector('#c-c1 [role="alert"]'), 'no error');
      expect(server.api.calls.some((c) => c.method !== 'GET')).to.equal(false);
    });

    it('keeps "Turn into a card" busy with a loading line under the answer while the code loads', async () => {
      let fail: () => void = () => undefined;
      toolsLoader = () => new Promise((_resolve, reject) => (fail = () => reject(new TypeError('Failed to fetch dynamically imported module'))));
      const subject = uniqueSubject('question');
      const server = threadServer(subject, {
        thread: { mode: 'question', createdBy: 'linus', commentCount: 2, acceptedCommentId: 'a1' },
        comments: [comment(subject, 'q1', { author: person('linus'), createdAt: '2026-11-28T10:00:00.000Z' }), comment(subject, 'a1', { author: ADA })],
      });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      const turn = () => shadow(el).querySelector<HTMLButtonElement>('#c-a1 [data-action="to-card"]');
      await waitUntil(turn, 'no "Turn into a card"');
      turn()?.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => turn()?.getAttribute('aria-busy') === 'true', '"Turn into a card" is not busy');
      expect(text(el, '#c-a1 [role="status"]')).to.equal('Loading…');
      expect(shadow(el).activeElement === turn(), 'the focus left "Turn into a card"').to.equal(true);
      await expect(el).to.be.accessible();
      fail();
      await waitUntil(() => shadow(el).querySelector('#c-a1 [role="alert"]'), 'no error');
      expect(text(el, '#c-a1 [role="alert"]')).to.equal('That did not work: this part of the discussion could not be loaded.');
      expect(turn()?.getAttribute('aria-busy')).to.equal('false');
      expect(shadow(el).activeElement === turn(), 'the focus left "Turn into a card"').to.equal(true);
      expect(server.api.callsTo('POST', '/api/cards')).to.have.length(0);
    });

    it('says why when the code cannot be loaded, and a reaction clicked while it loads still applies', async () => {
      const subject = uniqueSubject();
      const server = threadServer(subject, { comments: [comment(subject, 'c1', { author: ADA })] });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      const react = () => shadow(el).querySelector<HTMLButtonElement>('#c-c1 [part="reactions"] button[aria-label="React with 👍"], #c-c1 [part="reactions"] button[aria-label^="👍"]');
      await waitUntil(() => react()?.getAttribute('aria-disabled') === 'false', 'cannot react');
      toolsLoader = offline;
      react()?.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => shadow(el).querySelector('#c-c1 [role="alert"]'), 'no error');
      // The chunk did not arrive: that is what the reader is told, not that the network is down.
      expect(text(el, '#c-c1 [role="alert"]')).to.equal('That did not work: this part of the discussion could not be loaded.');
      expect(react()?.getAttribute('aria-pressed')).to.equal('false');
      expect(react()?.getAttribute('aria-busy')).to.equal('false');
      expect(server.api.calls.some((c) => c.method === 'PUT')).to.equal(false);
      await expect(el).to.be.accessible();

      let arrive: () => void = () => undefined;
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      toolsLoader = () => arrived.then(loadTools);
      await sendKeys({ press: 'Enter' });
      // While the code that sends it loads, the reaction says it is under way.
      await waitUntil(() => react()?.getAttribute('aria-busy') === 'true', 'the reaction is not busy while its code loads');
      expect(react()?.getAttribute('aria-pressed')).to.equal('false');
      await expect(el).to.be.accessible();
      arrive();
      await waitUntil(() => react()?.getAttribute('aria-pressed') === 'true', 'the click did not act once the code arrived');
      await waitUntil(() => react()?.getAttribute('aria-busy') === 'false', 'the reaction stayed busy');
      await waitUntil(() => server.api.calls.some((c) => c.method === 'PUT'), 'no PUT');
      expect(shadow(el).querySelector('#c-c1 [role="alert"]')).to.equal(null);
      expect(server.api.calls.filter((c) => c.method === 'PUT')).to.have.length(1);
      expect(customElements.get(TOOLS)).to.not.equal(undefined);
    });
  });

  describe('flag and delete', () => {
    it('flags a comment by keyboard alone, and is accessible with the form open', async () => {
      const subject = uniqueSubject();
      const server = threadServer(subject, {
        comments: [comment(subject, 'c1', { author: ADA })],
        extra: { 'POST /api/comments/:id/flags': () => json({ id: 'f1', reason: 'Off topic', createdAt: NOW }, 201) },
      });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      await waitUntil(() => buttonByText(shadow(el), 'Flag'), 'no Flag button');
      buttonByText(shadow(el), 'Flag')?.focus();
      await sendKeys({ press: 'Enter' });
      const tools = () => shadow(el).querySelector(TOOLS)?.shadowRoot;
      await waitUntil(() => tools()?.activeElement?.localName === 'textarea', 'the reason did not get focus');
      expect(tools()?.querySelector('label')?.textContent?.trim()).to.equal('Why should a facilitator look at this?');
      await expect(el).to.be.accessible();
      // Escape closes the form and puts the focus back on the comment's actions.
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !shadow(el).querySelector(TOOLS), 'the form did not close');
      expect(shadow(el).activeElement?.closest('.actions')).to.not.equal(null);

      buttonByText(shadow(el), 'Flag')?.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => tools()?.activeElement?.localName === 'textarea', 'the form did not open again');
      await sendKeys({ type: 'Off topic' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      expect(tools()?.activeElement?.textContent?.trim()).to.equal('Send to facilitators');
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => server.api.callsTo('POST', '/api/comments/c1/flags').length === 1, 'not flagged');
      expect(server.api.callsTo('POST', '/api/comments/c1/flags')[0]?.body).to.deep.equal({ reason: 'Off topic' });
      await waitUntil(() => !shadow(el).querySelector(TOOLS), 'the form did not close');
      expect(text(el, '[role="status"]')).to.equal('Thank you: the facilitators will look at it.');
    });

    it('asks before deleting, by keyboard, and removes the comment', async () => {
      const subject = uniqueSubject();
      const server = threadServer(subject, {
        comments: [comment(subject, 'c1', { author: person('linus') }), comment(subject, 'c2', { author: ADA })],
        extra: { 'DELETE /api/comments/:id': () => new Response(null, { status: 204 }) },
      });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      const remove = () => buttonByText(shadow(el).querySelector('#c-c1') ?? shadow(el), 'Delete');
      await waitUntil(() => remove(), 'no Delete button');
      remove()?.focus();
      await sendKeys({ press: 'Enter' });
      const tools = () => shadow(el).querySelector(TOOLS)?.shadowRoot;
      await waitUntil(() => tools()?.activeElement?.textContent?.trim() === 'Yes, delete', 'the confirmation did not get focus');
      expect(tools()?.querySelector('[role="group"]')?.getAttribute('aria-label')).to.equal('Delete this comment?');
      await expect(el).to.be.accessible();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => !shadow(el).querySelector('#c-c1'), 'not deleted');
      expect(server.api.callsTo('DELETE', '/api/comments/c1')).to.have.length(1);
      expect(shadow(el).querySelector(TOOLS)).to.equal(null);
      expect(text(el, 'h2')).to.equal('1 comment');
    });
  });

  describe('one form after another', () => {
    it('shows a failed reply\'s error with the reply only, not in the delete confirmation opened next', async () => {
      const subject = uniqueSubject();
      threadServer(subject, {
        comments: [comment(subject, 'c1', { author: person('linus') })],
        extra: { 'POST /api/comments': () => problem(500, 'about:blank') },
      });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      const inComment = () => shadow(el).querySelector('#c-c1') ?? shadow(el);
      await waitUntil(() => buttonByText(inComment(), 'Reply'), 'no Reply button');
      buttonByText(inComment(), 'Reply')?.click();
      const replyBox = () => composerElement(el, 'guild-comment-composer[data-editing="c1"]')?.shadowRoot;
      await waitUntil(() => replyBox()?.querySelector('textarea'), 'reply form not opened');
      const area = replyBox()?.querySelector('textarea');
      if (!area) throw new Error('no textarea');
      area.value = 'This will not arrive';
      area.dispatchEvent(new InputEvent('input', { bubbles: true }));
      replyBox()?.querySelector<HTMLButtonElement>('[part="submit"]')?.click();
      await waitUntil(() => replyBox()?.querySelector('[role="alert"]'), 'no error shown', { timeout: 5000 });
      expect(replyBox()?.querySelector('[role="alert"]')?.textContent).to.contain('Your comment was not posted');

      buttonByText(inComment(), 'Delete')?.click();
      const tools = () => shadow(el).querySelector('#c-c1 guild-comment-tools')?.shadowRoot;
      await waitUntil(() => tools()?.querySelector('[role="group"]'), 'the confirmation did not open');
      expect(tools()?.querySelector('[role="group"]')?.getAttribute('aria-label')).to.equal('Delete this comment?');
      expect(tools()?.querySelectorAll('[role="alert"]').length).to.equal(0);
      expect(tools()?.textContent).to.not.contain('not posted');
      await expect(el).to.be.accessible();
      localStorage.clear();
    });
  });

  describe('states', () => {
    it('shows an accessible, busy skeleton while loading', async () => {
      const api = mockApi({ 'GET /api/comments': () => new Promise<Response>(() => undefined), 'GET /api/events': new EventStreamMock().handler });
      configure({ ...testConfig, fetch: api.fetch });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${uniqueSubject()}></guild-discussion-thread>`);
      await waitUntil(() => api.callsTo('GET', '/api/comments').length === 1, 'no request');
      await el.updateComplete;
      expect(shadow(el).querySelector('.skeleton')).to.not.equal(null);
      expect(shadow(el).querySelector('[part="base"]')?.getAttribute('aria-busy')).to.equal('true');
      expect(text(el, '.visually-hidden')).to.equal('Loading the discussion…');
      expect(shadow(el).querySelector('[part="comment"]')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('renders comments with authors and markdown, nested replies, and is accessible', async () => {
      const subject = uniqueSubject();
      const server = threadServer(subject, {
        comments: [
          comment(subject, 'c1', { body: 'This is **bold** and _calm_.', replyCount: 1 }),
          comment(subject, 'c2', { author: ADA, body: 'Second [docs](https://docs.test/x)' }),
          comment(subject, 'r1', { author: ADA, parentId: 'c1', body: 'A reply' }),
        ],
      });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      const articles = [...shadow(el).querySelectorAll('[part="comment"]')];
      expect(articles.map((a) => a.querySelector('.who')?.textContent?.trim())).to.deep.equal(['Mei Tanaka', 'Ada Okafor']);
      expect(text(el, '#c-c1 [part="body"] strong')).to.equal('bold');
      expect(shadow(el).querySelector('#c-c1 [part="body"] em')?.textContent).to.equal('calm');
      expect(shadow(el).querySelector('#c-c2 a')?.getAttribute('href')).to.equal('https://docs.test/x');
      expect(text(el, 'h2')).to.equal('2 comments');
      // Replies load on request.
      const show = buttonByText(shadow(el), 'Show 1 reply');
      if (!show) throw new Error('no "Show 1 reply" button');
      show.click();
      await waitUntil(() => shadow(el).querySelector('#c-r1'), 'reply not loaded');
      expect(server.api.callsTo('GET', '/api/comments').some((c) => c.url.searchParams.get('parent') === 'c1')).to.equal(true);
      expect(text(el, '#c-r1 [part="body"]')).to.equal('A reply');
      await expect(el).to.be.accessible();
      expect(server.api.unhandled).to.deep.equal([]);
      // Thanks go to each comment's author through one batched kudos read for the whole page.
      await waitUntil(() => server.api.callsTo('GET', '/api/kudos/summaries').length > 0, 'kudos not read');
      // One batched read for the comments on screen (replies opened later make one more).
      const firstRead = server.api.callsTo('GET', '/api/kudos/summaries')[0]?.url.searchParams.get('subjects')?.split(',') ?? [];
      expect(firstRead.length).to.be.greaterThan(1);
      expect(shadow(el).querySelector('guild-kudos-button')?.getAttribute('subject')).to.match(/^comment:/);
    });

    it('shows a long page a few comments at a time, the first painted before the rest, with one kudos read for all', async () => {
      const subject = uniqueSubject();
      const comments = Array.from({ length: 14 }, (_, i) => comment(subject, `p${i}`, { body: `Comment **${i}**` }));
      const server = threadServer(subject, {
        comments,
        thread: { commentCount: 30 },
        extra: { 'GET /api/comments': () => json({ thread: thread(subject, { commentCount: 30 }), items: comments, nextCursor: 'page-2' }) },
      });
      // What each render put on screen: how many comments, and whether "Show more" was there.
      const seen: { articles: number; more: string | null | undefined; frame: number; at: number }[] = [];
      let frames = 0;
      const countFrames = () => {
        frames += 1;
        if (frames < 600) requestAnimationFrame(countFrames);
      };
      requestAnimationFrame(countFrames);
      const el = document.createElement('guild-discussion-thread');
      el.subject = subject;
      const observer = new MutationObserver(() => {
        const root = el.shadowRoot;
        if (!root) return;
        const articles = root.querySelectorAll('[part="comment"]').length;
        if (articles !== seen.at(-1)?.articles) seen.push({ articles, more: root.querySelector('button[part="more"]')?.getAttribute('aria-busy'), frame: frames, at: performance.now() });
      });
      await fixture(html`<div></div>`).then((host) => {
        host.append(el);
        observer.observe(el.shadowRoot ?? el, { childList: true, subtree: true });
      });
      await ready(el);
      await el.updateComplete;
      observer.disconnect();
      // updateComplete waits until every comment is shown.
      expect(shadow(el).querySelectorAll('[part="comment"]').length).to.equal(14);
      const shown = seen.filter((s) => s.articles > 0);
      expect(shown[0]?.articles).to.equal(5);
      expect(shown.map((s) => s.articles)).to.deep.equal([5, 10, 14]);
      // The first five had a frame of their own before the next were rendered (or, on a page whose
      // frames are late, the tenth of a second the thread waits for one at most).
      const [first, second] = [shown[0], shown[1]];
      expect(!!first && !!second && (second.frame > first.frame || second.at - first.at >= 100), 'a frame between the first five and the next').to.equal(true);
      // "Show more" stays (and keeps its focus), busy until the last comment of the page is shown.
      expect(shown.map((s) => s.more)).to.deep.equal(['true', 'true', 'false']);
      await expect(el).to.be.accessible();
      // The comments' kudos buttons, rendered a few at a time, share two reads: the first screen's, then the rest.
      await waitUntil(() => server.api.callsTo('GET', '/api/kudos/summaries').length > 0, 'kudos not read');
      await nextTask(50);
      const reads = server.api.callsTo('GET', '/api/kudos/summaries').map((call) => call.url.searchParams.get('subjects')?.split(',') ?? []);
      expect(reads.length).to.be.at.most(2);
      expect(reads.flat().sort()).to.deep.equal(comments.map((c) => `comment:${c.id}`).sort());
    });

    it('keeps the comments on screen when a branch of replies opens above them, a few at a time', async () => {
      const subject = uniqueSubject();
      const top = Array.from({ length: 14 }, (_, i) => comment(subject, `q${i}`, i === 1 ? { replyCount: 12 } : {}));
      const replies = Array.from({ length: 12 }, (_, i) => comment(subject, `r${i}`, { parentId: 'q1', author: ADA }));
      threadServer(subject, {
        comments: top,
        extra: {
          'GET /api/comments': (request) =>
            new URL(request.url).searchParams.get('parent') === 'q1'
              ? json({ thread: thread(subject, { commentCount: 26 }), items: replies, nextCursor: null })
              : json({ thread: thread(subject, { commentCount: 26 }), items: top, nextCursor: null }),
        },
      });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      const last = shadow(el).querySelector('#c-q13');
      expect(last, `${shadow(el).querySelectorAll('[part="comment"]').length} comments: ${[...shadow(el).querySelectorAll('[part="comment"]')].map((a) => a.id).join(' ')}`).to.not.equal(null);
      const removed: string[] = [];
      const observer = new MutationObserver((records) => {
        for (const record of records) for (const node of record.removedNodes) if (node instanceof Element && node.querySelector('#c-q13')) removed.push('q13');
      });
      observer.observe(shadow(el), { childList: true, subtree: true });
      buttonByText(shadow(el), 'Show 12 replies')?.click();
      await waitUntil(() => shadow(el).querySelector('#c-r11'), 'replies not shown');
      await el.updateComplete;
      observer.disconnect();
      expect(removed).to.deep.equal([]);
      expect(shadow(el).querySelector('#c-q13')).to.equal(last);
      expect(shadow(el).querySelectorAll('[part="comment"]').length).to.equal(26);
    });

    it('stops showing comments a few at a time when it turns into a count', async () => {
      const subject = uniqueSubject();
      const comments = Array.from({ length: 20 }, (_, i) => comment(subject, `v${i}`));
      threadServer(subject, { comments });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await waitUntil(() => shadow(el).querySelector('[part="comment"]'), 'no comment shown');
      let updates = 0;
      const host = el as unknown as { updated(changed: unknown): void };
      const updated = host.updated.bind(el);
      host.updated = (changed) => {
        updates += 1;
        updated(changed);
      };
      el.view = 'count';
      await el.updateComplete;
      await waitUntil(() => text(el, '[part="count"]') === '20 comments', 'no count');
      const settled = updates;
      await nextTask(300);
      expect(updates - settled).to.equal(0);
    });

    it('gives the focus of a spent "Show more" to the first comment it brought, by keyboard alone', async () => {
      const subject = uniqueSubject();
      const first = Array.from({ length: 3 }, (_, i) => comment(subject, `m${i}`));
      const second = Array.from({ length: 2 }, (_, i) => comment(subject, `n${i}`));
      threadServer(subject, {
        comments: first,
        thread: { commentCount: 5 },
        extra: {
          'GET /api/comments': (request) =>
            new URL(request.url).searchParams.get('cursor')
              ? json({ thread: thread(subject, { commentCount: 5 }), items: second, nextCursor: null })
              : json({ thread: thread(subject, { commentCount: 5 }), items: first, nextCursor: 'page-2' }),
        },
      });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      const more = shadow(el).querySelector<HTMLButtonElement>('button[part="more"]');
      if (!more) throw new Error('no "Show more"');
      more.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => shadow(el).activeElement?.id === 'c-n0', `focus on ${shadow(el).activeElement?.outerHTML.slice(0, 60) ?? 'nothing'}`);
      expect(shadow(el).querySelector('button[part="more"]')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('invites the first comment on an empty thread', async () => {
      const subject = uniqueSubject();
      threadServer(subject);
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      expect(text(el, '.empty')).to.equal('Be the first to start the conversation.');
      expect(text(el, 'h2')).to.equal('No comments yet');
      await waitUntil(() => shadow(el).querySelector('button.start'), 'no composer button for a member');
      await expect(el).to.be.accessible();
    });

    it('shows an error with "Try again" that reloads', async () => {
      const subject = uniqueSubject();
      let failing = true;
      const server = threadServer(subject, {
        comments: [comment(subject, 'c1', { body: 'Back again' })],
        extra: {
          'GET /api/comments': () =>
            failing ? problem(500, 'about:blank') : json({ thread: thread(subject, { commentCount: 1 }), items: [comment(subject, 'c1', { body: 'Back again' })], nextCursor: null }),
        },
      });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      expect(text(el, '[role="alert"]')).to.contain('The discussion could not be loaded.');
      const retry = shadow(el).querySelector<HTMLButtonElement>('.retry');
      expect(retry?.textContent?.trim()).to.equal('Try again');
      await expect(el).to.be.accessible();
      const before = server.api.callsTo('GET', '/api/comments').length;
      failing = false;
      retry?.click();
      await waitUntil(() => shadow(el).querySelector('#c-c1'), 'retry did not reload');
      expect(server.api.callsTo('GET', '/api/comments').length).to.equal(before + 1);
      expect(text(el, '#c-c1 [part="body"]')).to.equal('Back again');
      expect(shadow(el).querySelector('[role="alert"]')).to.equal(null);
    });

    it('asks an anonymous visitor to sign in, with no composer', async () => {
      const subject = uniqueSubject();
      threadServer(subject, { who: null, comments: [comment(subject, 'c1')] });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      await waitUntil(() => shadow(el).querySelector('.signin'), 'no sign-in note');
      expect(text(el, '.signin')).to.equal('Sign in to join the discussion.');
      expect(shadow(el).querySelector('button.start, guild-comment-composer, guild-comment-tools')).to.equal(null);
      expect(buttonByText(shadow(el), 'Reply')).to.equal(undefined);
      await expect(el).to.be.accessible();
    });

    it('brings back a comment left unsent before a reload, reading the stored drafts outside its updates', async () => {
      const subject = uniqueSubject();
      threadServer(subject, { comments: [comment(subject, 'c1')] });
      const key = `guildkit:draft:comment:${subject}:new`;
      localStorage.setItem(key, JSON.stringify({ text: 'Half written', savedAt: Date.now(), tab: 'an-earlier-page' }));
      // A page's first read of localStorage waits for the browser: it must not happen inside a render.
      const reads: boolean[] = [];
      let el: GuildDiscussionThread | undefined;
      const getItem = Object.getOwnPropertyDescriptor(Storage.prototype, 'getItem')?.value as Storage['getItem'];
      Storage.prototype.getItem = function (this: Storage, name: string) {
        if (name === key) reads.push(el?.isUpdatePending ?? true);
        return getItem.call(this, name);
      };
      try {
        el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
        await ready(el);
        await waitUntil(() => composerElement(el as Element)?.shadowRoot?.querySelector('textarea')?.value === 'Half written', 'the draft did not come back');
      } finally {
        Storage.prototype.getItem = getItem;
        localStorage.removeItem(key);
      }
      expect(reads.length).to.be.greaterThan(0);
      expect(reads.slice(0, 1)).to.deep.equal([false]);
    });

    it('shows a locked thread with no composer for a member', async () => {
      const subject = uniqueSubject();
      const server = threadServer(subject, { thread: { locked: true }, comments: [comment(subject, 'c1')] });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      await waitUntil(() => server.api.callsTo('GET', '/api/me').length === 1);
      await nextTask(20);
      await el.updateComplete;
      expect(text(el, '[part="header"]')).to.contain('This discussion is locked: only facilitators can add to it.');
      expect(shadow(el).querySelector('button.start, guild-comment-composer, guild-comment-tools')).to.equal(null);
      expect(buttonByText(shadow(el), 'Reply')).to.equal(undefined);
      expect(shadow(el).querySelector('[part="reactions"] button[aria-disabled="false"]')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('lets the host page style each composer, one shadow root deeper, as ::part(composer)', async () => {
      const subject = uniqueSubject();
      threadServer(subject, { comments: [comment(subject, 'c1')] });
      const wrapper = await fixture(html`<div>
        <style>
          guild-discussion-thread.styled::part(composer) {
            outline: 3px solid rgb(1, 2, 3);
          }
        </style>
        <guild-discussion-thread class="styled" subject=${subject}></guild-discussion-thread>
      </div>`);
      const el = wrapper.querySelector('guild-discussion-thread');
      if (!el) throw new Error('missing');
      await ready(el);
      const outline = (element: Element | null | undefined) => (element ? getComputedStyle(element).outlineColor : 'none');
      await waitUntil(() => shadow(el).querySelector('button.start'), 'no composer button');
      expect(outline(shadow(el).querySelector('button.start'))).to.equal('rgb(1, 2, 3)');
      shadow(el).querySelector<HTMLButtonElement>('button.start')?.click();
      await waitUntil(() => composerElement(el), 'composer not opened');
      expect(outline(composerElement(el))).to.equal('rgb(1, 2, 3)');
      // Only the composer itself: the tools around it are no part of the thread's API.
      expect(getComputedStyle(shadow(el).querySelector('guild-comment-tools.top') as Element).outlineStyle).to.equal('none');
      buttonByText(shadow(el), 'Reply')?.click();
      await waitUntil(() => composerElement(el, 'guild-comment-composer[data-editing="c1"]'), 'reply form not opened');
      expect(outline(composerElement(el, 'guild-comment-composer[data-editing="c1"]'))).to.equal('rgb(1, 2, 3)');
      localStorage.clear();
    });

    it('is accessible with the composer open on a preview, and with a reply form open', async () => {
      const subject = uniqueSubject();
      threadServer(subject, { comments: [comment(subject, 'c1')] });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      await waitUntil(() => shadow(el).querySelector('button.start'), 'no composer button');
      shadow(el).querySelector<HTMLButtonElement>('button.start')?.click();
      await waitUntil(() => composerElement(el), 'composer not opened');
      const box = composer(el);
      await waitUntil(() => box.querySelector('textarea'));
      const area = box.querySelector('textarea');
      if (!area) throw new Error('no textarea');
      area.value = 'Preview **this**';
      area.dispatchEvent(new InputEvent('input', { bubbles: true }));
      buttonByText(box, 'Preview')?.click();
      await waitUntil(() => box.querySelector('[role="tabpanel"] strong'), 'no preview');
      expect(box.querySelector('[role="tabpanel"] strong')?.textContent).to.equal('this');
      await expect(el).to.be.accessible();

      const reply = buttonByText(shadow(el), 'Reply');
      if (!reply) throw new Error('no Reply button');
      reply.click();
      await waitUntil(() => composerElement(el, 'guild-comment-composer[data-editing="c1"]'), 'reply form not opened');
      const replyBox = composer(el, 'guild-comment-composer[data-editing="c1"]');
      await waitUntil(() => replyBox.querySelector('textarea'));
      expect(replyBox.querySelector('textarea')?.getAttribute('aria-label')).to.equal('Your reply to Mei Tanaka');
      await expect(el).to.be.accessible();
      expect(replyBox.querySelector('textarea')?.getAttribute('aria-autocomplete')).to.equal('list');
      localStorage.clear();
    });
  });

  describe('writing', () => {
    it('works by keyboard alone: Tab, Enter, type, Ctrl+Enter posts once, optimistic then confirmed', async () => {
      const subject = uniqueSubject();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const server = threadServer(subject, {
        extra: {
          'POST /api/comments': async (request) => {
            const body = (await request.json()) as { body: string };
            await gate;
            return json(comment(subject, 'c900', { body: body.body, author: person('linus') }), 201);
          },
        },
      });
      const wrapper = await fixture(html`<div><button id="before">before</button><guild-discussion-thread subject=${subject}></guild-discussion-thread></div>`);
      const el = wrapper.querySelector('guild-discussion-thread');
      if (!el) throw new Error('missing');
      await ready(el);
      await waitUntil(() => shadow(el).querySelector('button.start'), 'no composer button');
      wrapper.querySelector<HTMLButtonElement>('#before')?.focus();
      await sendKeys({ press: 'Tab' });
      const start = shadow(el).querySelector<HTMLButtonElement>('button.start');
      expect(shadow(el).activeElement).to.equal(start);
      expect(start?.textContent?.trim()).to.equal('Write a comment…');
      await sendKeys({ press: 'Enter' });
      await customElements.whenDefined('guild-comment-composer');
      await waitUntil(() => composerElement(el)?.shadowRoot?.querySelector('textarea'), 'composer not opened');
      const box = composer(el);
      await waitUntil(() => box.activeElement === box.querySelector('textarea'), 'the text box did not get focus');
      await sendKeys({ type: 'Hello **world**' });
      await sendKeys({ down: 'Control' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Control' });
      await waitUntil(() => server.api.callsTo('POST', '/api/comments').length === 1, 'Ctrl+Enter did not post');
      // Optimistic: shown at once, marked busy.
      await waitUntil(() => shadow(el).querySelector('[part="comment"][aria-busy="true"]'), 'not shown optimistically');
      expect(text(el, '[part="comment"][aria-busy="true"] [part="body"] strong')).to.equal('world');
      const [post] = server.api.callsTo('POST', '/api/comments');
      expect(post?.body).to.deep.equal({ subject, body: 'Hello **world**' });
      expect(post?.headers.get('idempotency-key')).to.match(/^[0-9a-f-]{36}$/);
      expect(post?.headers.get('authorization')).to.match(/^Bearer /);
      release();
      await waitUntil(() => shadow(el).querySelector('#c-c900[aria-busy="false"]'), 'not confirmed');
      expect(shadow(el).querySelectorAll('[part="comment"]')).to.have.length(1);
      expect(server.api.callsTo('POST', '/api/comments')).to.have.length(1);
      await waitUntil(() => box.querySelector('textarea')?.value === '', 'composer not cleared');
      expect(text(el, '[role="status"]')).to.equal('Your comment was posted.');
    });

    it('keeps the text and shows an alert when posting fails, then posts cleanly', async () => {
      const subject = uniqueSubject();
      let failing = true;
      const server = threadServer(subject, {
        comments: [comment(subject, 'c1')],
        extra: {
          'POST /api/comments': async (request) => {
            const body = (await request.json()) as { body: string };
            return failing ? problem(500, 'about:blank') : json(comment(subject, 'c901', { body: body.body, author: person('linus') }), 201);
          },
        },
      });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      await waitUntil(() => shadow(el).querySelector('button.start'));
      shadow(el).querySelector<HTMLButtonElement>('button.start')?.click();
      await waitUntil(() => composerElement(el)?.shadowRoot?.querySelector('textarea'));
      const box = composer(el);
      const area = box.querySelector('textarea');
      if (!area) throw new Error('no textarea');
      area.value = 'Will this stick?';
      area.dispatchEvent(new InputEvent('input', { bubbles: true }));
      box.querySelector<HTMLButtonElement>('[part="submit"]')?.click();
      await waitUntil(() => box.querySelector('[role="alert"]'), 'no error shown', { timeout: 5000 });
      expect(box.querySelector('[role="alert"]')?.textContent).to.contain('Your comment was not posted');
      expect(box.querySelector('textarea')?.value).to.equal('Will this stick?');
      // The optimistic copy is gone; only the old comment is left.
      expect(shadow(el).querySelectorAll('[part="comment"]')).to.have.length(1);
      expect(shadow(el).querySelector('[aria-busy="true"][part="comment"]')).to.equal(null);
      const failedKeys = new Set(server.api.callsTo('POST', '/api/comments').map((c) => c.headers.get('idempotency-key')));
      expect(failedKeys.size).to.equal(1);

      failing = false;
      box.querySelector<HTMLButtonElement>('[part="submit"]')?.click();
      await waitUntil(() => shadow(el).querySelector('#c-c901'), 'second attempt not shown');
      await el.updateComplete;
      expect(box.querySelector('[role="alert"]')).to.equal(null);
      expect(shadow(el).querySelectorAll('[part="comment"]')).to.have.length(2);
      expect(shadow(el).querySelectorAll('[part="comment"][id^="c-local"]')).to.have.length(0);
      const last = server.api.callsTo('POST', '/api/comments').at(-1);
      expect(last?.body).to.deep.equal({ subject, body: 'Will this stick?' });
      // The same words sent again are the same intention: the key is reused, so a comment the server
      // had saved before failing is not saved twice.
      expect(last?.headers.get('idempotency-key')).to.equal([...failedKeys][0]);
      await waitUntil(() => box.querySelector('textarea')?.value === '', 'composer not cleared');
    });
  });

  describe('mentions', () => {
    it('completes @names from the thread community by keyboard and sends who was mentioned', async () => {
      const subject = uniqueSubject();
      const server = threadServer(subject, {
        comments: [comment(subject, 'c1')],
        extra: {
          'GET /api/people': (request) => {
            const query = new URL(request.url).searchParams;
            const prefix = (query.get('query') ?? '').toLowerCase();
            const people = [ADA, person('adele', 'Adele Novak'), MEI].filter((p) => p.name.toLowerCase().startsWith(prefix));
            return json({ items: people, nextCursor: null });
          },
        },
      });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      // The button shows once the session says who is reading.
      await waitUntil(() => shadow(el).querySelector('button.start'), 'no composer button');
      shadow(el).querySelector<HTMLButtonElement>('button.start')?.click();
      await waitUntil(() => composerElement(el)?.shadowRoot?.querySelector('textarea'));
      const box = composer(el);
      const area = box.querySelector('textarea');
      if (!area) throw new Error('no textarea');
      area.focus();
      await sendKeys({ type: 'Thanks @ad' });
      await waitUntil(() => box.querySelectorAll('[role="option"]').length === 2, 'no suggestions', { timeout: 3000 });
      const search = server.api.callsTo('GET', '/api/people').at(-1);
      expect(search?.url.searchParams.get('query')).to.equal('ad');
      expect(search?.url.searchParams.get('community')).to.equal('general');
      expect(area.getAttribute('aria-activedescendant')).to.equal('mention-0');
      await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      expect(area.getAttribute('aria-activedescendant')).to.equal('mention-1');
      await sendKeys({ press: 'ArrowUp' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => area.value === 'Thanks @Ada Okafor ', `not completed: "${area.value}"`);
      expect(box.querySelector('[role="listbox"]')).to.equal(null);
      await sendKeys({ type: 'for the tip' });
      await sendKeys({ down: 'Control' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Control' });
      await waitUntil(() => server.api.callsTo('POST', '/api/comments').length === 1, 'not sent');
      expect(server.api.callsTo('POST', '/api/comments')[0]?.body).to.deep.equal({ subject, body: 'Thanks @Ada Okafor for the tip', mentions: ['ada'] });
      localStorage.clear();
    });
  });

  describe('landmarks', () => {
    it('names the thread by its label, so several threads on a page are told apart', async () => {
      const subject = uniqueSubject();
      threadServer(subject, { comments: [comment(subject, 'c1')] });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject} label="Week 1 discussion"></guild-discussion-thread>`);
      await ready(el);
      expect(shadow(el).querySelector('section[part="base"]')?.getAttribute('aria-label')).to.equal('Week 1 discussion');
      await expect(el).to.be.accessible();
    });

    it('says "Question" by default in question mode', async () => {
      const subject = uniqueSubject();
      threadServer(subject, { comments: [comment(subject, 'c1')] });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject} mode="question"></guild-discussion-thread>`);
      await ready(el);
      expect(shadow(el).querySelector('section[part="base"]')?.getAttribute('aria-label')).to.equal('Question');
    });
  });

  describe('right to left', () => {
    it('indents replies from the right under dir="rtl"', async () => {
      const subject = uniqueSubject();
      threadServer(subject, { comments: [comment(subject, 'c1', { replyCount: 1 }), comment(subject, 'c2', { parentId: 'c1', author: ADA })] });
      const wrapper = await fixture(html`<section dir="rtl"><guild-discussion-thread subject=${subject}></guild-discussion-thread></section>`);
      const el = wrapper.querySelector('guild-discussion-thread') as GuildDiscussionThread;
      await ready(el);
      buttonByText(shadow(el), 'Show 1 reply')?.click();
      await waitUntil(() => shadow(el).querySelector('.list .list'), 'replies not shown');
      const nested = getComputedStyle(shadow(el).querySelector('.list .list') as Element);
      expect(nested.borderRightWidth).to.equal('2px');
      expect(nested.borderLeftWidth).to.equal('0px');
      expect(parseFloat(nested.marginRight)).to.be.greaterThan(0);
      await expect(el).to.be.accessible();
    });
  });

  describe('reactions', () => {
    it('sends PUT and flips aria-pressed', async () => {
      const subject = uniqueSubject();
      const server = threadServer(subject, { comments: [comment(subject, 'c1')] });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      const react = () => shadow(el).querySelector<HTMLButtonElement>('#c-c1 [part="reactions"] button[aria-label="React with 👍"], #c-c1 [part="reactions"] button[aria-label^="👍"]');
      await waitUntil(() => react()?.getAttribute('aria-disabled') === 'false', 'cannot react');
      expect(react()?.getAttribute('aria-pressed')).to.equal('false');
      react()?.click();
      await waitUntil(() => server.api.calls.some((c) => c.method === 'PUT'), 'no PUT');
      const put = server.api.calls.find((c) => c.method === 'PUT');
      expect(decodeURIComponent(put?.path ?? '')).to.equal('/api/comments/c1/reactions/👍');
      await waitUntil(() => react()?.getAttribute('aria-pressed') === 'true', 'not pressed');
      expect(react()?.getAttribute('aria-label')).to.equal('👍 1: you');
    });

    it('rolls back on a 409 problem', async () => {
      const subject = uniqueSubject();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const existing: Reaction = { emoji: '🎉', count: 2, reactedByMe: false, people: [MEI, ADA] };
      threadServer(subject, {
        comments: [comment(subject, 'c1', { reactions: [existing] })],
        extra: {
          'PUT /api/comments/:id/reactions/:emoji': async () => {
            await gate;
            return problem(409, 'conflict', 'Somebody changed this.');
          },
        },
      });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      const react = () => shadow(el).querySelector<HTMLButtonElement>('#c-c1 [part="reactions"] button');
      await waitUntil(() => react()?.getAttribute('aria-disabled') === 'false', 'cannot react');
      expect(react()?.getAttribute('aria-label')).to.equal('🎉 2: Mei Tanaka and Ada Okafor');
      react()?.click();
      await waitUntil(() => react()?.getAttribute('aria-pressed') === 'true', 'not optimistic');
      expect(react()?.querySelector('.n')?.textContent).to.equal('3');
      release();
      await waitUntil(() => shadow(el).querySelector('#c-c1 [role="alert"]'), 'no error');
      expect(react()?.getAttribute('aria-pressed')).to.equal('false');
      expect(react()?.querySelector('.n')?.textContent).to.equal('2');
      expect(text(el, '#c-c1 [role="alert"]')).to.equal('That did not work: Somebody changed this.');
    });
  });

  describe('live', () => {
    it('offers new comments from others, removes deleted ones and updates edited ones', async () => {
      const subject = uniqueSubject();
      const server = threadServer(subject, { comments: [comment(subject, 'c1', { body: 'Original text' }), comment(subject, 'c2', { body: 'Doomed' })] });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      await waitUntil(() => server.events.connections === 1, 'no event stream');
      await nextTask(20);
      const base = { type: 'comment.changed' as const, occurredAt: NOW, actorId: 'ada' };
      const fresh = comment(subject, 'c3', { author: ADA, body: 'Fresh from Ada' });
      server.events.push({ ...base, id: '1', action: 'created', comment: fresh, thread: thread(subject, { commentCount: 3 }) });
      await waitUntil(() => shadow(el).querySelector('[part="new-comments"]'), 'no new-comments button');
      expect(text(el, '[part="new-comments"]')).to.equal('Show 1 new comment');
      expect(shadow(el).querySelector('#c-c3')).to.equal(null);
      expect(text(el, '[role="status"]')).to.equal('1 new comment');
      shadow(el).querySelector<HTMLButtonElement>('[part="new-comments"]')?.click();
      await waitUntil(() => shadow(el).querySelector('#c-c3'), 'new comment not inserted');
      expect(shadow(el).querySelector('[part="new-comments"]')).to.equal(null);
      expect(text(el, '#c-c3 [part="body"]')).to.equal('Fresh from Ada');

      server.events.push({
        ...base,
        id: '2',
        actorId: 'mei',
        action: 'deleted',
        comment: comment(subject, 'c2', { state: 'deleted', body: '', author: null }),
        thread: thread(subject, { commentCount: 2 }),
      });
      await waitUntil(() => !shadow(el).querySelector('#c-c2'), 'deleted comment still shown');

      server.events.push({
        ...base,
        id: '3',
        actorId: 'mei',
        action: 'edited',
        comment: comment(subject, 'c1', { body: 'Edited **text**', editedAt: NOW }),
        thread: thread(subject, { commentCount: 2 }),
      });
      await waitUntil(() => text(el, '#c-c1 [part="body"]') === 'Edited text', 'edit not applied');
      expect(text(el, '#c-c1 [part="body"] strong')).to.equal('text');
      expect(text(el, '#c-c1 .meta')).to.contain('edited');
    });
  });

  describe('count view', () => {
    it('reads three counts in one request and renders them as links', async () => {
      const subjects = [uniqueSubject('count'), uniqueSubject('count'), uniqueSubject('count')];
      const counts: Record<string, number> = { [subjects[0] ?? '']: 2, [subjects[1] ?? '']: 1, [subjects[2] ?? '']: 0 };
      const api = mockApi({
        'GET /api/events': new EventStreamMock().handler,
        'GET /api/threads': (request) => {
          const asked = new URL(request.url).searchParams.get('subjects')?.split(',') ?? [];
          return json({ items: asked.map((s) => thread(s, { commentCount: counts[s] ?? 0 })) });
        },
      });
      configure({ ...testConfig, fetch: api.fetch });
      const wrapper = await fixture(html`<div>${subjects.map((s) => html`<guild-discussion-thread view="count" subject=${s}></guild-discussion-thread>`)}</div>`);
      const els = [...wrapper.querySelectorAll('guild-discussion-thread')];
      for (const el of els) await waitUntil(() => shadow(el).querySelector('a[part="count"][aria-busy="false"]'), 'count not loaded');
      expect(api.callsTo('GET', '/api/threads')).to.have.length(1);
      expect(api.callsTo('GET', '/api/threads')[0]?.url.searchParams.get('subjects')?.split(',').sort()).to.deep.equal([...subjects].sort());
      expect(api.callsTo('GET', '/api/comments')).to.have.length(0);
      const [first, second, third] = els;
      if (!first || !second || !third) throw new Error('missing');
      const link = shadow(first).querySelector('a[part="count"]');
      expect(link?.textContent?.trim()).to.equal('2 comments');
      expect(link?.getAttribute('href')).to.match(/^https?:\/\/.*#comments$/);
      expect(text(second, 'a[part="count"]')).to.equal('1 comment');
      expect(text(third, 'a[part="count"]')).to.equal('No comments yet');
      await expect(first).to.be.accessible();
    });
  });

  describe('questions', () => {
    it('lets the asker accept an answer', async () => {
      const subject = uniqueSubject('question');
      const server = threadServer(subject, {
        thread: { mode: 'question', createdBy: 'linus', commentCount: 3 },
        comments: [
          comment(subject, 'q1', { author: person('linus'), body: 'How do I start?', createdAt: '2026-11-28T10:00:00.000Z' }),
          comment(subject, 'a1', { body: 'Read the docs.' }),
          comment(subject, 'a2', { author: ADA, body: 'Ask Mei.' }),
        ],
      });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      await waitUntil(() => shadow(el).querySelector('#c-a1 .actions'), 'no actions');
      expect(text(el, 'h2')).to.equal('2 answers');
      expect(text(el, '[part="header"] .badge')).to.equal('Unanswered');
      const accept = (id: string) => buttonByText(shadow(el).querySelector(`#c-${id}`) ?? shadow(el), 'Accept answer');
      expect(accept('q1')).to.equal(undefined);
      expect(accept('a1')).to.not.equal(undefined);
      expect(accept('a2')).to.not.equal(undefined);
      accept('a2')?.click();
      await waitUntil(() => server.api.callsTo('PATCH', '/api/threads').length === 1, 'no PATCH');
      const patch = server.api.callsTo('PATCH', '/api/threads')[0];
      expect(patch?.url.searchParams.get('subject')).to.equal(subject);
      expect(patch?.body).to.deep.equal({ acceptedCommentId: 'a2' });
      await waitUntil(() => text(el, '#c-a2 .accepted-badge').includes('Accepted answer'), 'not marked accepted');
      expect(text(el, '[part="header"] .badge')).to.equal('Answered');
      await expect(el).to.be.accessible();
    });
  });

  describe('from discussion to card', () => {
    function answered(subject: string) {
      return {
        thread: { mode: 'question' as const, createdBy: 'linus', commentCount: 3, acceptedCommentId: 'a2' },
        comments: [
          comment(subject, 'q1', { author: person('linus'), body: '  How do I start a **release**?\nI am new here.', createdAt: '2026-11-28T10:00:00.000Z' }),
          comment(subject, 'a1', { body: 'Read the docs.' }),
          comment(subject, 'a2', { author: ADA, body: 'Run `npm run release` and\n\n- check the changelog' }),
        ],
      };
    }

    it('turns the accepted answer into a draft card, and shows it here to finish', async () => {
      const subject = uniqueSubject('question');
      const server = threadServer(subject, answered(subject));
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      await waitUntil(() => shadow(el).querySelector('#c-a2 [data-action="to-card"]'), 'no "Turn into a card"');
      // Only on the accepted answer.
      expect(shadow(el).querySelector('#c-a1 [data-action="to-card"], #c-q1 [data-action="to-card"]')).to.equal(null);
      await expect(el).to.be.accessible();
      shadow(el).querySelector<HTMLButtonElement>('#c-a2 [data-action="to-card"]')?.focus();
      await sendKeys({ press: 'Enter' });
      // "Turn into a card" is gone: the focus moves to what takes its place, never to the page.
      const toolsRoot = () => shadow(el).querySelector('#c-a2 guild-comment-tools')?.shadowRoot;
      await waitUntil(() => toolsRoot()?.activeElement, 'the focus did not move to the draft card');
      expect(document.activeElement === el, 'the focus left the thread').to.equal(true);
      await waitUntil(() => server.api.callsTo('POST', '/api/cards').length === 1, 'no card created');
      const call = server.api.callsTo('POST', '/api/cards')[0];
      const page = new URL(location.href);
      page.hash = '';
      expect(call?.body).to.deep.equal({
        title: 'How do I start a **release**?',
        summary: '',
        body: `Run \`npm run release\` and\n\n- check the changelog\n\n[The discussion this card was written from](${page.href})`,
        tags: [],
        sourceSubject: subject,
        sourceCommentId: 'a2',
        status: 'draft',
        communityId: 'general',
      });
      expect(call?.headers.get('idempotency-key')).to.match(/^[0-9a-f-]{36}$/);
      const draftCard = () => shadow(el).querySelector('#c-a2 guild-comment-tools')?.shadowRoot?.querySelector('guild-knowledge-card');
      const draft = await waitUntil(draftCard, 'draft card not shown').then(draftCard);
      expect(draft?.getAttribute('card')).to.equal('k101');
      expect(draft?.hasAttribute('edit')).to.equal(true);
      // The focus followed from the status line to the card, so Tab goes on into its editor.
      await waitUntil(() => toolsRoot()?.activeElement === draft, 'the focus is not on the draft card');
      expect(document.activeElement === el, 'the focus left the thread').to.equal(true);
      // The host page styles it as `::part(card)`.
      expect(draft?.getAttribute('part')).to.equal('card');
      expect(shadow(el).querySelector('#c-a2 guild-comment-tools')?.getAttribute('exportparts')).to.contain('card');
      await waitUntil(() => draft?.shadowRoot?.querySelector('guild-card-editor')?.shadowRoot?.querySelector('[name="title"]'), 'no editor in the draft');
      const editor = draft?.shadowRoot?.querySelector('guild-card-editor')?.shadowRoot;
      expect(editor?.querySelector<HTMLInputElement>('[name="title"]')?.value).to.equal('How do I start a **release**?');
      expect(text(el, '.visually-hidden[aria-live="polite"]')).to.equal('A draft card was made from this answer: finish it below and publish it.');
      expect(shadow(el).querySelector('#c-a2 [data-action="to-card"]')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('says why a draft card could not be made, and makes it on "Try again"', async () => {
      const subject = uniqueSubject('question');
      let failing = true;
      let created = 0;
      const cards = cardRoutes(cardData([], 'linus'));
      const create = cards['POST /api/cards'];
      if (!create) throw new Error('no card route');
      threadServer(subject, {
        ...answered(subject),
        extra: {
          'POST /api/cards': (request, params) => {
            if (failing) return problem(500, 'about:blank');
            created += 1;
            return create(request, params);
          },
        },
      });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      await waitUntil(() => shadow(el).querySelector('#c-a2 [data-action="to-card"]'), 'no "Turn into a card"');
      shadow(el).querySelector<HTMLButtonElement>('#c-a2 [data-action="to-card"]')?.click();
      const tools = () => shadow(el).querySelector('#c-a2 guild-comment-tools')?.shadowRoot;
      await waitUntil(() => tools()?.querySelector('[role="alert"]'), 'no error');
      expect(tools()?.querySelector('[role="alert"]')?.textContent?.trim()).to.equal('That did not work: the server had a problem; try again in a moment.');
      expect(text(el, '.visually-hidden[aria-live="polite"]')).to.equal('That did not work: the server had a problem; try again in a moment.');
      await expect(el).to.be.accessible();
      failing = false;
      buttonByText(tools() ?? shadow(el), 'Try again')?.click();
      await waitUntil(() => tools()?.querySelector('guild-knowledge-card'), 'no draft card after trying again');
      expect(created).to.equal(1);
      expect(tools()?.querySelector('[role="alert"]')).to.equal(null);
    });

    it('makes a new draft when the one it made before was deleted elsewhere', async () => {
      const subject = uniqueSubject('question');
      let deleted = false;
      const cards = cardRoutes(cardData([], 'linus'));
      const read = cards['GET /api/cards/:id'];
      if (!read) throw new Error('no card route');
      const server = threadServer(subject, {
        ...answered(subject),
        extra: {
          ...cards,
          'GET /api/cards/:id': (request, params) => (deleted && params['id'] === 'k101' ? problem(404, '/problems/not-found') : read(request, params)),
        },
      });
      const draftIn = (thread: GuildDiscussionThread) => shadow(thread).querySelector('#c-a2 guild-comment-tools')?.shadowRoot?.querySelector('guild-knowledge-card');
      const first = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(first);
      await waitUntil(() => shadow(first).querySelector('#c-a2 [data-action="to-card"]'), 'no "Turn into a card"');
      shadow(first).querySelector<HTMLButtonElement>('#c-a2 [data-action="to-card"]')?.click();
      await waitUntil(() => draftIn(first), 'no draft card');
      expect(draftIn(first)?.getAttribute('card')).to.equal('k101');
      expect(server.api.callsTo('POST', '/api/cards')).to.have.length(1);
      first.remove();

      // Someone deletes that draft on its own page; the same answer, turned into a card again here, gets a new one.
      deleted = true;
      const again = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(again);
      await waitUntil(() => shadow(again).querySelector('#c-a2 [data-action="to-card"]'), 'no "Turn into a card" the second time');
      shadow(again).querySelector<HTMLButtonElement>('#c-a2 [data-action="to-card"]')?.click();
      await waitUntil(() => draftIn(again), 'no draft card the second time');
      expect(server.api.callsTo('POST', '/api/cards')).to.have.length(2);
      expect(draftIn(again)?.getAttribute('card')).to.not.equal('k101');
    });

    it('links back to the cards written from the discussion', async () => {
      const subject = uniqueSubject('question');
      const written = card('k7', { title: 'Releasing, step by step', sourceSubject: subject, sourceCommentId: 'a2', credited: ADA });
      const server = threadServer(subject, { ...answered(subject), cards: [written, card('k8', { status: 'draft', sourceSubject: subject })] });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      await waitUntil(() => shadow(el).querySelector('[part="cards"] a'), 'no link back');
      expect(server.api.callsTo('GET', '/api/cards')[0]?.url.searchParams.get('sourceSubject')).to.equal(subject);
      expect(text(el, '[part="cards"]')).to.equal('Written up as a card: Releasing, step by step');
      expect(shadow(el).querySelector('[part="cards"] a')?.getAttribute('href')).to.equal('https://guild.example.com/cards/k7');
      // Already written: no second card from the same answer.
      expect(shadow(el).querySelector('#c-a2 [data-action="to-card"]')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('asks nothing about cards for a discussion that is not a question', async () => {
      const subject = uniqueSubject();
      const server = threadServer(subject, { comments: [comment(subject, 'c1')] });
      const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
      await ready(el);
      await nextTask(30);
      expect(server.api.callsTo('GET', '/api/cards')).to.deep.equal([]);
    });
  });

  describe('hostile content', () => {
    const fired: string[] = [];
    const originals = new Map<string, unknown>();
    let naughty: string[] = [];

    before(async () => {
      const list: unknown = await (await fetch(new URL('../fixtures/blns.json', import.meta.url))).json();
      naughty = Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
      for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
        originals.set(name, window[name]);
        Object.defineProperty(window, name, { configurable: true, writable: true, value: (...args: unknown[]) => fired.push(`${name}(${args.join(',')})`) });
      }
    });

    after(() => {
      for (const [name, value] of originals) Object.defineProperty(window, name, { configurable: true, writable: true, value });
    });

    function hostileMarkdown(): string[] {
      const schemes = [
        'javascript:alert(1)',
        'JaVaScRiPt:alert(1)',
        ' javascript:alert(1)',
        '\tjavascript:alert(1)',
        '\u0001javascript:alert(1)',
        'java\tscript:alert(1)',
        'java\nscript:alert(1)',
        'java\rscript:alert(1)',
        '&#106;avascript:alert(1)',
        '&#x6A;avascript:alert(1)',
        '&#0000106avascript:alert(1)',
        'javascript&colon;alert(1)',
        'jav&#x09;ascript:alert(1)',
        'javascript%3Aalert(1)',
        'data:text/html,<script>alert(1)</script>',
        'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
        'DATA:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+',
        'vbscript:msgbox(1)',
        'VbScRiPt:msgbox(1)',
        'file:///etc/passwd',
        '//evil.test/%0ajavascript:alert(1)',
        'javascript://%0aalert(1)',
      ];
      const inputs: string[] = [
        '<script>alert(1)</script>',
        '<img src=x onerror=alert(1)>',
        '<svg onload=alert(1)>',
        '<iframe src="javascript:alert(1)"></iframe>',
        '<object data="javascript:alert(1)"></object>',
        '<embed src="javascript:alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<details open ontoggle=alert(1)>',
        '"><script>alert(1)</script>',
        '[x](javascript:alert(1))',
        '![x](javascript:alert(1))',
        '[[nested]](javascript:alert(1))',
        '[a [b [c](javascript:alert(1))]](https://ok.test)',
        '[x](https://ok.test "title" onmouseover=alert(1))',
        '![x](https://ok.test/i.png" onerror="alert(1))',
        '[x]( javascript:alert(1) )',
        '<https://ok.test/"onmouseover="alert(1)>',
        '[![img](javascript:alert(1))](javascript:alert(2))',
      ];
      for (const scheme of schemes) {
        inputs.push(`[click](${scheme})`, `[click](<${scheme}>)`, `![pic](${scheme})`, `<${scheme}>`, `[**b**](${scheme} "t")`, `> [q](${scheme})`);
      }
      return inputs;
    }

    function assertSafe(el: Element, label: string): void {
      const root = shadow(el);
      expect(root.querySelector('script, iframe, object, embed, form, base, meta, style:not([data-lit])'), `forbidden element (${label})`).to.equal(null);
      for (const element of allElements(root)) {
        for (const attribute of element.attributes) {
          expect(/^on/i.test(attribute.name), `${attribute.name}= on <${element.tagName.toLowerCase()}> (${label})`).to.equal(false);
        }
        for (const name of ['href', 'src', 'xlink:href', 'action', 'formaction', 'data']) {
          const url = element.getAttribute(name);
          if (url !== null) expect(/^(https?:|mailto:)/.test(url), `${name}=${url} (${label})`).to.equal(true);
        }
      }
    }

    it('renders 100+ hostile links and the Big List of Naughty Strings as bodies and names without running anything', async () => {
      fired.length = 0;
      const hostile = hostileMarkdown();
      expect(hostile.length).to.be.greaterThanOrEqual(100);
      const bodies = [...hostile, ...naughty].map((s) => (s.trim() ? s : `blank ${JSON.stringify(s)}`));
      expect(naughty.length).to.be.greaterThan(400);
      const chunkSize = 160;
      for (let start = 0; start < bodies.length; start += chunkSize) {
        const subject = uniqueSubject('hostile');
        const chunk = bodies.slice(start, start + chunkSize);
        const comments = chunk.map((body, i) =>
          comment(subject, `h${start + i}`, {
            body,
            // Names are at most 200 characters (api.yaml).
            author: person(`p${start + i}`, body.slice(0, 200)),
          }),
        );
        threadServer(subject, { comments });
        const el = await fixture<GuildDiscussionThread>(html`<guild-discussion-thread subject=${subject}></guild-discussion-thread>`);
        await ready(el);
        await waitUntil(() => shadow(el).querySelectorAll('[part="comment"]').length === chunk.length, `chunk ${start} not rendered`);
        // Names are text, never markup.
        const names = [...shadow(el).querySelectorAll('.who strong')];
        expect(names.length).to.equal(chunk.length);
        for (const name of names) expect(name.children.length).to.equal(0);
        expect(names[0]?.textContent).to.equal(chunk[0]?.slice(0, 200));
        assertSafe(el, `chunk ${start}`);
        fixtureCleanup();
      }
      // Give image errors and handlers their chance to fire.
      await nextTask(200);
      expect(fired).to.deep.equal([]);
    });

    it('counts script that runs (the hooks themselves work)', async () => {
      fired.length = 0;
      const img = document.createElement('img');
      img.setAttribute('onerror', 'confirm("self-test")');
      img.src = 'data:,not-an-image';
      document.body.append(img);
      await waitUntil(() => fired.length === 1, 'the hook did not fire');
      img.remove();
      expect(fired).to.deep.equal(['confirm(self-test)']);
      fired.length = 0;
    });
  });

  describe('German', () => {
    it('speaks German after the translation loads', async () => {
      const subject = uniqueSubject();
      const other = uniqueSubject('count');
      threadServer(subject, { comments: [comment(subject, 'c1'), comment(subject, 'c2', { author: ADA })] });
      const wrapper = await fixture(html`<div lang="de">
        <guild-discussion-thread subject=${subject}></guild-discussion-thread>
        <guild-discussion-thread view="count" subject=${other}></guild-discussion-thread>
      </div>`);
      const [el, count] = [...wrapper.querySelectorAll('guild-discussion-thread')];
      if (!el || !count) throw new Error('missing');
      await ready(el);
      await waitUntil(() => text(el, 'h2') === '2 Kommentare', `not German: ${text(el, 'h2')}`);
      expect(text(el, '.sort')).to.contain('Kommentare sortieren');
      await waitUntil(() => shadow(el).querySelector('button.start'));
      expect(text(el, 'button.start')).to.equal('Schreib einen Kommentar…');
      await waitUntil(() => text(count, 'a[part="count"]') === 'Noch keine Kommentare', `count not German: ${text(count, 'a[part="count"]')}`);
      await expect(el).to.be.accessible();
    });
  });
});
