// The kudos button under every network and server fault, as a matrix: operation × fault → what the
// person finally sees. Each cell is its own named test generated from the tables below.
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import '../../src/define/kudos-button.js';
import type { GuildKudosButton } from '../../src/elements/kudos-button/kudos-button.js';
import { configure, pageConfig } from '../../src/internal/config.js';
import {
  EventStreamMock,
  fakeToken,
  json,
  me,
  mockApi,
  person,
  problem,
  summary,
  testConfig,
  type KudosSummary,
} from './mock-api.js';
import { shadow } from './dom.js';

const operations = ['read', 'give', 'take back', 'who am I'] as const;
type Operation = (typeof operations)[number];

const faultNames = [
  'network error before send',
  'connection dropped after the server committed',
  '408',
  '409 already given',
  '422 self-kudos',
  '429 with Retry-After: 1',
  '500',
  '502 with an HTML page',
  '503',
  '401 token expired mid-session',
  '401, then JSON that breaks the schema',
  'truncated JSON',
  'JSON that breaks the schema',
  'empty 200',
  'stall past the deadline',
  'offline, then online',
] as const;
type FaultName = (typeof faultNames)[number];

/** The route each operation goes through: the one its fault is put on. */
const routeOf: Record<Operation, string> = {
  read: 'GET /api/kudos/summaries',
  give: 'POST /api/kudos',
  'take back': 'DELETE /api/kudos/:id',
  'who am I': 'GET /api/me',
};

// ---------------------------------------------------------------------------------------------
// How the server misbehaves
// ---------------------------------------------------------------------------------------------

interface FaultContext {
  request: Request;
  operation: Operation;
  /** Which call to the route this is, from 1. */
  call: number;
  /** The server doing its real work (committing a write) and giving its real answer. */
  serve: () => Promise<Response>;
}

interface Fault {
  /** How many calls to the operation's route go wrong: the first N, or every one until the server recovers. */
  calls: number | 'every';
  answer(context: FaultContext): Promise<Response>;
  /** A short per-attempt deadline, so a stall costs milliseconds. */
  timeoutMs?: number;
  /** Sets the server up before the person acts. */
  prepare?(server: FaultyServer, operation: Operation): void;
}

const STALL_DEADLINE_MS = 100;

function failedToFetch(): TypeError {
  return new TypeError('Failed to fetch');
}

function tooManyRequests(): Response {
  return new Response(JSON.stringify({ type: '/problems/too-many-requests', title: 'Too many requests', status: 429 }), {
    status: 429,
    headers: { 'content-type': 'application/problem+json', 'retry-after': '1' },
  });
}

/** Never answers; rejects like a real fetch when the client's deadline aborts it. */
function stall(request: Request): Promise<Response> {
  const { signal } = request;
  const reason = (): Error => (signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(reason());
    signal.addEventListener('abort', () => reject(reason()), { once: true });
  });
}

const faults: Record<FaultName, Fault> = {
  'network error before send': {
    calls: 'every',
    answer: () => Promise.reject(failedToFetch()),
  },
  'connection dropped after the server committed': {
    calls: 1,
    answer: async ({ serve }) => {
      await serve();
      throw failedToFetch();
    },
  },
  '408': { calls: 'every', answer: () => Promise.resolve(problem(408, 'request-timeout')) },
  '409 already given': {
    calls: 'every',
    // For a give this is the real thing: I gave in another tab, this page had not heard yet.
    prepare: (server, operation) => {
      if (operation === 'give') server.giveFromAnotherTab();
    },
    answer: ({ serve, operation }) => (operation === 'give' ? serve() : Promise.resolve(problem(409, 'already-given'))),
  },
  '422 self-kudos': { calls: 'every', answer: () => Promise.resolve(problem(422, 'self-kudos')) },
  '429 with Retry-After: 1': { calls: 1, answer: () => Promise.resolve(tooManyRequests()) },
  '500': { calls: 'every', answer: () => Promise.resolve(problem(500, 'internal-error')) },
  '502 with an HTML page': {
    calls: 'every',
    answer: () =>
      Promise.resolve(
        new Response('<!doctype html><html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
      ),
  },
  '503': { calls: 'every', answer: () => Promise.resolve(problem(503, 'unavailable')) },
  '401 token expired mid-session': { calls: 1, answer: () => Promise.resolve(problem(401, 'token-expired')) },
  // Two faults in a row: the answer to the request re-sent with a fresh token must be checked too.
  '401, then JSON that breaks the schema': {
    calls: 'every',
    answer: async ({ serve, call }) => {
      if (call === 1) return problem(401, 'token-expired');
      const real = await serve();
      return json({ surprise: 'not what api.yaml promises' }, real.status);
    },
  },
  // The next three answer 2xx: the server did the work, only its answer is unreadable.
  'truncated JSON': {
    calls: 'every',
    answer: async ({ serve }) => {
      const real = await serve();
      const text = await real.text();
      return new Response(text.slice(0, Math.floor(text.length / 2)), { status: real.status, headers: real.headers });
    },
  },
  'JSON that breaks the schema': {
    calls: 'every',
    answer: async ({ serve }) => {
      const real = await serve();
      return json({ surprise: 'not what api.yaml promises' }, real.status);
    },
  },
  'empty 200': {
    calls: 'every',
    answer: async ({ serve }) => {
      await serve();
      return new Response(null, { status: 200 });
    },
  },
  'stall past the deadline': {
    calls: 'every',
    timeoutMs: STALL_DEADLINE_MS,
    answer: ({ request }) => stall(request),
  },
  'offline, then online': {
    calls: 2,
    answer: () => Promise.reject(failedToFetch()),
  },
};

// ---------------------------------------------------------------------------------------------
// What the person finally sees
// ---------------------------------------------------------------------------------------------

const offline = 'the network is unreachable.';
const tooLong = 'the server took too long to answer.';
const serverProblem = 'the server had a problem; try again in a moment.';
const alreadyGiven = 'you already gave kudos here.';
const notForMyself = 'kudos are for thanking someone else.';

type Expectation =
  /** read: the count as the server has it. */
  | { ends: 'shown' }
  /** read: the error state; "Try again" loads once the server is back. */
  | { ends: 'load failed' }
  | { ends: 'given' }
  | { ends: 'not given'; because: string; tryAgain?: true }
  /** Refused because I already gave (another tab): shows what the server has, with the reason. */
  | { ends: 'already given'; because: string }
  | { ends: 'taken back' }
  | { ends: 'kept'; because: string; tryAgain?: true }
  /** who am I: my own subject, so the button says kudos are for someone else. */
  | { ends: 'knows me' }
  /** who am I failed: the kudos still show and the button still works; nothing crashes. */
  | { ends: 'does not know me' };

const matrix: Record<Operation, Record<FaultName, Expectation>> = {
  read: {
    'network error before send': { ends: 'load failed' },
    'connection dropped after the server committed': { ends: 'shown' },
    '408': { ends: 'load failed' },
    '409 already given': { ends: 'load failed' },
    '422 self-kudos': { ends: 'load failed' },
    '429 with Retry-After: 1': { ends: 'shown' },
    '500': { ends: 'load failed' },
    '502 with an HTML page': { ends: 'load failed' },
    '503': { ends: 'load failed' },
    '401 token expired mid-session': { ends: 'shown' },
    '401, then JSON that breaks the schema': { ends: 'load failed' },
    'truncated JSON': { ends: 'load failed' },
    'JSON that breaks the schema': { ends: 'load failed' },
    'empty 200': { ends: 'load failed' },
    'stall past the deadline': { ends: 'load failed' },
    'offline, then online': { ends: 'shown' },
  },
  give: {
    'network error before send': { ends: 'not given', because: offline, tryAgain: true },
    'connection dropped after the server committed': { ends: 'given' },
    '408': { ends: 'not given', because: serverProblem, tryAgain: true },
    '409 already given': { ends: 'already given', because: alreadyGiven },
    '422 self-kudos': { ends: 'not given', because: notForMyself },
    '429 with Retry-After: 1': { ends: 'given' },
    '500': { ends: 'not given', because: serverProblem, tryAgain: true },
    '502 with an HTML page': { ends: 'not given', because: serverProblem, tryAgain: true },
    '503': { ends: 'not given', because: serverProblem, tryAgain: true },
    '401 token expired mid-session': { ends: 'given' },
    '401, then JSON that breaks the schema': { ends: 'given' },
    'truncated JSON': { ends: 'given' },
    'JSON that breaks the schema': { ends: 'given' },
    'empty 200': { ends: 'given' },
    'stall past the deadline': { ends: 'not given', because: tooLong, tryAgain: true },
    'offline, then online': { ends: 'given' },
  },
  // A take-back carries no Idempotency-Key, so it is never retried: one failed attempt is final.
  'take back': {
    'network error before send': { ends: 'kept', because: offline, tryAgain: true },
    'connection dropped after the server committed': { ends: 'taken back' },
    '408': { ends: 'kept', because: serverProblem, tryAgain: true },
    '409 already given': { ends: 'kept', because: alreadyGiven },
    '422 self-kudos': { ends: 'kept', because: notForMyself },
    '429 with Retry-After: 1': { ends: 'kept', because: serverProblem, tryAgain: true },
    '500': { ends: 'kept', because: serverProblem, tryAgain: true },
    '502 with an HTML page': { ends: 'kept', because: serverProblem, tryAgain: true },
    '503': { ends: 'kept', because: serverProblem, tryAgain: true },
    '401 token expired mid-session': { ends: 'taken back' },
    '401, then JSON that breaks the schema': { ends: 'taken back' },
    'truncated JSON': { ends: 'taken back' },
    'JSON that breaks the schema': { ends: 'taken back' },
    'empty 200': { ends: 'taken back' },
    'stall past the deadline': { ends: 'kept', because: tooLong, tryAgain: true },
    'offline, then online': { ends: 'kept', because: offline, tryAgain: true },
  },
  'who am I': {
    'network error before send': { ends: 'does not know me' },
    'connection dropped after the server committed': { ends: 'knows me' },
    '408': { ends: 'does not know me' },
    '409 already given': { ends: 'does not know me' },
    '422 self-kudos': { ends: 'does not know me' },
    '429 with Retry-After: 1': { ends: 'knows me' },
    '500': { ends: 'does not know me' },
    '502 with an HTML page': { ends: 'does not know me' },
    '503': { ends: 'does not know me' },
    '401 token expired mid-session': { ends: 'knows me' },
    '401, then JSON that breaks the schema': { ends: 'does not know me' },
    'truncated JSON': { ends: 'does not know me' },
    'JSON that breaks the schema': { ends: 'does not know me' },
    'empty 200': { ends: 'does not know me' },
    'stall past the deadline': { ends: 'does not know me' },
    'offline, then online': { ends: 'knows me' },
  },
};

/** What a person sees and what assistive technology reads out. */
interface View {
  count: string;
  pressed: string;
  busy: string;
  disabled: string;
  note: string;
  error: string;
  status: string;
  tryAgain: string;
}

const blank: View = { count: '', pressed: '', busy: '', disabled: '', note: '', error: '', status: '', tryAgain: '' };

function showing(count: number, given: boolean, more: Partial<View> = {}): View {
  return { ...blank, count: String(count), pressed: String(given), busy: 'false', disabled: 'false', ...more };
}

/** The count before I give; a take-back's subject starts one higher, with my kudos on it. */
const INITIAL_COUNT = 2;

function failure(message: string): Partial<View> {
  return { error: message, status: message };
}

/** The view the person ends with. */
function expectedView(expectation: Expectation): View {
  switch (expectation.ends) {
    case 'shown':
      return showing(INITIAL_COUNT, false);
    case 'load failed':
      return { ...blank, error: 'Kudos could not be loaded.', tryAgain: 'Try again' };
    case 'given':
      return showing(INITIAL_COUNT + 1, true, { status: `You gave kudos. ${INITIAL_COUNT + 1} kudos now.` });
    case 'not given':
      return showing(INITIAL_COUNT, false, failure(`Your kudos was not saved: ${expectation.because}`));
    case 'already given':
      return showing(INITIAL_COUNT + 1, true, failure(`Your kudos was not saved: ${expectation.because}`));
    case 'taken back':
      return showing(INITIAL_COUNT, false, { status: `You took your kudos back. ${INITIAL_COUNT} kudos now.` });
    case 'kept':
      return showing(INITIAL_COUNT + 1, true, failure(`Your kudos was not taken back: ${expectation.because}`));
    case 'knows me':
      return showing(INITIAL_COUNT, false, { disabled: 'true', note: 'This is yours: kudos are for thanking someone else.' });
    case 'does not know me':
      return showing(INITIAL_COUNT, false);
  }
}

/** After the server recovers and the person tries again. */
function expectedAfterTryingAgain(operation: Operation): View | undefined {
  if (operation === 'read') return expectedView({ ends: 'shown' });
  if (operation === 'give') return expectedView({ ends: 'given' });
  if (operation === 'take back') return expectedView({ ends: 'taken back' });
  return undefined;
}

function triesAgain(expectation: Expectation): boolean {
  return expectation.ends === 'load failed' || ('tryAgain' in expectation && expectation.tryAgain === true);
}

function describeExpectation(expectation: Expectation): string {
  const reason = 'because' in expectation ? ` (${expectation.because.replace(/\.$/, '')})` : '';
  const after = triesAgain(expectation) ? ', then recovers when tried again' : '';
  return `${expectation.ends}${reason}${after}`;
}

// ---------------------------------------------------------------------------------------------
// A small kudos server that can be made to misbehave on one route
// ---------------------------------------------------------------------------------------------

const ME = 'linus';

/** Where each operation's subject starts: given already for a take-back, my own for who-am-I. */
function initialSummary(operation: Operation, subject: string): KudosSummary {
  if (operation === 'take back') {
    return summary(subject, { count: INITIAL_COUNT + 1, givenByMe: true, myKudosId: 'k7', recipient: person('grace') });
  }
  return summary(subject, { count: INITIAL_COUNT, recipient: person(operation === 'who am I' ? ME : 'grace') });
}

function receipt(id: string, after: KudosSummary) {
  return {
    kudos: { id, subject: after.subject, giver: person(ME), recipient: person('grace'), communityId: 'general', status: 'given', createdAt: '2026-11-29T10:00:00.000Z' },
    summary: after,
  };
}

interface FaultyServer {
  readonly fetch: typeof globalThis.fetch;
  readonly getToken: () => string;
  readonly api: ReturnType<typeof mockApi>;
  /** Kudos this test's clicks created, and take-backs the server committed. */
  readonly created: string[];
  readonly withdrawn: string[];
  /** When each call to the faulty route arrived (ms). */
  readonly arrivals: number[];
  readonly tokensIssued: () => number;
  readonly inFlight: () => number;
  /** Nothing in flight and nothing asked for a little while (the event stream aside). */
  readonly quiet: () => boolean;
  giveFromAnotherTab(): void;
  /** The fault is over: every later call is answered normally. */
  recover(): void;
}

const QUIET_MS = 25;

function faultyServer(operation: Operation, subject: string, fault: Fault): FaultyServer {
  let current = initialSummary(operation, subject);
  let nextId = 100;
  let issued = 0;
  let recovered = false;
  let inFlight = 0;
  let lastActivity = 0;
  const created: string[] = [];
  const withdrawn: string[] = [];
  const arrivals: number[] = [];
  /** Like the real server: a repeated Idempotency-Key gets the first answer again. */
  const answered = new Map<string, { status: number; body: string }>();

  const routes: Record<string, (request: Request, params: Record<string, string>) => Response | Promise<Response>> = {
    'GET /api/me': () => json(me(ME)),
    'GET /api/events': new EventStreamMock().handler,
    'GET /api/kudos/summaries': (request) => {
      const asked = new URL(request.url).searchParams.get('subjects')?.split(',') ?? [];
      return json({ items: asked.map((s) => (s === subject ? current : summary(s))) });
    },
    'POST /api/kudos': async (request) => {
      const key = request.headers.get('idempotency-key') ?? '';
      const replay = answered.get(key);
      if (replay) {
        return new Response(replay.body, { status: replay.status, headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' } });
      }
      const body: unknown = await request.json();
      const asked = typeof body === 'object' && body !== null && 'subject' in body ? String(body.subject) : '';
      let status: number;
      let answer: unknown;
      if (asked !== subject) {
        status = 404;
        answer = { type: '/problems/not-found', title: 'not-found', status };
      } else if (current.givenByMe) {
        status = 409;
        answer = { type: '/problems/already-given', title: 'already-given', status };
      } else {
        nextId += 1;
        const id = `k${nextId}`;
        current = { ...current, count: current.count + 1, givenByMe: true, myKudosId: id };
        created.push(id);
        status = 201;
        answer = receipt(id, current);
      }
      const text = JSON.stringify(answer);
      answered.set(key, { status, body: text });
      return new Response(text, { status, headers: { 'content-type': status < 300 ? 'application/json' : 'application/problem+json' } });
    },
    'DELETE /api/kudos/:id': (_request, params) => {
      const id = params['id'] ?? '';
      if (!current.givenByMe || current.myKudosId !== id) return problem(404, 'not-found');
      current = { ...current, count: current.count - 1, givenByMe: false, myKudosId: null };
      withdrawn.push(id);
      return json(receipt(id, current));
    },
  };

  const route = routeOf[operation];
  const real = routes[route];
  if (!real) throw new Error(`no route ${route}`);
  routes[route] = (request, params) => {
    arrivals.push(performance.now());
    const call = arrivals.length;
    const serve = () => Promise.resolve(real(request, params));
    const faulty = !recovered && (fault.calls === 'every' || call <= fault.calls);
    return faulty ? fault.answer({ request, operation, call, serve }) : serve();
  };

  const api = mockApi(routes);
  const trackedFetch: typeof globalThis.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (new URL(url, location.href).pathname === '/api/events') return api.fetch(input, init);
    inFlight += 1;
    lastActivity = performance.now();
    try {
      return await api.fetch(input, init);
    } finally {
      inFlight -= 1;
      lastActivity = performance.now();
    }
  };

  return {
    fetch: trackedFetch,
    getToken: () => {
      issued += 1;
      // A different expiry makes each token a different string.
      return fakeToken(ME, 600 + issued);
    },
    api,
    created,
    withdrawn,
    arrivals,
    tokensIssued: () => issued,
    inFlight: () => inFlight,
    quiet: () => inFlight === 0 && performance.now() - lastActivity >= QUIET_MS,
    giveFromAnotherTab() {
      current = { ...current, count: current.count + 1, givenByMe: true, myKudosId: 'k-other-tab' };
    },
    recover() {
      recovered = true;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the element as a person would
// ---------------------------------------------------------------------------------------------

let counter = 0;
function uniqueSubject(operation: Operation): string {
  counter += 1;
  return `faults-${operation.replace(/\W+/g, '-')}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

function textOf(root: ShadowRoot, selector: string): string {
  return root.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

function view(el: GuildKudosButton): View {
  const root = shadow(el);
  const button = root.querySelector('button[part="button"]');
  return {
    count: textOf(root, '[part="count"]'),
    pressed: button?.getAttribute('aria-pressed') ?? '',
    busy: button?.getAttribute('aria-busy') ?? '',
    disabled: button?.getAttribute('aria-disabled') ?? '',
    note: textOf(root, '[part="note"]'),
    error: textOf(root, '[part="error"]'),
    status: textOf(root, '[role="status"]'),
    tryAgain: textOf(root, 'button[part="retry"]'),
  };
}

function click(el: GuildKudosButton, selector: string): void {
  const button = shadow(el).querySelector<HTMLButtonElement>(selector);
  if (!button) throw new Error(`nothing to click at ${selector}: ${JSON.stringify(view(el))}`);
  button.click();
}

function sameView(a: View, b: View): boolean {
  return (Object.keys(blank) as (keyof View)[]).every((key) => a[key] === b[key]);
}

/**
 * Waits until the element shows `expected` and the network has gone quiet, or until the deadline;
 * the caller's assertion then shows any difference. `started` says the awaited work has begun.
 */
async function settle(el: GuildKudosButton, server: FaultyServer, expected: View, started: () => boolean, timeout = 1000): Promise<void> {
  const deadline = performance.now() + timeout;
  while (performance.now() < deadline) {
    if (started() && server.quiet() && sameView(view(el), expected)) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await el.updateComplete;
}

// ---------------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------------

describe('guild-kudos-button under faults', () => {
  let uncaught: string[] = [];
  const onError = (event: ErrorEvent) => uncaught.push(`error: ${event.message}`);
  const onRejection = (event: PromiseRejectionEvent) => uncaught.push(`unhandled rejection: ${String(event.reason)}`);

  beforeEach(() => {
    uncaught = [];
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
  });

  afterEach(() => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
    fixtureCleanup();
    pageConfig.set({});
  });

  for (const operation of operations) {
    describe(operation, () => {
      for (const faultName of faultNames) {
        const expectation = matrix[operation][faultName];
        it(`${faultName} → ${describeExpectation(expectation)}`, async () => {
          await runCell(operation, faultName, expectation);
          expect(uncaught, 'uncaught errors').to.deep.equal([]);
        });
      }
    });
  }
});

async function runCell(operation: Operation, faultName: FaultName, expectation: Expectation): Promise<void> {
  const fault = faults[faultName];
  const subject = uniqueSubject(operation);
  const server = faultyServer(operation, subject, fault);
  const route = routeOf[operation];
  configure({
    ...testConfig,
    fetch: server.fetch,
    getToken: server.getToken,
    ...(fault.timeoutMs ? { timeoutMs: fault.timeoutMs } : {}),
  });
  const timeout = faultName === '429 with Retry-After: 1' ? 2500 : 1000;
  const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject}></guild-kudos-button>`);
  const writing = operation === 'give' || operation === 'take back';
  const toggleSelector = 'button[part="button"]';

  if (writing) {
    const before = operation === 'give' ? showing(INITIAL_COUNT, false) : showing(INITIAL_COUNT + 1, true);
    await settle(el, server, before, () => server.api.callsTo('GET', '/api/me').length > 0);
    expect(view(el), 'before the click').to.deep.equal(before);
    fault.prepare?.(server, operation);
    click(el, toggleSelector);
  }
  const started = () => server.arrivals.length > 0;
  const expected = expectedView(expectation);
  await settle(el, server, expected, started, timeout);
  expect(view(el), 'what the person sees').to.deep.equal(expected);
  expect(server.inFlight(), 'requests left hanging').to.equal(0);

  // Never two kudos for one click; a take-back commits at most once.
  if (operation === 'give') {
    const createdByThisClick = expectation.ends === 'given' ? 1 : 0;
    expect(server.created, 'kudos the server created').to.have.length(createdByThisClick);
    const keys = new Set(server.api.callsTo('POST', '/api/kudos').map((call) => call.headers.get('idempotency-key')));
    expect(keys.size, 'one Idempotency-Key for every attempt of one click').to.equal(1);
  }
  if (operation === 'take back') {
    expect(server.withdrawn, 'take-backs the server committed').to.have.length(expectation.ends === 'taken back' ? 1 : 0);
  }

  const attempts = server.arrivals.length;
  if (operation === 'take back') {
    const expectedAttempts = faultName.startsWith('401') ? 2 : 1;
    expect(attempts, 'a take-back has no Idempotency-Key: sent once, again only with a fresh token').to.equal(expectedAttempts);
  } else if (typeof fault.calls === 'number') {
    expect(attempts, 'attempts until an answer came through').to.equal(fault.calls + 1);
  }
  if (faultName.startsWith('401')) {
    const calls = server.api.calls.filter((call) => `${call.method} ${call.path}`.startsWith(route.replace(/:id$/, '')));
    const [expired, resent] = calls.map((call) => call.headers.get('authorization'));
    expect(server.tokensIssued(), 'a fresh token was fetched once').to.equal(2);
    expect(resent, 'the request was sent again with the fresh token').to.be.a('string').and.not.equal(expired);
  }
  if (faultName === '429 with Retry-After: 1' && server.arrivals.length > 1) {
    const [first = 0, second = 0] = server.arrivals;
    expect(second - first, 'waited as Retry-After asked').to.be.at.least(950);
  }

  if (triesAgain(expectation)) {
    const after = expectedAfterTryingAgain(operation);
    if (!after) throw new Error(`nothing to try again for ${operation}`);
    server.recover();
    const callsBefore = server.arrivals.length;
    click(el, operation === 'read' ? 'button[part="retry"]' : toggleSelector);
    await settle(el, server, after, () => server.arrivals.length > callsBefore);
    expect(view(el), 'after trying again').to.deep.equal(after);
    if (operation === 'give') expect(server.created, 'kudos the server created').to.have.length(1);
    if (operation === 'take back') expect(server.withdrawn, 'take-backs the server committed').to.have.length(1);
  }

  await expect(el).to.be.accessible();
  expect(server.api.unhandled, 'requests the mock did not expect').to.deep.equal([]);
}
