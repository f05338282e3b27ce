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

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
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

// ---------------------------------------------------------------------------------------------
// Badges: walls, catalogues and credentials really signed (Ed25519, with a key made when the
// first badge story loads), so the details dialog verifies them in the story as it would live.

export type Achievement = components['schemas']['Achievement'];
export type Award = components['schemas']['Award'];
export type BadgeWall = components['schemas']['BadgeWall'];
type AwardEvent = components['schemas']['AwardEvent'];

/** How the mock serves one award's credential, to show each verification outcome. */
export type CredentialCase = 'valid' | 'tampered' | 'expired' | 'revoked' | 'other-key' | 'alg-none' | 'offline';

export interface BadgeScenario {
  me: Me | null;
  /** Walls by person; `me` is the signed-in person's. */
  walls?: BadgeWall[];
  achievements?: Achievement[];
  recent?: Award[];
  /** Wall and catalogue reads never answer. */
  hang?: boolean;
  /** How many wall or catalogue reads fail with a `500` before the server recovers. */
  failLoads?: number;
  /** Each award's credential case (`valid` when not named). */
  credentials?: Record<string, CredentialCase>;
  /** Awards made while the story is open, pushed through `GET /events`. */
  live?: { afterMs: number; award: Award }[];
  latencyMs?: number;
}

/** The API base the stories' elements use (`/api` on Storybook's origin). */
export function badgeApiBase(): string {
  return new URL('/api', location.href).href;
}

function b64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function b64json(value: unknown): string {
  return b64url(new TextEncoder().encode(JSON.stringify(value)));
}

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
}

let signingKeys: Promise<{ own: CryptoKey; other: CryptoKey; publicJwk: { x?: string } }> | undefined;

function keys() {
  signingKeys ??= (async () => {
    const { generateKeyPair, exportJWK } = await import('jose');
    const own = await generateKeyPair('EdDSA', { extractable: true });
    const other = await generateKeyPair('EdDSA', { extractable: true });
    return { own: own.privateKey, other: other.privateKey, publicJwk: await exportJWK(own.publicKey) };
  })();
  return signingKeys;
}

/** The index of an award's bit in the issuer's status list. */
function statusIndex(awardId: string): number {
  let hash = 0;
  for (const char of awardId) hash = (hash * 31 + char.charCodeAt(0)) % 100_000;
  return hash;
}

export async function createBadgeApi(scenario: BadgeScenario): Promise<MockApi> {
  mockCount += 1;
  const token = `storybook-badge-token-${mockCount}`;
  const latencyMs = scenario.latencyMs ?? 150;
  const { SignJWT } = await import('jose');
  const signing = await keys();
  const base = badgeApiBase();
  const requests: string[] = [];
  const walls = new Map((scenario.walls ?? []).map((wall) => [wall.person.id, structuredClone(wall)]));
  let failures = scenario.failLoads ?? 0;

  const sign = (payload: Record<string, unknown>, kid: string, key = signing.own) => new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid }).sign(key);
  const issuerOf = (communityId: string) => `${base}/issuers/${communityId}`;
  const kidOf = (communityId: string) => `${issuerOf(communityId)}/jwks#key-1`;

  function credentialPayload(award: Award, expired: boolean): Record<string, unknown> {
    const validFrom = expired ? '2025-01-10T10:00:00.000Z' : award.validFrom;
    const validUntil = expired ? '2026-01-10T10:00:00.000Z' : award.validUntil;
    const statusListUrl = `${issuerOf(award.achievement.communityId)}/status-list`;
    return {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: `urn:uuid:${award.id}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: award.issuer.id, type: ['Profile'], name: award.issuer.name },
      validFrom,
      ...(validUntil ? { validUntil } : {}),
      name: award.achievement.name,
      credentialSubject: {
        id: `${base}/people/${award.recipient.id}`,
        type: ['AchievementSubject'],
        achievement: { id: `${base}/achievements/${award.achievement.id}`, type: ['Achievement'], name: award.achievement.name, description: award.achievement.description, criteria: award.achievement.criteria },
      },
      evidence: award.evidence,
      credentialStatus: {
        id: `${statusListUrl}#${statusIndex(award.id)}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(statusIndex(award.id)),
        statusListCredential: statusListUrl,
      },
      iss: award.issuer.id,
      jti: `urn:uuid:${award.id}`,
      sub: `${base}/people/${award.recipient.id}`,
      nbf: Math.floor(Date.parse(validFrom) / 1000),
      ...(validUntil ? { exp: Math.floor(Date.parse(validUntil) / 1000) } : {}),
    };
  }

  const allAwards = () => [...[...walls.values()].flatMap((wall) => wall.earned), ...(scenario.recent ?? []), ...(scenario.live ?? []).map((step) => step.award)];

  async function credential(award: Award, kind: CredentialCase): Promise<string> {
    const kid = kidOf(award.achievement.communityId);
    const payload = credentialPayload(award, kind === 'expired');
    switch (kind) {
      case 'tampered': {
        const [header, , signature] = (await sign(payload, kid)).split('.');
        return `${header}.${b64json({ ...payload, name: 'Grand master of everything' })}.${signature}`;
      }
      case 'other-key':
        return sign(payload, kid, signing.other);
      case 'alg-none':
        return `${b64json({ alg: 'none', typ: 'JWT', kid })}.${b64json(payload)}.AAAA`;
      default:
        return sign(payload, kid);
    }
  }

  async function statusList(communityId: string): Promise<string> {
    const bits = new Uint8Array(100_000 / 8 + 1);
    for (const award of allAwards()) {
      const index = statusIndex(award.id);
      if (award.result.status === 'Revoked' || scenario.credentials?.[award.id] === 'revoked') bits[index >> 3] = (bits[index >> 3] ?? 0) | (1 << (7 - (index & 7)));
    }
    const url = `${issuerOf(communityId)}/status-list`;
    return sign(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: url,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: issuerOf(communityId),
        validFrom: '2026-01-01T00:00:00.000Z',
        credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: `u${b64url(await gzip(bits))}` },
        iss: issuerOf(communityId),
        jti: url,
        nbf: Math.floor(Date.parse('2026-01-01T00:00:00.000Z') / 1000),
      },
      kidOf(communityId),
    );
  }

  const vcJwt = (body: string) => new Response(body, { status: 200, headers: { 'content-type': 'application/vc+jwt' } });
  const wallOf = (id: string) => walls.get(id === 'me' ? (scenario.me?.person.id ?? '') : id);

  function eventStream(signal: AbortSignal): Response {
    const encoder = new TextEncoder();
    const timers: ReturnType<typeof setTimeout>[] = [];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(': connected\n\n'));
        for (const step of scenario.live ?? []) {
          timers.push(
            setTimeout(() => {
              const wall = walls.get(step.award.recipient.id);
              if (wall) {
                wall.earned = [step.award, ...wall.earned];
                wall.inProgress = wall.inProgress.filter((progress) => progress.achievement.id !== step.award.achievement.id);
                wall.locked = wall.locked.filter((achievement) => achievement.id !== step.award.achievement.id);
              }
              const event: AwardEvent = { id: `ev-${step.award.id}`, type: 'award.changed', occurredAt: new Date().toISOString(), action: 'created', award: step.award };
              controller.enqueue(encoder.encode(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
            }, step.afterMs),
          );
        }
        signal.addEventListener('abort', () => timers.forEach(clearTimeout), { once: true });
      },
      cancel() {
        timers.forEach(clearTimeout);
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^.*?\/api(?=\/)/, '');
    const { signal } = request;
    requests.push(`${request.method} ${path}`);
    if (request.method !== 'GET') return problem({ type: 'about:blank', title: 'Not implemented in the Storybook mock', status: 501 });
    if (path === '/events') return eventStream(signal);
    const isRead = path === '/badge-walls' || path === '/achievements' || path === '/awards' || /^\/people\/[^/]+\/badges$/.test(path);
    if (isRead && scenario.hang) return never(signal);
    await delay(latencyMs, signal);
    const signedInAs = scenario.me && request.headers.get('authorization') === `Bearer ${token}` ? scenario.me : undefined;
    if (path === '/me') return signedInAs ? json('/me', 'get', 200, signedInAs) : problem(problems.unauthorized);
    if (isRead && failures > 0) {
      failures -= 1;
      return problem(problems.serverError);
    }
    if (path === '/badge-walls') {
      const asked = (url.searchParams.get('people') ?? '').split(',');
      if (asked.includes('me') && !signedInAs) return problem(problems.unauthorized);
      return json('/badge-walls', 'get', 200, { items: asked.map(wallOf).filter((wall): wall is BadgeWall => !!wall) });
    }
    const personWall = /^\/people\/([^/]+)\/badges$/.exec(path);
    if (personWall) {
      const wall = wallOf(decodeURIComponent(personWall[1] ?? ''));
      return wall ? json('/people/{personId}/badges', 'get', 200, wall) : notFound('No such person.');
    }
    if (path === '/achievements') return json('/achievements', 'get', 200, { items: scenario.achievements ?? [], nextCursor: null });
    if (path === '/awards') return json('/awards', 'get', 200, { items: scenario.recent ?? [], nextCursor: null });
    const credentialPath = /^\/awards\/([^/]+)\/credential$/.exec(path);
    if (credentialPath) {
      const award = allAwards().find((candidate) => candidate.id === decodeURIComponent(credentialPath[1] ?? ''));
      if (!award) return notFound('No such award.');
      const kind = scenario.credentials?.[award.id] ?? 'valid';
      return vcJwt(await credential(award, kind));
    }
    const issuerPath = /^\/issuers\/([^/]+)\/(jwks|status-list)$/.exec(path);
    if (issuerPath) {
      const communityId = decodeURIComponent(issuerPath[1] ?? '');
      if (issuerPath[2] === 'status-list') return vcJwt(await statusList(communityId));
      if (Object.values(scenario.credentials ?? {}).includes('offline')) throw new TypeError('Failed to fetch');
      return json('/issuers/{communityId}/jwks', 'get', 200, {
        keys: [{ kty: 'OKP', crv: 'Ed25519', x: signing.publicJwk.x ?? '', kid: kidOf(communityId), alg: 'EdDSA', use: 'sig' }],
      });
    }
    const communityPath = /^\/communities\/([^/]+)$/.exec(path);
    if (communityPath) {
      return json('/communities/{communityId}', 'get', 200, {
        id: decodeURIComponent(communityPath[1] ?? ''),
        name: 'Engineering',
        settings: { kudosAllowancePerWeek: 10, rankingAllowed: false, reviewIntervalDays: 90, kudosValues: [{ id: 'helpful', label: 'Helpful' }, { id: 'mentoring', label: 'Mentoring' }] },
      });
    }
    console.error(`badge mock: no handler for ${request.method} ${path}`);
    return problem({ type: 'about:blank', title: 'Not implemented in the Storybook mock', status: 501 });
  }

  return {
    fetch: (input, init) => route(new Request(input, init)),
    getToken: () => (scenario.me ? token : null),
    requests,
  };
}

// ---------------------------------------------------------------------------------------------
// Knowledge cards: an in-memory card server (reads, writes with versions and conflicts, votes,
// verification, flags, views), for the card's stories and the thread's "turn into a card".

export type Card = components['schemas']['Card'];
export type CardVersion = components['schemas']['CardVersion'];
type CardInput = components['schemas']['CardInput'];
type CardUpdate = components['schemas']['CardUpdate'];
type CardEvent = components['schemas']['CardEvent'];

export interface CardScenario {
  me: Me | null;
  cards: Card[];
  /** Versions by card id (newest first); by default each card has one, its current text. */
  versions?: Record<string, CardVersion[]>;
  /** Card reads never answer. */
  hang?: boolean;
  /** How many card reads fail with a `500` before the server recovers. */
  failLoads?: number;
  /** Someone else saves a new version of the card just before my first save, which is then refused. */
  conflictBy?: Person;
  /** Changes others make while the story is open, pushed through `GET /events`. */
  live?: { afterMs: number; action: CardEvent['action']; actor: Person; change: Partial<Card>; cardId: string }[];
  latencyMs?: number;
}

/** A card as the stories' server starts with it; override what the story needs. */
export function cardFor(id: string, overrides: Partial<Card> = {}): Card {
  return {
    id,
    communityId: 'c-engineering',
    status: 'published',
    title: 'Running one test file',
    summary: 'Run a single browser test file while you work on it.',
    body: 'Use `npx wtr --files path/to/file.test.ts`.\n\n- It runs in real Chromium.\n- Add `.only` to focus on one test.\n\nSee [the test runner docs](https://modern-web.dev/docs/test-runner/overview/).',
    tags: ['testing', 'onboarding'],
    author: people.ada,
    experts: [people.grace],
    version: 1,
    trust: { state: 'unverified' },
    helpful: { yes: 0, no: 0, myVote: null },
    views: 0,
    reviewIntervalDays: 90,
    url: `https://guild.example.com/cards/${id}`,
    createdAt: '2026-10-01T09:00:00.000Z',
    updatedAt: '2026-10-01T09:00:00.000Z',
    ...overrides,
  };
}

/**
 * The card routes, for any story's `fetch`: answers a card request, or `undefined` for a path that is
 * not a card's. `signedIn` is who the request's token names.
 */
export function cardRouter(scenario: CardScenario) {
  const cards = new Map(scenario.cards.map((card) => [card.id, structuredClone(card)]));
  const versions = new Map(
    scenario.cards.map((card) => [
      card.id,
      scenario.versions?.[card.id] ?? [{ version: card.version, title: card.title, summary: card.summary, body: card.body, tags: card.tags, editor: card.lastEditor ?? card.author, createdAt: card.updatedAt }],
    ]),
  );
  let failures = scenario.failLoads ?? 0;
  let conflictPending = !!scenario.conflictBy;
  let nextId = 1;
  const record = (card: Card, editor: Person) =>
    versions.set(card.id, [{ version: card.version, title: card.title, summary: card.summary, body: card.body, tags: card.tags, editor, createdAt: new Date().toISOString() }, ...(versions.get(card.id) ?? [])]);
  const mayEdit = (card: Card, who: Person | undefined) =>
    !!who && (card.author.id === who.id || card.experts.some((expert) => expert.id === who.id) || !!scenario.me?.memberships.some((m) => m.role === 'facilitator' && m.communityId === card.communityId));
  const visible = (card: Card, who: Person | undefined) => card.status === 'published' || mayEdit(card, who);

  async function route(request: Request, path: string, url: URL, who: Person | undefined): Promise<Response | undefined> {
    const { signal } = request;
    const isRead = request.method === 'GET' && (path === '/cards' || /^\/cards\/[^/]+$/.test(path));
    if (!path.startsWith('/cards')) return undefined;
    if (isRead && scenario.hang) return never(signal);
    await delay(scenario.latencyMs ?? 150, signal);
    if (isRead && failures > 0) {
      failures -= 1;
      return problem(problems.serverError);
    }
    if (request.method === 'GET' && path === '/cards') {
      const query = url.searchParams;
      const status = query.get('status') ?? 'published';
      let items = [...cards.values()].filter((card) => card.status === status && visible(card, who));
      const ids = query.get('ids')?.split(',');
      if (ids) items = items.filter((card) => ids.includes(card.id));
      const tag = query.get('tag');
      if (tag) items = items.filter((card) => card.tags.includes(tag));
      const source = query.get('sourceSubject');
      if (source) items = items.filter((card) => card.sourceSubject === source);
      const related = query.get('related');
      if (related) {
        const base = cards.get(related);
        items = items.filter((card) => card.id !== related && card.tags.some((t) => base?.tags.includes(t)));
      }
      return json('/cards', 'get', 200, { items: items.slice(0, Number(query.get('limit') ?? 20)), nextCursor: null });
    }
    if (request.method === 'POST' && path === '/cards') {
      if (!who) return problem(problems.unauthorized);
      const input = (await request.json()) as CardInput;
      const created = cardFor(`new-${nextId++}`, {
        title: input.title,
        summary: input.summary ?? '',
        body: input.body,
        tags: input.tags ?? [],
        status: input.status ?? 'published',
        author: who,
        experts: [],
        communityId: input.communityId ?? 'c-engineering',
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        ...(input.sourceSubject ? { sourceSubject: input.sourceSubject } : {}),
        ...(input.sourceCommentId ? { sourceCommentId: input.sourceCommentId, credited: people.ada } : {}),
      });
      cards.set(created.id, created);
      record(created, who);
      return json('/cards', 'post', 201, created);
    }
    const one = /^\/cards\/([^/]+)(?:\/(versions|verifications|flags|vote|views))?$/.exec(path);
    const id = decodeURIComponent(one?.[1] ?? '');
    const card = cards.get(id);
    if (!one || !card || !visible(card, who)) return notFound('No such card.');
    const save = (next: Card) => {
      cards.set(next.id, next);
      return next;
    };
    switch (`${request.method} ${one[2] ?? ''}`) {
      case 'GET ':
        return json('/cards/{cardId}', 'get', 200, card);
      case 'GET versions':
        return json('/cards/{cardId}/versions', 'get', 200, { items: versions.get(id) ?? [], nextCursor: null });
      case 'PATCH ': {
        if (!who) return problem(problems.unauthorized);
        if (!mayEdit(card, who)) return problem({ type: '/problems/forbidden', title: 'Forbidden', status: 403 });
        const update = (await request.json()) as CardUpdate;
        if (conflictPending && scenario.conflictBy) {
          conflictPending = false;
          const theirs = save({ ...card, version: card.version + 1, lastEditor: scenario.conflictBy, body: `${card.body}\n\nUpdated for the new runner.` });
          record(theirs, scenario.conflictBy);
        }
        const latest = cards.get(id) ?? card;
        if (update.baseVersion !== latest.version) {
          return problem({ type: '/problems/stale-version', title: 'Stale version', status: 409, detail: `Version ${latest.version} is the latest.` });
        }
        const next = save({
          ...latest,
          title: update.title ?? latest.title,
          summary: update.summary ?? latest.summary,
          body: update.body ?? latest.body,
          tags: update.tags ?? latest.tags,
          status: update.status ?? latest.status,
          version: latest.version + 1,
          lastEditor: who,
          updatedAt: new Date().toISOString(),
        });
        record(next, who);
        return json('/cards/{cardId}', 'patch', 200, next);
      }
      case 'POST verifications': {
        if (!who) return problem(problems.unauthorized);
        const input = (await request.json()) as { reviewIntervalDays?: number };
        const now = new Date();
        const reviewBy = new Date(now.getTime() + (input.reviewIntervalDays ?? card.reviewIntervalDays) * 86_400_000);
        return json('/cards/{cardId}/verifications', 'post', 201, save({ ...card, trust: { state: 'verified', verifiedBy: who, verifiedAt: now.toISOString(), reviewBy: reviewBy.toISOString() } }));
      }
      case 'POST flags': {
        if (!who) return problem(problems.unauthorized);
        const { reason } = (await request.json()) as { reason: string };
        return json('/cards/{cardId}/flags', 'post', 201, save({ ...card, trust: { ...card.trust, state: 'outdated', flagReason: reason, flaggedBy: who, flaggedAt: new Date().toISOString() } }));
      }
      case 'PUT vote': {
        if (!who) return problem(problems.unauthorized);
        const { helpful } = (await request.json()) as { helpful: boolean };
        const { yes, no, myVote } = card.helpful;
        return json(
          '/cards/{cardId}/vote',
          'put',
          200,
          save({ ...card, helpful: { yes: yes - (myVote === true ? 1 : 0) + (helpful ? 1 : 0), no: no - (myVote === false ? 1 : 0) + (helpful ? 0 : 1), myVote: helpful } }),
        );
      }
      case 'POST views': {
        const next = who ? save({ ...card, views: card.views + 1 }) : card;
        return json('/cards/{cardId}/views', 'post', 200, { views: next.views, counted: !!who });
      }
      default:
        return undefined;
    }
  }

  return { route, cards };
}

/** A `fetch` for card stories: identity, the event stream (with the scenario's live changes) and the card routes. */
export function createCardApi(scenario: CardScenario): MockApi {
  mockCount += 1;
  const token = `storybook-card-token-${mockCount}`;
  const requests: string[] = [];
  const router = cardRouter(scenario);

  function eventStream(signal: AbortSignal): Response {
    const encoder = new TextEncoder();
    const timers: ReturnType<typeof setTimeout>[] = [];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(': connected\n\n'));
        for (const [index, step] of (scenario.live ?? []).entries()) {
          timers.push(
            setTimeout(() => {
              const before = router.cards.get(step.cardId);
              if (!before) return;
              const after = { ...before, ...step.change };
              router.cards.set(after.id, after);
              const event: CardEvent = { id: `ev-card-${index}`, type: 'card.changed', occurredAt: new Date().toISOString(), actorId: step.actor.id, action: step.action, card: after };
              controller.enqueue(encoder.encode(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
            }, step.afterMs),
          );
        }
        signal.addEventListener('abort', () => timers.forEach(clearTimeout), { once: true });
      },
      cancel() {
        timers.forEach(clearTimeout);
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^.*?\/api(?=\/)/, '');
    requests.push(`${request.method} ${path}`);
    if (request.method === 'GET' && path === '/events') return eventStream(request.signal);
    const signedInAs = scenario.me && request.headers.get('authorization') === `Bearer ${token}` ? scenario.me : undefined;
    if (request.method === 'GET' && path === '/me') {
      await delay(scenario.latencyMs ?? 150, request.signal);
      return signedInAs ? json('/me', 'get', 200, signedInAs) : problem(problems.unauthorized);
    }
    const answer = await router.route(request, path, url, signedInAs?.person);
    if (answer) return answer;
    console.error(`card mock: no handler for ${request.method} ${path}`);
    return problem({ type: 'about:blank', title: 'Not implemented in the Storybook mock', status: 501 });
  }

  return {
    fetch: (input, init) => route(new Request(input, init)),
    getToken: () => (scenario.me ? token : null),
    requests,
  };
}
