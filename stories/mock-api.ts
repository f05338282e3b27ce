/**
 * A stand-in for the Guildkit API in Storybook: a `fetch` that answers the routes the kudos button
 * uses from in-memory state, with bodies typed by the contract (`src/api/schema.ts`). Each call to
 * `createMockApi()` returns a new `fetch` function, and the library memoises its connection and
 * stores by that function's identity, so every story (and every re-render) starts from clean data.
 */
import type { components, paths } from '../src/api/schema.js';
import type { TokenGetter } from '../src/internal/config.js';

export type Person = components['schemas']['Person'];
export type Me = components['schemas']['Me'];
export type KudosSummary = components['schemas']['KudosSummary'];
export type KudosReceipt = components['schemas']['KudosReceipt'];
export type Problem = components['schemas']['Problem'];
type KudosEvent = components['schemas']['KudosEvent'];

type Method = 'get' | 'post' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type Responses<P extends keyof paths, M extends Method> = Operation<P, M> extends { responses: infer R } ? R : never;
type SuccessStatus<P extends keyof paths, M extends Method> = Extract<keyof Responses<P, M>, 200 | 201>;
/** The JSON body the contract promises for one operation and status. */
type JsonBody<P extends keyof paths, M extends Method, S extends SuccessStatus<P, M>> =
  Responses<P, M>[S] extends { content: { 'application/json': infer Body } } ? Body : never;

/** Another person gives kudos while the story is open; the event stream tells the page. */
export interface LiveGive {
  /** Milliseconds after the event stream opens. */
  afterMs: number;
  subject: string;
  giver: Person;
}

export interface MockScenario {
  /** The signed-in person; `null` for an anonymous visitor (`getToken` answers `null`). */
  me: Me | null;
  /** What the server knows at the start, as `me` sees it. Unknown subjects have no kudos yet. */
  summaries: KudosSummary[];
  /** `GET /kudos/summaries` never answers (it still honours aborts, as a real fetch does). */
  hangLoading?: boolean;
  /**
   * Problems that `GET /kudos/summaries` answers with, one per request and in order, while the request
   * asks for one of `summaries`' subjects (so a stray request for another subject cannot use them up).
   */
  loadProblems?: Problem[];
  /** A problem that every `POST /kudos` answers with. */
  giveProblem?: Problem;
  /** Things others do while the story is open, pushed through `GET /events`. */
  live?: LiveGive[];
  /** Simulated round trip, in milliseconds. */
  latencyMs?: number;
  /** Kudos I may still give this week (`GET /kudos/allowance`); 3 by default. */
  allowanceRemaining?: number;
}

export interface MockApi {
  /** Pass to `configure({ fetch })`; a new identity per mock. */
  readonly fetch: typeof globalThis.fetch;
  /** Pass to `configure({ getToken })`: the mock's token when someone is signed in, else `null`. */
  readonly getToken: TokenGetter;
  /** `METHOD /path` of every request, in order (for play functions and debugging). */
  readonly requests: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Fixtures

export const people = {
  ada: { id: 'p-ada', name: 'Ada Lovelace', title: 'Analyst' },
  grace: { id: 'p-grace', name: 'Grace Hopper', title: 'Rear admiral' },
  linus: { id: 'p-linus', name: 'Linus Pauling' },
  katherine: { id: 'p-katherine', name: 'Katherine Johnson' },
  margaret: { id: 'p-margaret', name: 'Margaret Hamilton', title: 'Engineer' },
} satisfies Record<string, Person>;

/** The visitor most stories sign in as. */
export const signedIn: Me = {
  person: people.margaret,
  memberships: [{ communityId: 'c-engineering', personId: people.margaret.id, role: 'member', since: '2024-01-15T09:00:00.000Z' }],
};

/** A subject's kudos as `me` would see them; override what the story needs. */
export function summaryFor(subject: string, overrides: Partial<KudosSummary> = {}): KudosSummary {
  return {
    subject,
    count: 0,
    givenByMe: false,
    myKudosId: null,
    recipient: people.katherine,
    recentGivers: [],
    ...overrides,
  };
}

export const problems = {
  serverError: {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'The database did not answer.',
  },
  alreadyGiven: {
    type: '/problems/already-given',
    title: 'Already given',
    status: 409,
    detail: 'You already gave kudos on this subject.',
  },
  unauthorized: { type: '/problems/unauthorized', title: 'Sign-in required', status: 401, detail: 'A token is required.' },
  selfKudos: {
    type: '/problems/self-kudos',
    title: 'No kudos to yourself',
    status: 422,
    detail: 'Kudos are for thanking someone else.',
  },
} satisfies Record<string, Problem>;

// ---------------------------------------------------------------------------------------------
// Responses

function json<P extends keyof paths, M extends Method, S extends SuccessStatus<P, M>>(
  _path: P,
  _method: M,
  status: S,
  body: JsonBody<P, M, S>,
): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function problem(body: Problem): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

function notFound(detail: string): Response {
  return problem({ type: '/problems/not-found', title: 'Not found', status: 404, detail });
}

/** What `fetch` rejects with when its signal aborts: the signal's reason (`AbortError`, `TimeoutError`). */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
}

/** Waits like a network round trip, and rejects the way `fetch` does when the request is aborted. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(abortReason(signal));
      },
      { once: true },
    );
  });
}

function never(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
  });
}

function isGiveInput(value: unknown): value is { subject: string; recipientId?: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'subject' in value &&
    typeof value.subject === 'string' &&
    (!('recipientId' in value) || typeof value.recipientId === 'string')
  );
}

// ---------------------------------------------------------------------------------------------
// The mock

let mockCount = 0;

export function createMockApi(scenario: MockScenario): MockApi {
  mockCount += 1;
  const token = `storybook-token-${mockCount}`;
  const latencyMs = scenario.latencyMs ?? 200;
  const summaries = new Map(scenario.summaries.map((summary) => [summary.subject, structuredClone(summary)]));
  const scenarioSubjects = new Set(scenario.summaries.map((summary) => summary.subject));
  const loadProblems = [...(scenario.loadProblems ?? [])];
  const pendingLive = [...(scenario.live ?? [])];
  const requests: string[] = [];
  let nextKudosId = 1;
  let nextEventId = 1;

  const summaryOf = (subject: string): KudosSummary => summaries.get(subject) ?? summaryFor(subject);

  function receipt(summary: KudosSummary, giver: Person, kudosId: string): KudosReceipt {
    return {
      kudos: {
        id: kudosId,
        subject: summary.subject,
        giver,
        recipient: summary.recipient ?? people.katherine,
        communityId: 'c-engineering',
        status: 'given',
        createdAt: new Date().toISOString(),
      },
      summary,
    };
  }

  function signedInPerson(request: Request): Person | undefined {
    if (!scenario.me) return undefined;
    return request.headers.get('authorization') === `Bearer ${token}` ? scenario.me.person : undefined;
  }

  function give(subject: string, giver: Person, kudosId: string, byMe: boolean): KudosSummary {
    const before = summaryOf(subject);
    const after: KudosSummary = {
      ...before,
      count: before.count + 1,
      givenByMe: byMe || before.givenByMe,
      myKudosId: byMe ? kudosId : before.myKudosId,
      recentGivers: [giver, ...before.recentGivers.filter((person) => person.id !== giver.id)].slice(0, 3),
    };
    summaries.set(subject, after);
    return after;
  }

  /** `GET /events`: a stream that stays open until the page aborts it, pushing the scenario's events. */
  function eventStream(signal: AbortSignal): Response {
    const encoder = new TextEncoder();
    const timers: ReturnType<typeof setTimeout>[] = [];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('retry: 2000\n: connected\n\n'));
        for (const step of [...pendingLive]) {
          timers.push(
            setTimeout(() => {
              pendingLive.splice(pendingLive.indexOf(step), 1);
              const kudosId = `k-${nextKudosId++}`;
              const theirs = give(step.subject, step.giver, kudosId, false);
              const event: KudosEvent = {
                id: `ev-${nextEventId++}`,
                type: 'kudos.changed',
                occurredAt: new Date().toISOString(),
                actorId: step.giver.id,
                action: 'given',
                // The actor's view, as the contract says; the page keeps its own `givenByMe`.
                summary: { ...theirs, givenByMe: true, myKudosId: kudosId },
              };
              controller.enqueue(encoder.encode(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
            }, step.afterMs),
          );
        }
        signal.addEventListener(
          'abort',
          () => {
            timers.forEach(clearTimeout);
            try {
              controller.error(abortReason(signal));
            } catch {
              // Already closed by the reader.
            }
          },
          { once: true },
        );
      },
      cancel() {
        timers.forEach(clearTimeout);
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' } });
  }

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    // Everything after the API base (`…/api`), whatever the base's origin.
    const path = url.pathname.replace(/^.*?\/api(?=\/)/, '');
    const { signal } = request;
    requests.push(`${request.method} ${path}`);

    if (request.method === 'GET' && path === '/events') {
      if (signal.aborted) throw abortReason(signal);
      return eventStream(signal);
    }

    if (request.method === 'GET' && path === '/kudos/summaries') {
      if (scenario.hangLoading) return never(signal);
      await delay(latencyMs, signal);
      const subjects = (url.searchParams.get('subjects') ?? '').split(',').filter(Boolean);
      const failure = subjects.some((subject) => scenarioSubjects.has(subject)) ? loadProblems.shift() : undefined;
      if (failure) return problem(failure);
      return json('/kudos/summaries', 'get', 200, { items: subjects.map(summaryOf) });
    }

    await delay(latencyMs, signal);

    if (request.method === 'GET' && path === '/me') {
      if (!scenario.me || !signedInPerson(request)) return problem(problems.unauthorized);
      return json('/me', 'get', 200, scenario.me);
    }

    if (request.method === 'POST' && path === '/kudos') {
      const giver = signedInPerson(request);
      if (!giver) return problem(problems.unauthorized);
      const input: unknown = await request.json();
      if (!isGiveInput(input)) {
        return problem({ type: '/problems/invalid-request', title: 'The request breaks the contract', status: 400 });
      }
      if (scenario.giveProblem) return problem(scenario.giveProblem);
      const before = summaryOf(input.subject);
      if (before.givenByMe) return problem(problems.alreadyGiven);
      if ((input.recipientId ?? before.recipient?.id) === giver.id) return problem(problems.selfKudos);
      const kudosId = `k-${nextKudosId++}`;
      return json('/kudos', 'post', 201, receipt(give(input.subject, giver, kudosId, true), giver, kudosId));
    }

    if (request.method === 'GET' && path === '/kudos/allowance') {
      if (!signedInPerson(request)) return problem(problems.unauthorized);
      const remaining = scenario.allowanceRemaining ?? 3;
      return json('/kudos/allowance', 'get', 200, { communityId: 'general', perWeek: 10, used: 10 - remaining, remaining, renewsAt: '2026-11-30T00:00:00.000Z' });
    }

    const community = /^\/communities\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && community?.[1]) {
      return json('/communities/{communityId}', 'get', 200, {
        id: decodeURIComponent(community[1]),
        name: 'General',
        settings: {
          kudosAllowancePerWeek: 10,
          rankingAllowed: false,
          reviewIntervalDays: 90,
          kudosValues: [
            { id: 'helpful', label: 'Helpful' },
            { id: 'mentoring', label: 'Mentoring' },
            { id: 'knowledge-sharing', label: 'Knowledge sharing' },
          ],
        },
      });
    }

    const withdraw = /^\/kudos\/([^/]+)$/.exec(path);
    if (request.method === 'DELETE' && withdraw?.[1]) {
      const giver = signedInPerson(request);
      if (!giver) return problem(problems.unauthorized);
      const kudosId = decodeURIComponent(withdraw[1]);
      const before = [...summaries.values()].find((summary) => summary.myKudosId === kudosId);
      if (!before) return notFound(`No kudos with id ${kudosId}.`);
      const after: KudosSummary = {
        ...before,
        count: Math.max(0, before.count - 1),
        givenByMe: false,
        myKudosId: null,
        recentGivers: before.recentGivers.filter((person) => person.id !== giver.id),
      };
      summaries.set(after.subject, after);
      return json('/kudos/{kudosId}', 'delete', 200, receipt(after, giver, kudosId));
    }

    // Loud on purpose: a story that needs another route should say so, not silently get nothing.
    console.error(`mock-api: no handler for ${request.method} ${path}`);
    return problem({ type: 'about:blank', title: 'Not implemented in the Storybook mock', status: 501 });
  }

  return {
    fetch: (input, init) => route(new Request(input, init)),
    getToken: () => (scenario.me ? token : null),
    requests,
  };
}
