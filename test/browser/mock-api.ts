import type { components } from '../../src/api/schema.js';
import { contractMiddleware } from '../../src/api/contract-middleware.js';
import type { CheckedResponse } from '../../src/internal/config.js';

type Schemas = components['schemas'];
export type KudosSummary = Schemas['KudosSummary'];
export type Me = Schemas['Me'];
export type LiveEvent = Schemas['Event'];

type Handler = (request: Request, params: Record<string, string>) => Response | Promise<Response>;

/** A recorded request, with its body read once so tests can assert on it. */
export interface Call {
  method: string;
  path: string;
  url: URL;
  headers: Headers;
  body: unknown;
  signal: AbortSignal;
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export function problem(status: number, code: string, detail?: string): Response {
  const body: Schemas['Problem'] = { type: `/problems/${code}`, title: code, status, ...(detail ? { detail } : {}) };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });
}

/** A token shaped like a JWT (the client only reads `exp`; the mock never verifies). */
export function fakeToken(sub: string, expiresInSeconds = 600): string {
  const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${encode({ alg: 'HS256' })}.${encode({ sub, exp: Math.floor(Date.now() / 1000) + expiresInSeconds })}.signature`;
}

export function person(id: string, name = id[0]?.toUpperCase() + id.slice(1)): Schemas['Person'] {
  return { id, name };
}

export function me(id: string): Me {
  return { person: person(id), memberships: [{ communityId: 'general', personId: id, role: 'member', since: '2026-01-01T00:00:00.000Z' }] };
}

export function summary(subject: string, fields: Partial<KudosSummary> = {}): KudosSummary {
  return { subject, count: 0, givenByMe: false, myKudosId: null, recentGivers: [], ...fields };
}

/** An event stream the test pushes events into; it stays open until the client aborts. */
export class EventStreamMock {
  #controllers = new Set<ReadableStreamDefaultController<Uint8Array>>();
  connections = 0;

  readonly handler: Handler = (request) => {
    this.connections += 1;
    const encoder = new TextEncoder();
    let own: ReadableStreamDefaultController<Uint8Array> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        own = controller;
        this.#controllers.add(controller);
        controller.enqueue(encoder.encode(': connected\n\n'));
      },
      cancel: () => {
        if (own) this.#controllers.delete(own);
      },
    });
    request.signal.addEventListener('abort', () => {
      if (own) this.#controllers.delete(own);
    });
    return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };

  push(event: LiveEvent): void {
    const bytes = new TextEncoder().encode(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    for (const controller of this.#controllers) controller.enqueue(bytes);
  }
}

/**
 * A `fetch` for one test that answers from the given routes (`'POST /api/kudos'`,
 * `'DELETE /api/kudos/:id'`) and records every call. Unhandled requests are collected in
 * `unhandled` and answered 599 so a test can assert that nothing unexpected was asked.
 */
export function mockApi(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const unhandled: string[] = [];
  const compiled = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(' ');
    const names: string[] = [];
    const regex = new RegExp(
      `^${(pattern ?? '').replace(/:(\w+)/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    return { method, regex, names, handler };
  });
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.clone().text();
    calls.push({
      method: request.method,
      path: url.pathname,
      url,
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
      signal: request.signal,
    });
    for (const route of compiled) {
      const match = route.method === request.method ? route.regex.exec(url.pathname) : null;
      if (match) {
        const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
        return route.handler(request, params);
      }
    }
    unhandled.push(`${request.method} ${url.pathname}`);
    return problem(599, 'unhandled-in-test');
  };
  return {
    fetch: fetchImpl,
    calls,
    unhandled,
    callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}

/** Asks the test runner whether an answer follows api.yaml (test/support/contract-check.mjs). */
export async function contractCheck(response: CheckedResponse): Promise<string | undefined> {
  const answer = await fetch('/__contract-check', { method: 'POST', body: JSON.stringify(response) });
  const result: unknown = await answer.json();
  return typeof result === 'object' && result !== null && 'error' in result && typeof result.error === 'string' ? result.error : undefined;
}

/** What every widget test configures: answers checked against the contract, retries without waiting. */
export const testConfig = { middleware: contractMiddleware(contractCheck), retry: { baseDelayMs: 1, maxDelayMs: 2 } };

/** Resolves after pending timers and microtasks have run (batches flush on a macrotask). */
export function nextTask(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// Badges: fixtures, a real Ed25519 issuer, and the badge routes of an in-memory server.

export type Achievement = Schemas['Achievement'];
export type Award = Schemas['Award'];
export type BadgeWall = Schemas['BadgeWall'];
export type JwkSet = Schemas['JwkSet'];

/** The API base the elements use in tests (`/api` on the test runner's origin). */
export const API_BASE = new URL('/api', location.href).href;

export function achievement(id: string, fields: Partial<Achievement> = {}): Achievement {
  return {
    id,
    type: 'Achievement',
    name: id.replace(/(^|-)(\w)/g, (_m, dash: string, letter: string) => `${dash ? ' ' : ''}${letter.toUpperCase()}`),
    description: `What ${id} is about.`,
    criteria: { narrative: `Do what ${id} asks.` },
    // A real image the test runner serves (an <img>: its SVG never runs inside the page).
    image: { id: '/node_modules/lit/logo.svg' },
    communityId: 'general',
    earnedCount: 0,
    ...fields,
  };
}

export function award(id: string, of: Achievement, recipient: Schemas['Person'], fields: Partial<Award> = {}): Award {
  return {
    id,
    achievement: of,
    recipient,
    issuer: { id: `${API_BASE}/issuers/${of.communityId}`, name: 'General Guild' },
    validFrom: '2026-11-20T10:00:00.000Z',
    result: { status: 'Completed' },
    evidence: [],
    credentialUrl: `${API_BASE}/awards/${id}/credential`,
    verificationUrl: `https://guild.example.com/badges/verify/${id}`,
    ...fields,
  };
}

export function badgeWall(who: Schemas['Person'], fields: Partial<BadgeWall> = {}): BadgeWall {
  return { person: who, earned: [], inProgress: [], locked: [], ...fields };
}

/** A signed answer the way the server sends credentials and status lists. */
export function vcJwt(body: string, status = 200): Response {
  return new Response(body, { status, headers: { 'content-type': 'application/vc+jwt' } });
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function encodeJson(value: unknown): string {
  return base64url(new TextEncoder().encode(JSON.stringify(value)));
}

export interface CredentialOptions {
  validFrom?: string;
  validUntil?: string;
  /** The award's bit in the issuer's status list. */
  statusListIndex?: number;
  /** Changes the credential before it is signed. */
  change?: (credential: Record<string, unknown>) => void;
}

/**
 * A real issuer for one community: an Ed25519 key pair made with jose, and Open Badges 3.0
 * credentials and Bitstring status lists signed exactly as the reference server signs them.
 */
export async function testIssuer(communityId = 'general', name = 'General Guild') {
  const { generateKeyPair, exportJWK, SignJWT } = await import('jose');
  const issuerId = `${API_BASE}/issuers/${communityId}`;
  const statusListUrl = `${issuerId}/status-list`;
  const kid = `${issuerId}/jwks#key-1`;
  const keyPair = async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    const jwk = await exportJWK(pair.publicKey);
    const key: JwkSet['keys'][number] = { kty: 'OKP', crv: 'Ed25519', x: jwk.x ?? '', kid, alg: 'EdDSA', use: 'sig' };
    return { privateKey: pair.privateKey, key };
  };
  const own = await keyPair();
  const jwks: JwkSet = { keys: [own.key] };

  async function sign(payload: Record<string, unknown>, privateKey: CryptoKey = own.privateKey): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid }).sign(privateKey);
  }

  /** The credential's payload (the OpenBadgeCredential itself), as the server writes it. */
  function credentialPayload(of: Award, options: CredentialOptions = {}): Record<string, unknown> {
    const validFrom = options.validFrom ?? of.validFrom;
    const validUntil = options.validUntil ?? of.validUntil;
    const credential: Record<string, unknown> = {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: `urn:uuid:${of.id}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: issuerId, type: ['Profile'], name },
      validFrom,
      ...(validUntil ? { validUntil } : {}),
      name: of.achievement.name,
      credentialSubject: {
        id: `${API_BASE}/people/${of.recipient.id}`,
        type: ['AchievementSubject'],
        achievement: {
          id: `${API_BASE}/achievements/${of.achievement.id}`,
          type: ['Achievement'],
          name: of.achievement.name,
          description: of.achievement.description,
          criteria: { narrative: of.achievement.criteria.narrative },
        },
      },
      credentialStatus: {
        id: `${statusListUrl}#${options.statusListIndex ?? 0}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(options.statusListIndex ?? 0),
        statusListCredential: statusListUrl,
      },
      iss: issuerId,
      jti: `urn:uuid:${of.id}`,
      sub: `${API_BASE}/people/${of.recipient.id}`,
      nbf: Math.floor(Date.parse(validFrom) / 1000),
      ...(validUntil ? { exp: Math.floor(Date.parse(validUntil) / 1000) } : {}),
    };
    options.change?.(credential);
    return credential;
  }

  return {
    communityId,
    issuerId,
    kid,
    jwks,
    credentialPayload,
    /** A valid VC-JWT for the award. */
    credential: (of: Award, options: CredentialOptions = {}) => sign(credentialPayload(of, options)),
    /** Signed, then its payload replaced: the signature no longer matches. */
    async tampered(of: Award): Promise<string> {
      const [header, , signature] = (await sign(credentialPayload(of))).split('.');
      return `${header}.${encodeJson(credentialPayload(of, { change: (c) => (c['name'] = 'Grand master of everything') }))}.${signature}`;
    },
    /** Signed with another Ed25519 key that claims the issuer's key id. */
    async signedByAnotherKey(of: Award): Promise<string> {
      return sign(credentialPayload(of), (await keyPair()).privateKey);
    },
    /** `alg: none`, with a made-up signature. */
    unsecured(of: Award): string {
      return `${encodeJson({ alg: 'none', typ: 'JWT', kid })}.${encodeJson(credentialPayload(of))}.AAAA`;
    },
    /** HS256 with a secret anyone could have: the kind of downgrade a verifier must refuse. */
    async hmac(of: Award): Promise<string> {
      return new SignJWT(credentialPayload(of)).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid }).sign(new TextEncoder().encode('a shared secret of 32 bytes or more!'));
    },
    /** The signed BitstringStatusListCredential with these indexes revoked. */
    async statusList(revoked: number[] = []): Promise<string> {
      const bits = new Uint8Array(16_384 / 8);
      for (const index of revoked) bits[index >> 3] = (bits[index >> 3] ?? 0) | (1 << (7 - (index & 7)));
      const gzipped = new Uint8Array(await new Response(new Blob([bits]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
      return sign({
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: statusListUrl,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: issuerId,
        validFrom: '2026-01-01T00:00:00.000Z',
        credentialSubject: { id: `${statusListUrl}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: `u${base64url(gzipped)}` },
        iss: issuerId,
        jti: statusListUrl,
        nbf: Math.floor(Date.parse('2026-01-01T00:00:00.000Z') / 1000),
      });
    },
  };
}

export type TestIssuer = Awaited<ReturnType<typeof testIssuer>>;

/** What an in-memory badge server knows; tests change it between requests. */
export interface BadgeData {
  /** Walls by person id. */
  walls: Map<string, BadgeWall>;
  achievements: Achievement[];
  recent: Award[];
  /** Signed credentials by award id. */
  credentials: Map<string, string>;
  issuer: TestIssuer | undefined;
  statusList: string | undefined;
}

/**
 * The badge routes of an in-memory server (`listBadgeWalls`, `getBadgeWall`, `listAchievements`,
 * `listAwards`, `getCredential`, `getIssuerKeys`, `getStatusList`), for `mockApi`. `who` is the
 * signed-in person that `me` names.
 */
export function badgeRoutes(data: BadgeData, who: string | null): Record<string, Handler> {
  const wallOf = (id: string) => data.walls.get(id === 'me' ? (who ?? '') : id);
  return {
    'GET /api/badge-walls': (request) => {
      const people = (new URL(request.url).searchParams.get('people') ?? '').split(',');
      if (people.includes('me') && !who) return problem(401, 'unauthorized');
      return json({ items: people.map(wallOf).filter((wall): wall is BadgeWall => !!wall) });
    },
    'GET /api/people/:id/badges': (_request, params) => {
      if (params['id'] === 'me' && !who) return problem(401, 'unauthorized');
      const wall = wallOf(params['id'] ?? '');
      return wall ? json(wall) : problem(404, 'not-found');
    },
    'GET /api/achievements': () => json({ items: data.achievements, nextCursor: null }),
    'GET /api/awards': (request) => {
      const limit = Number(new URL(request.url).searchParams.get('limit') ?? 20);
      return json({ items: data.recent.slice(0, limit), nextCursor: null });
    },
    'GET /api/awards/:id/credential': (_request, params) => {
      const found = data.credentials.get(params['id'] ?? '');
      return found ? vcJwt(found) : problem(404, 'not-found');
    },
    'GET /api/issuers/:id/jwks': () => (data.issuer ? json(data.issuer.jwks) : problem(404, 'not-found')),
    'GET /api/issuers/:id/status-list': () => (data.statusList ? vcJwt(data.statusList) : problem(404, 'not-found')),
  };
}

// ---------------------------------------------------------------------------------------------
// Knowledge cards: fixtures and the card routes of an in-memory server.

export type Card = Schemas['Card'];
export type CardVersion = Schemas['CardVersion'];
export type CardEvent = Schemas['CardEvent'];

export function card(id: string, fields: Partial<Card> = {}): Card {
  return {
    id,
    communityId: 'general',
    status: 'published',
    title: `Card ${id}`,
    summary: `What card ${id} is about.`,
    body: `The text of card ${id}.`,
    tags: ['onboarding'],
    author: person('grace', 'Grace Hopper'),
    experts: [],
    version: 1,
    trust: { state: 'unverified' },
    helpful: { yes: 0, no: 0, myVote: null },
    views: 0,
    reviewIntervalDays: 90,
    url: `https://guild.example.com/cards/${id}`,
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    ...fields,
  };
}

/** What an in-memory card server knows; tests change it between requests. */
export interface CardData {
  cards: Map<string, Card>;
  versions: Map<string, CardVersion[]>;
  /** Who the signed-in person is (for drafts, votes and authorship). */
  who: string | null;
  /** Names of the people the server knows, by id. */
  names: Record<string, string>;
  nextId: number;
}

export function cardData(cards: Card[], who: string | null, names: Record<string, string> = {}): CardData {
  return {
    names,
    cards: new Map(cards.map((c) => [c.id, c])),
    versions: new Map(cards.map((c) => [c.id, [{ version: c.version, title: c.title, summary: c.summary, body: c.body, tags: c.tags, editor: c.lastEditor ?? c.author, createdAt: c.updatedAt }]])),
    who,
    nextId: 100,
  };
}

/**
 * The card routes of an in-memory server (`listCards`, `getCard`, `createCard`, `updateCard` with
 * its `409` on a stale `baseVersion`, `listCardVersions`, `verifyCard`, `flagCard`, `voteCard`,
 * `recordCardView`), for `mockApi`.
 */
export function cardRoutes(data: CardData): Record<string, Handler> {
  const who = () => (data.who ? person(data.who, data.names[data.who]) : undefined);
  const visible = (c: Card) => c.status === 'published' || (!!data.who && (c.author.id === data.who || c.experts.some((e) => e.id === data.who)));
  const find = (id: string | undefined) => {
    const found = data.cards.get(id ?? '');
    return found && visible(found) ? found : undefined;
  };
  const save = (next: Card) => {
    data.cards.set(next.id, next);
    return next;
  };
  return {
    'GET /api/cards': (request) => {
      const query = new URL(request.url).searchParams;
      const ids = query.get('ids')?.split(',');
      const status = query.get('status') ?? 'published';
      let items = [...data.cards.values()].filter((c) => c.status === status && visible(c));
      if (ids) items = items.filter((c) => ids.includes(c.id));
      const tag = query.get('tag');
      if (tag) items = items.filter((c) => c.tags.includes(tag));
      const source = query.get('sourceSubject');
      if (source) items = items.filter((c) => c.sourceSubject === source);
      const related = query.get('related');
      if (related) {
        const base = data.cards.get(related);
        items = items.filter((c) => c.id !== related && c.tags.some((t) => base?.tags.includes(t)));
      }
      return json({ items: items.slice(0, Number(query.get('limit') ?? 20)), nextCursor: null });
    },
    'GET /api/cards/:id': (_request, params) => {
      const found = find(params['id']);
      return found ? json(found) : problem(404, 'not-found');
    },
    'POST /api/cards': async (request) => {
      const author = who();
      if (!author) return problem(401, 'unauthorized');
      const input = (await request.json()) as Schemas['CardInput'];
      data.nextId += 1;
      const created = card(`k${data.nextId}`, {
        title: input.title,
        summary: input.summary ?? '',
        body: input.body,
        tags: input.tags ?? [],
        status: input.status ?? 'published',
        author,
        communityId: input.communityId ?? 'general',
        ...(input.sourceSubject ? { sourceSubject: input.sourceSubject } : {}),
        ...(input.sourceCommentId ? { sourceCommentId: input.sourceCommentId, credited: person('ada', 'Ada Okafor') } : {}),
      });
      data.versions.set(created.id, [{ version: 1, title: created.title, summary: created.summary, body: created.body, tags: created.tags, editor: author, createdAt: created.createdAt }]);
      return json(save(created), 201);
    },
    'PATCH /api/cards/:id': async (request, params) => {
      const found = find(params['id']);
      const editor = who();
      if (!found) return problem(404, 'not-found');
      if (!editor) return problem(401, 'unauthorized');
      const update = (await request.json()) as Schemas['CardUpdate'];
      if (update.baseVersion !== found.version) return problem(409, 'stale-version', `Version ${found.version} is the latest.`);
      const next = save({
        ...found,
        title: update.title ?? found.title,
        summary: update.summary ?? found.summary,
        body: update.body ?? found.body,
        tags: update.tags ?? found.tags,
        status: update.status ?? found.status,
        version: found.version + 1,
        lastEditor: editor,
      });
      data.versions.set(next.id, [{ version: next.version, title: next.title, summary: next.summary, body: next.body, tags: next.tags, editor, createdAt: '2026-11-29T09:00:00.000Z' }, ...(data.versions.get(next.id) ?? [])]);
      return json(next);
    },
    'GET /api/cards/:id/versions': (_request, params) => json({ items: data.versions.get(params['id'] ?? '') ?? [], nextCursor: null }),
    'POST /api/cards/:id/verifications': async (request, params) => {
      const found = find(params['id']);
      const verifier = who();
      if (!found) return problem(404, 'not-found');
      if (!verifier) return problem(401, 'unauthorized');
      const input = (await request.json()) as Schemas['VerificationInput'];
      const days = input.reviewIntervalDays ?? found.reviewIntervalDays;
      const at = '2026-11-29T10:00:00.000Z';
      return json(save({ ...found, trust: { state: 'verified', verifiedBy: verifier, verifiedAt: at, reviewBy: new Date(Date.parse(at) + days * 86_400_000).toISOString() } }), 201);
    },
    'POST /api/cards/:id/flags': async (request, params) => {
      const found = find(params['id']);
      const flagger = who();
      if (!found) return problem(404, 'not-found');
      if (!flagger) return problem(401, 'unauthorized');
      const { reason } = (await request.json()) as Schemas['FlagInput'];
      return json(save({ ...found, trust: { ...found.trust, state: 'outdated', flagReason: reason, flaggedBy: flagger, flaggedAt: '2026-11-29T10:00:00.000Z' } }), 201);
    },
    'PUT /api/cards/:id/vote': async (request, params) => {
      const found = find(params['id']);
      if (!found) return problem(404, 'not-found');
      const { helpful } = (await request.json()) as Schemas['VoteInput'];
      const { yes, no, myVote } = found.helpful;
      return json(
        save({
          ...found,
          helpful: { yes: yes - (myVote === true ? 1 : 0) + (helpful ? 1 : 0), no: no - (myVote === false ? 1 : 0) + (helpful ? 0 : 1), myVote: helpful },
        }),
      );
    },
    'POST /api/cards/:id/views': (_request, params) => {
      const found = find(params['id']);
      if (!found) return problem(404, 'not-found');
      const counted = !!data.who;
      const next = save({ ...found, views: found.views + (counted ? 1 : 0) });
      return json({ views: next.views, counted });
    },
  };
}
