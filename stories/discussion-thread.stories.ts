import type { Decorator, Loader, Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { components } from '../src/api/schema.js';
import '../src/define/discussion-thread.js';
// The draft card made from an accepted answer opens right in the thread.
import '../src/define/knowledge-card.js';
import type { GuildDiscussionThread } from '../src/elements/discussion-thread/discussion-thread.js';
import { configure, defaultConfig } from '../src/internal/config.js';
import { cardFor, cardRouter, people, signedIn, type Card, type Me, type Person } from './mock-api.js';

type Comment = components['schemas']['Comment'];
type ThreadSummary = components['schemas']['ThreadSummary'];
type Problem = components['schemas']['Problem'];

interface ThreadArgs {
  subject: string;
  view?: 'thread' | 'count';
  mode?: 'discussion' | 'question';
  lang?: 'en' | 'de';
  theme?: 'light' | 'dark' | 'auto';
  dir?: 'ltr' | 'rtl';
}

type Story = StoryObj<ThreadArgs>;

/** What the in-story server knows (stories/mock-api.ts serves kudos only, so threads are served here). */
interface ThreadScenario {
  me: Me | null;
  threads: ThreadSummary[];
  comments: Comment[];
  /** `GET /comments` never answers. */
  hang?: boolean;
  /** How many `GET /comments` fail with a `500` before the server recovers. */
  failLoads?: number;
  /** Knowledge cards (a question links to the cards written from it; an accepted answer becomes one). */
  cards?: Card[];
  latencyMs?: number;
}

const COMMUNITY = 'c-engineering';
const facilitator: Me = { ...signedIn, memberships: [{ communityId: COMMUNITY, personId: signedIn.person.id, role: 'facilitator', since: '2024-01-15T09:00:00.000Z' }] };

function threadFor(subject: string, overrides: Partial<ThreadSummary> = {}): ThreadSummary {
  return { subject, community: COMMUNITY, commentCount: 0, locked: false, mode: 'discussion', acceptedCommentId: null, allowedReactions: ['👍', '🎉', '💡', '❤️'], ...overrides };
}

function commentOn(subject: string, id: string, author: Person, body: string, overrides: Partial<Comment> = {}): Comment {
  return {
    id,
    subject,
    parentId: null,
    author,
    body,
    mentions: [],
    createdAt: '2026-11-28T09:00:00.000Z',
    editedAt: null,
    state: 'visible',
    pinned: false,
    replyCount: 0,
    reactions: [],
    ...overrides,
  };
}

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function problemResponse(problem: Problem): Response {
  return new Response(JSON.stringify(problem), { status: problem.status, headers: { 'content-type': 'application/problem+json' } });
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
    });
  });
}

let mockCount = 0;

/** A `fetch` that serves one story's threads from memory; a new identity per story, so no data leaks between stories. */
function createThreadApi(scenario: ThreadScenario) {
  mockCount += 1;
  const token = `storybook-thread-token-${mockCount}`;
  const threads = new Map(scenario.threads.map((t) => [t.subject, structuredClone(t)]));
  const comments = structuredClone(scenario.comments);
  const latencyMs = scenario.latencyMs ?? 150;
  let failures = scenario.failLoads ?? 0;
  let nextId = 1;
  const me = () => scenario.me?.person;
  const cards = cardRouter({ me: scenario.me, cards: scenario.cards ?? [], latencyMs: scenario.latencyMs });

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^.*?\/api(?=\/)/, '');
    const { signal } = request;
    if (request.method === 'GET' && path === '/events') {
      // Open, quiet: nothing happens live in these stories.
      const body = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new TextEncoder().encode(': connected\n\n')) });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }
    if (request.method === 'GET' && path === '/comments' && scenario.hang) return new Promise<Response>(() => undefined);
    await wait(latencyMs, signal);
    const signedIn = scenario.me && request.headers.get('authorization') === `Bearer ${token}`;
    if (request.method === 'GET' && path === '/me') {
      return signedIn ? jsonResponse(scenario.me) : problemResponse({ type: '/problems/unauthorized', title: 'Sign in first', status: 401 });
    }
    if (request.method === 'GET' && path === '/comments') {
      if (failures > 0) {
        failures -= 1;
        return problemResponse({ type: 'about:blank', title: 'Internal Server Error', status: 500 });
      }
      const subject = url.searchParams.get('subject') ?? '';
      const parent = url.searchParams.get('parent');
      const items = comments.filter((c) => c.subject === subject && c.parentId === parent);
      const visible = signedIn && scenario.me?.memberships.some((m) => m.role === 'facilitator') ? items : items.filter((c) => c.state !== 'hidden');
      return jsonResponse({ thread: threads.get(subject) ?? threadFor(subject), items: visible, nextCursor: null });
    }
    if (request.method === 'GET' && path === '/threads') {
      const subjects = (url.searchParams.get('subjects') ?? '').split(',').filter(Boolean);
      return jsonResponse({ items: subjects.map((s) => threads.get(s) ?? threadFor(s)) });
    }
    const author = signedIn ? me() : undefined;
    if (request.method === 'POST' && path === '/comments' && author) {
      const input = (await request.json()) as { subject: string; body: string; parentId?: string };
      const created = commentOn(input.subject, `new-${nextId++}`, author, input.body, { parentId: input.parentId ?? null, createdAt: new Date().toISOString() });
      comments.push(created);
      const before = threads.get(input.subject) ?? threadFor(input.subject);
      threads.set(input.subject, { ...before, commentCount: before.commentCount + 1, createdBy: before.createdBy ?? author.id });
      return jsonResponse(created, 201);
    }
    const reaction = /^\/comments\/([^/]+)\/reactions\/([^/]+)$/.exec(path);
    if (reaction && author && (request.method === 'PUT' || request.method === 'DELETE')) {
      const target = comments.find((c) => c.id === decodeURIComponent(reaction[1] ?? ''));
      const emoji = decodeURIComponent(reaction[2] ?? '');
      if (!target) return problemResponse({ type: '/problems/not-found', title: 'Not found', status: 404 });
      const others = target.reactions.filter((r) => r.emoji !== emoji);
      const current = target.reactions.find((r) => r.emoji === emoji);
      const people = (current?.people ?? []).filter((p) => p.id !== author.id);
      const next = request.method === 'PUT' ? [{ emoji, count: people.length + 1, reactedByMe: true, people: [author, ...people].slice(0, 10) }] : people.length ? [{ emoji, count: people.length, reactedByMe: false, people }] : [];
      target.reactions = [...others, ...next];
      return jsonResponse({ items: target.reactions });
    }
    if (request.method === 'PATCH' && path === '/threads' && author) {
      const subject = url.searchParams.get('subject') ?? '';
      const change = (await request.json()) as Partial<ThreadSummary>;
      const after = { ...(threads.get(subject) ?? threadFor(subject)), ...change };
      threads.set(subject, after);
      return jsonResponse(after);
    }
    const card = await cards.route(request, path, url, author);
    if (card) return card;
    console.error(`discussion-thread story: no handler for ${request.method} ${path}`);
    return problemResponse({ type: 'about:blank', title: 'Not implemented in the Storybook mock', status: 501 });
  }

  return { fetch: (input: RequestInfo | URL, init?: RequestInit) => route(new Request(input, init)), getToken: () => (scenario.me ? token : null) };
}

function mockThreads(scenario: ThreadScenario, options: { timeoutMs?: number; attempts?: number } = {}): Loader<ThreadArgs> {
  return ({ canvasElement }) => {
    // Disconnect the previous story's elements first, or they would follow the page-wide configuration.
    canvasElement.replaceChildren();
    const api = createThreadApi(scenario);
    configure({
      fetch: api.fetch,
      getToken: api.getToken,
      timeoutMs: options.timeoutMs ?? defaultConfig.timeoutMs,
      retry: options.attempts ? { attempts: options.attempts } : {},
    });
  };
}

function thread(canvasElement: HTMLElement): GuildDiscussionThread {
  const element = canvasElement.querySelector('guild-discussion-thread');
  if (!element) throw new Error('No <guild-discussion-thread> in the story.');
  return element;
}

function inShadow(element: Element, selector: string): HTMLElement | null {
  return element.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;
}

function buttonLabelled(element: Element, label: string): HTMLButtonElement | undefined {
  return [...(element.shadowRoot?.querySelectorAll<HTMLButtonElement>('button') ?? [])].find((b) => b.textContent?.replace(/\s+/g, ' ').trim() === label);
}

async function untilHeader(canvasElement: HTMLElement, heading: string): Promise<GuildDiscussionThread> {
  const element = thread(canvasElement);
  await waitFor(() => expect(inShadow(element, 'h2')).toHaveTextContent(heading), { timeout: 4000 });
  return element;
}

const onDarkSurface: Decorator<ThreadArgs> = (story) => html`<div style="background: #0b1220; color: #e5e7eb; padding: 1.5rem; color-scheme: dark">${story()}</div>`;

const meta = {
  title: 'Elements/Discussion thread',
  component: 'guild-discussion-thread',
  tags: ['autodocs'],
  render: (args) => html`
    <guild-discussion-thread
      subject=${args.subject}
      view=${ifDefined(args.view)}
      mode=${ifDefined(args.mode)}
      lang=${ifDefined(args.lang)}
      theme=${ifDefined(args.theme)}
      dir=${ifDefined(args.dir)}
    ></guild-discussion-thread>
  `,
  argTypes: {
    view: { control: 'inline-radio', options: ['thread', 'count'] },
    mode: { control: 'inline-radio', options: ['discussion', 'question'] },
    lang: { control: 'inline-radio', options: ['en', 'de'], description: 'The language (read from the element or its nearest ancestor).' },
    theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
  },
  parameters: {
    // Each story runs in its own frame: configuration is page-wide.
    docs: { story: { inline: false, height: '520px' } },
  },
} satisfies Meta<ThreadArgs>;

export default meta;

/** Three top-level comments, one with replies four levels deep, markdown, reactions. */
function conversation(subject: string): { thread: ThreadSummary; comments: Comment[] } {
  return {
    thread: threadFor(subject, { commentCount: 3, createdBy: people.ada.id, lastCommentAt: '2026-11-28T12:00:00.000Z' }),
    comments: [
      commentOn(subject, 'c1', people.ada, 'Has anyone tried **pairing** on the week-1 exercise?\n\n- it was fun\n- it was _fast_', {
        replyCount: 1,
        reactions: [{ emoji: '👍', count: 2, reactedByMe: false, people: [people.grace, people.linus] }],
      }),
      commentOn(subject, 'r1', people.grace, 'Yes, see [the guide](https://example.com/pairing).', { parentId: 'c1', replyCount: 1, createdAt: '2026-11-28T10:00:00.000Z' }),
      commentOn(subject, 'r2', people.linus, 'Which part of the guide?', { parentId: 'r1', replyCount: 1, createdAt: '2026-11-28T10:30:00.000Z' }),
      commentOn(subject, 'r3', people.grace, 'The `driver/navigator` section.', { parentId: 'r2', replyCount: 1, createdAt: '2026-11-28T11:00:00.000Z' }),
      commentOn(subject, 'r4', people.katherine, '> The driver/navigator section\n\nThanks, that helped.', { parentId: 'r3', createdAt: '2026-11-28T11:30:00.000Z' }),
      commentOn(subject, 'c2', people.katherine, 'I paired with Margaret, it took half the time.', {
        createdAt: '2026-11-28T11:00:00.000Z',
        reactions: [{ emoji: '🎉', count: 1, reactedByMe: true, people: [people.margaret] }],
      }),
      commentOn(subject, 'c3', people.linus, 'Edited after a typo.', { createdAt: '2026-11-28T12:00:00.000Z', editedAt: '2026-11-28T12:05:00.000Z' }),
    ],
  };
}

/** Opens "Show N replies" until every level is shown. */
async function openAllReplies(element: GuildDiscussionThread, levels: number): Promise<void> {
  for (let level = 0; level < levels; level += 1) {
    const more = await waitFor(
      () => {
        const button = element.shadowRoot?.querySelector<HTMLButtonElement>('button[part="more"]');
        if (!button) throw new Error('no "Show replies" button yet');
        return button;
      },
      { timeout: 3000 },
    );
    await userEvent.click(more);
    await waitFor(() => expect(element.shadowRoot?.querySelectorAll('[part="comment"]').length).toBeGreaterThan(3 + level), { timeout: 3000 });
  }
}

const loadingSubject = 'storybook/discussion-thread/loading';
/** `GET /comments` never answers: the skeleton stays. */
export const Loading: Story = {
  args: { subject: loadingSubject },
  loaders: [mockThreads({ me: signedIn, threads: [], comments: [], hang: true }, { timeoutMs: 2 ** 31 - 1 })],
  play: async ({ canvasElement }) => {
    const element = thread(canvasElement);
    await waitFor(() => expect(inShadow(element, '.skeleton')).not.toBeNull());
    await expect(inShadow(element, '[part="base"]')).toHaveAttribute('aria-busy', 'true');
  },
};

const withCommentsSubject = 'storybook/discussion-thread/with-comments';
/** Comments with markdown and reactions; the play function opens a reply chain four levels deep. */
export const WithComments: Story = {
  name: 'With comments',
  args: { subject: withCommentsSubject },
  loaders: [mockThreads({ me: signedIn, threads: [conversation(withCommentsSubject).thread], comments: conversation(withCommentsSubject).comments })],
  play: async ({ canvasElement }) => {
    const element = await untilHeader(canvasElement, '3 comments');
    await expect(inShadow(element, '#c-c1 [part="body"] strong')).toHaveTextContent('pairing');
    await openAllReplies(element, 4);
    await waitFor(() => expect(inShadow(element, '#c-r4')).not.toBeNull());
    await expect(inShadow(element, '#c-r4 .in-reply')).toHaveTextContent('in reply to Grace Hopper');
  },
};

const flagSubject = 'storybook/discussion-thread/flag';
/** "Flag" opens the form to tell facilitators why: action code, loaded on the reader's first pointer or focus in the thread. */
export const FlagForm: Story = {
  name: 'Flag form',
  args: { subject: flagSubject },
  loaders: [mockThreads({ me: signedIn, threads: [conversation(flagSubject).thread], comments: conversation(flagSubject).comments })],
  play: async ({ canvasElement }) => {
    const element = await untilHeader(canvasElement, '3 comments');
    await waitFor(() => expect(buttonLabelled(element, 'Flag')).toBeDefined());
    const flag = buttonLabelled(element, 'Flag');
    if (flag) await userEvent.click(flag);
    const form = () => inShadow(element, 'guild-comment-tools')?.shadowRoot ?? null;
    await waitFor(() => expect(form()?.querySelector('textarea')).not.toBeNull(), { timeout: 4000 });
    await expect(form()?.querySelector('label')).toHaveTextContent('Why should a facilitator look at this?');
  },
};

const emptySubject = 'storybook/discussion-thread/empty';
/** Nobody wrote yet: an invitation and the button to write. */
export const Empty: Story = {
  args: { subject: emptySubject },
  loaders: [mockThreads({ me: signedIn, threads: [], comments: [] })],
  play: async ({ canvasElement }) => {
    const element = await untilHeader(canvasElement, 'No comments yet');
    await expect(inShadow(element, '.empty')).toHaveTextContent('Be the first to start the conversation.');
  },
};

const errorSubject = 'storybook/discussion-thread/error';
/** The first load fails with a `500`; "Try again" loads the thread. */
export const LoadError: Story = {
  name: 'Error',
  args: { subject: errorSubject },
  loaders: [mockThreads({ me: signedIn, threads: [conversation(errorSubject).thread], comments: conversation(errorSubject).comments, failLoads: 1 }, { attempts: 1 })],
  play: async ({ canvasElement }) => {
    const element = thread(canvasElement);
    await waitFor(() => expect(inShadow(element, '[role="alert"]')).toHaveTextContent('The discussion could not be loaded.'), { timeout: 4000 });
    await expect(inShadow(element, '.retry')).toHaveTextContent('Try again');
  },
};

const anonymousSubject = 'storybook/discussion-thread/anonymous';
/** No token: the comments are readable, writing asks to sign in. */
export const Anonymous: Story = {
  args: { subject: anonymousSubject },
  loaders: [mockThreads({ me: null, threads: [conversation(anonymousSubject).thread], comments: conversation(anonymousSubject).comments })],
  play: async ({ canvasElement }) => {
    const element = await untilHeader(canvasElement, '3 comments');
    await waitFor(() => expect(inShadow(element, '.signin')).toHaveTextContent('Sign in to join the discussion.'));
    await expect(inShadow(element, 'button.start')).toBeNull();
  },
};

const lockedSubject = 'storybook/discussion-thread/locked';
/** A locked thread: members read, only facilitators write. */
export const Locked: Story = {
  args: { subject: lockedSubject },
  loaders: [
    mockThreads({ me: signedIn, threads: [{ ...conversation(lockedSubject).thread, locked: true }], comments: conversation(lockedSubject).comments }),
  ],
  play: async ({ canvasElement }) => {
    const element = await untilHeader(canvasElement, '3 comments');
    await expect(inShadow(element, '[part="header"]')).toHaveTextContent('This discussion is locked');
    await expect(inShadow(element, 'button.start')).toBeNull();
  },
};

function questionThread(subject: string, accepted: string | null): { thread: ThreadSummary; comments: Comment[] } {
  return {
    thread: threadFor(subject, { mode: 'question', commentCount: 3, createdBy: signedIn.person.id, acceptedCommentId: accepted }),
    comments: [
      commentOn(subject, 'q', signedIn.person, 'How do I run only **one** test file?', { createdAt: '2026-11-28T08:00:00.000Z' }),
      commentOn(subject, 'a1', people.ada, 'Use `npx wtr --files path/to/file.test.ts`.'),
      commentOn(subject, 'a2', people.linus, 'Or add `.only` to the `describe`.'),
    ],
  };
}

const unansweredSubject = 'storybook/discussion-thread/question-unanswered';
/** A question of mine: every answer offers "Accept answer". */
export const QuestionUnanswered: Story = {
  name: 'Question, unanswered',
  args: { subject: unansweredSubject, mode: 'question' },
  loaders: [mockThreads({ me: signedIn, threads: [questionThread(unansweredSubject, null).thread], comments: questionThread(unansweredSubject, null).comments })],
  play: async ({ canvasElement }) => {
    const element = await untilHeader(canvasElement, '2 answers');
    await waitFor(() => expect(buttonLabelled(element, 'Accept answer')).toBeDefined());
    await expect(inShadow(element, '[part="header"] .badge')).toHaveTextContent('Unanswered');
  },
};

const answeredSubject = 'storybook/discussion-thread/question-answered';
/** The accepted answer comes first and is marked. */
export const QuestionAnswered: Story = {
  name: 'Question, answered',
  args: { subject: answeredSubject, mode: 'question' },
  loaders: [
    mockThreads({
      me: signedIn,
      threads: [questionThread(answeredSubject, 'a1').thread],
      // The server lists the accepted answer first.
      comments: [...questionThread(answeredSubject, 'a1').comments].sort((a, b) => (a.id === 'a1' ? -1 : b.id === 'a1' ? 1 : 0)),
    }),
  ],
  play: async ({ canvasElement }) => {
    const element = await untilHeader(canvasElement, '2 answers');
    await waitFor(() => expect(inShadow(element, '#c-a1 .accepted-badge')).toHaveTextContent('Accepted answer'));
    await expect(inShadow(element, '[part="header"] .accepted-badge')).toHaveTextContent('Answered');
  },
};

const facilitatorSubject = 'storybook/discussion-thread/facilitator';
/** A facilitator sees a hidden comment's text (marked), and pin, hide and lock controls. */
export const FacilitatorView: Story = {
  name: 'Facilitator view',
  args: { subject: facilitatorSubject },
  loaders: [
    mockThreads({
      me: facilitator,
      threads: [threadFor(facilitatorSubject, { commentCount: 2, createdBy: people.ada.id })],
      comments: [
        commentOn(facilitatorSubject, 'c1', people.ada, 'Welcome, everyone!', { pinned: true }),
        commentOn(facilitatorSubject, 'c2', people.linus, 'Buy cheap watches at example.com', { state: 'hidden' }),
        commentOn(facilitatorSubject, 'c3', people.grace, 'Glad to be here.'),
      ],
    }),
  ],
  play: async ({ canvasElement }) => {
    const element = await untilHeader(canvasElement, '2 comments');
    await waitFor(() => expect(inShadow(element, '#c-c2 .placeholder')).toHaveTextContent('Only facilitators see this text.'));
    await waitFor(() => expect(buttonLabelled(element, 'Show again')).toBeDefined());
    await expect(buttonLabelled(element, 'Lock discussion')).toBeDefined();
  },
};

const countSubjects = ['storybook/discussion-thread/count-a', 'storybook/discussion-thread/count-b', 'storybook/discussion-thread/count-c'];
/** `view="count"` on three pages of a list: one request for all three counts. */
export const CountView: Story = {
  name: 'Count view',
  args: { subject: countSubjects[0] ?? '', view: 'count' },
  render: (args) => html`<ul>
    ${countSubjects.map(
      (subject, i) => html`<li>Week ${i + 1}: <guild-discussion-thread view="count" subject=${subject} href=${`#week-${i + 1}`} lang=${ifDefined(args.lang)}></guild-discussion-thread></li>`,
    )}
  </ul>`,
  loaders: [
    mockThreads({
      me: null,
      threads: [threadFor(countSubjects[0] ?? '', { commentCount: 2 }), threadFor(countSubjects[1] ?? '', { commentCount: 1 })],
      comments: [],
    }),
  ],
  play: async ({ canvasElement }) => {
    const element = thread(canvasElement);
    await waitFor(() => expect(inShadow(element, 'a[part="count"]')).toHaveTextContent('2 comments'));
  },
};

const germanSubject = 'storybook/discussion-thread/german';
/** `lang="de"`: the German catalogue. */
export const German: Story = {
  args: { subject: germanSubject, lang: 'de' },
  loaders: [mockThreads({ me: signedIn, threads: [conversation(germanSubject).thread], comments: conversation(germanSubject).comments })],
  play: async ({ canvasElement }) => {
    await untilHeader(canvasElement, '3 Kommentare');
  },
};

const darkSubject = 'storybook/discussion-thread/dark';
/** `theme="dark"`, on a dark page. */
export const DarkTheme: Story = {
  name: 'Dark theme',
  args: { subject: darkSubject, theme: 'dark' },
  decorators: [onDarkSurface],
  loaders: [mockThreads({ me: signedIn, threads: [conversation(darkSubject).thread], comments: conversation(darkSubject).comments })],
  play: async ({ canvasElement }) => {
    await untilHeader(canvasElement, '3 comments');
  },
};

const rtlSubject = 'storybook/discussion-thread/rtl';
/** `dir="rtl"`: indentation, avatars and controls mirror; replies open four deep. */
export const RightToLeft: Story = {
  name: 'RTL',
  args: { subject: rtlSubject, dir: 'rtl' },
  loaders: [mockThreads({ me: signedIn, threads: [conversation(rtlSubject).thread], comments: conversation(rtlSubject).comments })],
  play: async ({ canvasElement }) => {
    const element = await untilHeader(canvasElement, '3 comments');
    await openAllReplies(element, 4);
  },
};

const toCardSubject = 'storybook/discussion-thread/to-card';
/** The accepted answer offers "Turn into a card": a draft card opens under it, in its editor, to finish and publish. */
export const TurnIntoCard: Story = {
  name: 'Question, turn answer into a card',
  args: { subject: toCardSubject, mode: 'question' },
  loaders: [mockThreads({ me: signedIn, threads: [questionThread(toCardSubject, 'a1').thread], comments: questionThread(toCardSubject, 'a1').comments })],
  play: async ({ canvasElement }) => {
    const element = await untilHeader(canvasElement, '2 answers');
    await waitFor(() => expect(buttonLabelled(element, 'Turn into a card')).toBeDefined(), { timeout: 4000 });
    const turn = buttonLabelled(element, 'Turn into a card');
    if (turn) await userEvent.click(turn);
    // The draft flow is action code: <guild-comment-tools> shows the card, loaded with the click.
    await waitFor(() => expect(inShadow(element, '#c-a1 guild-comment-tools')?.shadowRoot?.querySelector('guild-knowledge-card')).not.toBeNull(), { timeout: 4000 });
  },
};

const writtenSubject = 'storybook/discussion-thread/written-up';
/** A question whose accepted answer was written up as a card: the thread links to it. */
export const WrittenUp: Story = {
  name: 'Question, written up as a card',
  args: { subject: writtenSubject, mode: 'question' },
  loaders: [
    mockThreads({
      me: signedIn,
      threads: [questionThread(writtenSubject, 'a1').thread],
      comments: questionThread(writtenSubject, 'a1').comments,
      cards: [cardFor('c-written', { title: 'Running one test file', sourceSubject: writtenSubject, sourceCommentId: 'a1', credited: people.ada })],
    }),
  ],
  play: async ({ canvasElement }) => {
    const element = await untilHeader(canvasElement, '2 answers');
    await waitFor(() => expect(inShadow(element, '[part="cards"]')).toHaveTextContent('Written up as a card: Running one test file'), { timeout: 4000 });
  },
};
