import type { Decorator, Loader, Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { components } from '../src/api/schema.js';
import '../src/define/spotlight.js';
import type { GuildSpotlight } from '../src/elements/spotlight/spotlight.js';
import { configure, defaultConfig } from '../src/internal/config.js';
import { people, signedIn, type Me } from './mock-api.js';

type Spotlight = components['schemas']['Spotlight'];
type SpotlightEntry = components['schemas']['SpotlightEntry'];
type Kudos = components['schemas']['Kudos'];
type Community = components['schemas']['Community'];
type Problem = components['schemas']['Problem'];

interface SpotlightArgs {
  community?: string;
  mode?: 'celebrate' | 'leaderboard';
  period?: 'week' | 'month' | 'quarter';
  view?: 'spotlight' | 'feed';
  lang?: 'en' | 'de';
  theme?: 'light' | 'dark' | 'auto';
}

type Story = StoryObj<SpotlightArgs>;

/** What the in-story server knows (stories/mock-api.ts serves kudos buttons only, so the spotlight is served here). */
interface SpotlightScenario {
  me: Me | null;
  entries: SpotlightEntry[];
  feed?: Kudos[];
  /** The community refuses `mode=leaderboard` with `403 …/problems/ranking-forbidden`. */
  rankingForbidden?: boolean;
  /** `GET /communities/{id}/spotlight` never answers. */
  hang?: boolean;
  /** How many spotlight or feed loads fail with a `500` before the server recovers. */
  failLoads?: number;
  latencyMs?: number;
}

const COMMUNITY = 'c-engineering';
const NOW = '2026-11-28T12:00:00.000Z';
const VALUES = [
  { id: 'helpful', label: 'Helpful' },
  { id: 'mentoring', label: 'Mentoring' },
  { id: 'brave', label: 'Brave' },
];

const celebrateEntries: SpotlightEntry[] = [
  { kind: 'kudos-received', person: people.ada, count: 12, value: { id: 'mentoring', label: 'Mentoring' }, reason: '12 kudos for Mentoring', since: NOW },
  { kind: 'helped', person: people.grace, count: 3, reason: '3 accepted answers', since: '2026-11-27T09:00:00.000Z' },
  { kind: 'facilitator', person: people.katherine, count: 1, reason: 'became a facilitator', since: '2026-11-25T09:00:00.000Z' },
  { kind: 'kudos-received', person: people.linus, count: 2, reason: '2 kudos', since: '2026-11-24T09:00:00.000Z' },
];

function kudos(id: string, overrides: Partial<Kudos> = {}): Kudos {
  return { id, subject: 'course-101/week-1', giver: people.linus, recipient: people.grace, communityId: COMMUNITY, createdAt: NOW, status: 'given', ...overrides };
}

const feed: Kudos[] = [
  kudos('k1', { value: 'helpful', message: 'Thanks for walking me through the review!' }),
  kudos('k2', { giver: people.ada, recipient: people.katherine, value: 'mentoring', message: 'Pairing with you made week 1 click.', createdAt: '2026-11-27T15:00:00.000Z' }),
  kudos('k3', { giver: people.grace, recipient: people.linus, createdAt: '2026-11-26T10:00:00.000Z' }),
];

function community(id: string): Community {
  return { id, name: 'Engineering', settings: { kudosAllowancePerWeek: 3, rankingAllowed: true, reviewIntervalDays: 30, kudosValues: VALUES } };
}

/** Ranks by count; equal counts share a rank (1, 2, 2, 4). */
function ranked(entries: SpotlightEntry[]): SpotlightEntry[] {
  const sorted = [...entries].sort((a, b) => b.count - a.count);
  return sorted.map((entry) => ({ ...entry, rank: sorted.findIndex((other) => other.count === entry.count) + 1 }));
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

/** A `fetch` that serves one story's spotlight and feed from memory; a new identity per story, so no data leaks between stories. */
function createSpotlightApi(scenario: SpotlightScenario) {
  mockCount += 1;
  const token = `storybook-spotlight-token-${mockCount}`;
  const items = structuredClone(scenario.feed ?? []);
  let me = scenario.me ? structuredClone(scenario.me) : null;
  let failures = scenario.failLoads ?? 0;
  const latencyMs = scenario.latencyMs ?? 150;

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^.*?\/api(?=\/)/, '');
    const { signal } = request;
    if (request.method === 'GET' && path === '/events') {
      // Open, quiet: nothing happens live in these stories.
      const body = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new TextEncoder().encode(': connected\n\n')) });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }
    const spotlightPath = /^\/communities\/([^/]+)\/spotlight$/.exec(path);
    if (request.method === 'GET' && spotlightPath && scenario.hang) return new Promise<Response>(() => undefined);
    await wait(latencyMs, signal);
    const isSignedIn = me && request.headers.get('authorization') === `Bearer ${token}`;
    if (request.method === 'GET' && path === '/me') {
      return isSignedIn ? jsonResponse(me) : problemResponse({ type: '/problems/unauthorized', title: 'Sign in first', status: 401 });
    }
    if (request.method === 'GET' && (spotlightPath || path === '/kudos') && failures > 0) {
      failures -= 1;
      return problemResponse({ type: 'about:blank', title: 'Internal Server Error', status: 500 });
    }
    if (request.method === 'GET' && spotlightPath) {
      const communityId = decodeURIComponent(spotlightPath[1] ?? COMMUNITY);
      const mode = url.searchParams.get('mode') === 'leaderboard' ? 'leaderboard' : 'celebrate';
      const period = url.searchParams.get('period') === 'month' ? 'month' : url.searchParams.get('period') === 'quarter' ? 'quarter' : 'week';
      if (mode === 'leaderboard' && scenario.rankingForbidden) {
        return problemResponse({ type: '/problems/ranking-forbidden', title: 'Ranking forbidden', status: 403, detail: 'This community does not rank people.' });
      }
      const optedOut = me?.preferences?.spotlightOptOut ? me.person.id : undefined;
      const entries = scenario.entries.filter((entry) => entry.person.id !== optedOut);
      const body: Spotlight = {
        communityId,
        period,
        mode,
        from: '2026-11-21T12:00:00.000Z',
        to: NOW,
        rankingAllowed: !scenario.rankingForbidden,
        entries: mode === 'leaderboard' ? ranked(entries) : entries,
      };
      return jsonResponse(body);
    }
    if (request.method === 'GET' && path === '/kudos') {
      return jsonResponse({ items: items.filter((k) => k.status === 'given'), nextCursor: null });
    }
    const communityPath = /^\/communities\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && communityPath) return jsonResponse(community(decodeURIComponent(communityPath[1] ?? COMMUNITY)));
    if (request.method === 'PUT' && path === '/people/me/preferences' && isSignedIn && me) {
      const preferences = (await request.json()) as { spotlightOptOut: boolean };
      me = { ...me, preferences };
      return jsonResponse(preferences);
    }
    const decline = /^\/kudos\/([^/]+)\/decline$/.exec(path);
    if (request.method === 'POST' && decline && isSignedIn && me) {
      const target = items.find((k) => k.id === decodeURIComponent(decline[1] ?? ''));
      if (!target) return problemResponse({ type: '/problems/not-found', title: 'Not found', status: 404 });
      if (target.recipient.id !== me.person.id) return problemResponse({ type: '/problems/forbidden', title: 'Only the recipient can decline', status: 403 });
      const input = (await request.json()) as { message?: string };
      target.status = 'declined';
      if (input.message) target.declineMessage = input.message;
      return jsonResponse(target, 201);
    }
    console.error(`spotlight story: no handler for ${request.method} ${path}`);
    return problemResponse({ type: 'about:blank', title: 'Not implemented in the Storybook mock', status: 501 });
  }

  return { fetch: (input: RequestInfo | URL, init?: RequestInit) => route(new Request(input, init)), getToken: () => (scenario.me ? token : null) };
}

function mockSpotlight(scenario: SpotlightScenario, options: { timeoutMs?: number; attempts?: number } = {}): Loader<SpotlightArgs> {
  return ({ canvasElement }) => {
    // Disconnect the previous story's elements first, or they would follow the page-wide configuration.
    canvasElement.replaceChildren();
    const api = createSpotlightApi(scenario);
    configure({
      fetch: api.fetch,
      getToken: api.getToken,
      timeoutMs: options.timeoutMs ?? defaultConfig.timeoutMs,
      retry: options.attempts ? { attempts: options.attempts } : {},
    });
  };
}

function spotlightIn(canvasElement: HTMLElement): GuildSpotlight {
  const element = canvasElement.querySelector('guild-spotlight');
  if (!element) throw new Error('No <guild-spotlight> in the story.');
  return element;
}

function inShadow(element: Element, selector: string): HTMLElement | null {
  return element.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;
}

function allInShadow(element: Element, selector: string): HTMLElement[] {
  return [...(element.shadowRoot?.querySelectorAll<HTMLElement>(selector) ?? [])];
}

function buttonLabelled(element: Element, label: string): HTMLButtonElement | undefined {
  return [...(element.shadowRoot?.querySelectorAll<HTMLButtonElement>('button') ?? [])].find((b) => b.textContent?.replace(/\s+/g, ' ').trim() === label);
}

async function untilHeading(canvasElement: HTMLElement, heading: string): Promise<GuildSpotlight> {
  const element = spotlightIn(canvasElement);
  await waitFor(() => expect(inShadow(element, 'h2')).toHaveTextContent(heading), { timeout: 4000 });
  return element;
}

async function untilEntries(element: GuildSpotlight, count: number): Promise<void> {
  await waitFor(() => expect(allInShadow(element, '[part="entry"]')).toHaveLength(count), { timeout: 4000 });
}

const onDarkSurface: Decorator<SpotlightArgs> = (story) => html`<div style="background: #0b1220; color: #e5e7eb; padding: 1.5rem; color-scheme: dark">${story()}</div>`;

const meta = {
  title: 'Elements/Spotlight',
  component: 'guild-spotlight',
  tags: ['autodocs'],
  args: { community: COMMUNITY },
  render: (args) => html`
    <guild-spotlight
      community=${ifDefined(args.community)}
      mode=${ifDefined(args.mode)}
      period=${ifDefined(args.period)}
      view=${ifDefined(args.view)}
      lang=${ifDefined(args.lang)}
      theme=${ifDefined(args.theme)}
    ></guild-spotlight>
  `,
  argTypes: {
    mode: { control: 'inline-radio', options: ['celebrate', 'leaderboard'] },
    period: { control: 'inline-radio', options: ['week', 'month', 'quarter'] },
    view: { control: 'inline-radio', options: ['spotlight', 'feed'] },
    lang: { control: 'inline-radio', options: ['en', 'de'], description: 'The language (read from the element or its nearest ancestor).' },
    theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
  },
  parameters: {
    // Each story runs in its own frame: configuration is page-wide.
    docs: { story: { inline: false, height: '420px' } },
  },
} satisfies Meta<SpotlightArgs>;

export default meta;

/** The spotlight never answers: the skeleton stays. */
export const Loading: Story = {
  loaders: [mockSpotlight({ me: signedIn, entries: [], hang: true }, { timeoutMs: 2 ** 31 - 1 })],
  play: async ({ canvasElement }) => {
    const element = spotlightIn(canvasElement);
    await waitFor(() => expect(inShadow(element, '.skeleton')).not.toBeNull());
    await expect(inShadow(element, '.visually-hidden')).toHaveTextContent('Loading…');
  },
};

/** The default: this week's achievements, newest first, without ranking anyone. */
export const Celebrate: Story = {
  loaders: [mockSpotlight({ me: signedIn, entries: celebrateEntries })],
  play: async ({ canvasElement }) => {
    const element = await untilHeading(canvasElement, 'Celebrating this week');
    await untilEntries(element, 4);
    await expect(inShadow(element, 'ol')).toBeNull();
    await expect(inShadow(element, '[part="reason"]')).toHaveTextContent('12 kudos for Mentoring');
  },
};

/** `mode="leaderboard"` in a community that allows ranking: an ordered list with shared ranks. */
export const Leaderboard: Story = {
  args: { mode: 'leaderboard' },
  loaders: [mockSpotlight({ me: signedIn, entries: celebrateEntries })],
  play: async ({ canvasElement }) => {
    const element = await untilHeading(canvasElement, 'Most thanked this week');
    await untilEntries(element, 4);
    await expect(inShadow(element, 'ol .rank')).toHaveTextContent('#1');
  },
};

/** `mode="leaderboard"` where the community forbids ranking (`403`): it celebrates instead, and says why. */
export const RankingForbidden: Story = {
  name: 'Ranking forbidden (falls back)',
  args: { mode: 'leaderboard' },
  loaders: [mockSpotlight({ me: signedIn, entries: celebrateEntries, rankingForbidden: true })],
  play: async ({ canvasElement }) => {
    const element = await untilHeading(canvasElement, 'Celebrating this week');
    await untilEntries(element, 4);
    await expect(inShadow(element, '.note')).toHaveTextContent('This community does not rank people');
    await expect(inShadow(element, 'ol')).toBeNull();
  },
};

/** Nothing happened in the period. */
export const Empty: Story = {
  loaders: [mockSpotlight({ me: signedIn, entries: [] })],
  play: async ({ canvasElement }) => {
    const element = spotlightIn(canvasElement);
    await waitFor(() => expect(inShadow(element, '.note')).toHaveTextContent('Nothing to celebrate yet'), { timeout: 4000 });
  },
};

/** The first load fails with a `500`; "Try again" loads the spotlight. */
export const LoadError: Story = {
  name: 'Error',
  loaders: [mockSpotlight({ me: signedIn, entries: celebrateEntries, failLoads: 1 }, { attempts: 1 })],
  play: async ({ canvasElement }) => {
    const element = spotlightIn(canvasElement);
    await waitFor(() => expect(inShadow(element, '[role="alert"]')).toHaveTextContent('The spotlight could not be loaded.'), { timeout: 4000 });
    const retry = buttonLabelled(element, 'Try again');
    await expect(retry).toBeDefined();
    if (retry) await userEvent.click(retry);
    await untilEntries(element, 4);
  },
};

/** `view="feed"`: recent public kudos with their value and message, newest first. */
export const Feed: Story = {
  args: { view: 'feed' },
  loaders: [mockSpotlight({ me: null, entries: [], feed })],
  play: async ({ canvasElement }) => {
    const element = await untilHeading(canvasElement, 'Recent kudos');
    await untilEntries(element, 3);
    await expect(inShadow(element, '[part="entry"] strong')).toHaveTextContent('Linus Pauling thanked Grace Hopper');
    await expect(inShadow(element, '[part="reason"]')).toHaveTextContent('for Helpful');
    await expect(buttonLabelled(element, 'Decline')).toBeUndefined();
  },
};

const grace: Me = { person: people.grace, memberships: [{ communityId: COMMUNITY, personId: people.grace.id, role: 'member', since: '2024-01-15T09:00:00.000Z' }] };
/** Signed in as Grace: kudos given to her can be declined, with an optional message; the play function opens the form. */
export const FeedWithDeclineForMe: Story = {
  name: 'Feed with decline for me',
  args: { view: 'feed' },
  loaders: [mockSpotlight({ me: grace, entries: [], feed })],
  play: async ({ canvasElement }) => {
    const element = await untilHeading(canvasElement, 'Recent kudos');
    await untilEntries(element, 3);
    const decline = await waitFor(() => {
      const button = buttonLabelled(element, 'Decline');
      if (!button) throw new Error('no "Decline" button yet');
      return button;
    });
    await userEvent.click(decline);
    await waitFor(() => expect(inShadow(element, 'form textarea')).not.toBeNull());
  },
};

const optedOut: Me = { ...signedIn, preferences: { spotlightOptOut: true } };
/** I chose not to appear in spotlights: the switch is off. */
export const OptedOut: Story = {
  name: 'Opted out',
  loaders: [mockSpotlight({ me: optedOut, entries: celebrateEntries })],
  play: async ({ canvasElement }) => {
    const element = await untilHeading(canvasElement, 'Celebrating this week');
    await waitFor(() => expect(inShadow(element, '[part="opt-out"] input')).not.toBeChecked(), { timeout: 4000 });
  },
};

/** `lang="de"`: the German catalogue. */
export const German: Story = {
  args: { lang: 'de' },
  loaders: [mockSpotlight({ me: signedIn, entries: celebrateEntries })],
  play: async ({ canvasElement }) => {
    const element = await untilHeading(canvasElement, 'Erfolge dieser Woche');
    await untilEntries(element, 4);
  },
};

/** `theme="dark"`, on a dark page. */
export const DarkTheme: Story = {
  name: 'Dark theme',
  args: { theme: 'dark' },
  decorators: [onDarkSurface],
  loaders: [mockSpotlight({ me: signedIn, entries: celebrateEntries })],
  play: async ({ canvasElement }) => {
    const element = await untilHeading(canvasElement, 'Celebrating this week');
    await untilEntries(element, 4);
  },
};
