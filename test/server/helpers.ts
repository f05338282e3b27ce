import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { components } from '../../src/api/schema.js';
import { buildApp, type App, type AppOptions } from '../../server/app.js';
import { loadContract, type Contract } from '../../server/contract.js';
import { openSqlite, type Database } from '../../server/db.js';
import { DEMO_PEOPLE, seedDemo } from '../../server/seed.js';
import { assertMatchesContract, assertMatchesSchema, type ContractOperationId } from './contract-check.js';

/** The contract's schemas as generated types, for reading response bodies. */
export type Schemas = components['schemas'];

export const SECRET = 'test-secret-that-is-at-least-32-characters-long';
export const COMMUNITY = 'general';

/** Seeded subjects (see server/seed.ts): two kudos to grace on the first, one to ada on the second. */
export const DEV_ENV = 'onboarding/week-1/dev-environment';
export const CODE_REVIEW = 'onboarding/week-1/code-review';

let sharedContract: Contract | undefined;

/** The contract as the server reads it; parsed once per test file (buildApp clones what it uses). */
export function contract(): Contract {
  sharedContract ??= loadContract();
  return sharedContract;
}

export interface TestApp extends App {
  db: Kysely<Database>;
  /** A valid bearer token for a person; seeded people get their seeded name and title. */
  tokenFor(id: string, name?: string): Promise<string>;
  /** `{ authorization: 'Bearer …' }` for a person. */
  as(id: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** A fresh app on a fresh in-memory database seeded with the demo people and kudos. */
export async function makeApp(
  options: Partial<AppOptions> = {},
  /** Wraps the database the app uses (tests of races make queries answer later). */
  wrap: (db: Kysely<Database>) => Kysely<Database> = (db) => db,
): Promise<TestApp> {
  const db = await openSqlite(':memory:');
  await seedDemo(db, COMMUNITY);
  const app = await buildApp({ auth: { secret: SECRET }, defaultCommunity: COMMUNITY, contract: contract(), ...options, db: wrap(db) });
  await app.server.ready();
  const tokenFor = (id: string, name?: string) => {
    const seeded = DEMO_PEOPLE.find((person) => person.id === id);
    return app.auth.sign({ sub: id, name: name ?? seeded?.name ?? id, title: name ? undefined : seeded?.title });
  };
  return {
    ...app,
    db,
    tokenFor,
    as: async (id) => ({ authorization: `Bearer ${await tokenFor(id)}` }),
    close: async () => {
      await app.server.close();
      await db.destroy();
    },
  };
}

/** Runs `body` with a fresh app and always closes it. */
export async function withApp(body: (app: TestApp) => Promise<void>, options: Partial<AppOptions> = {}): Promise<void> {
  const app = await makeApp(options);
  try {
    await body(app);
  } finally {
    await app.close();
  }
}

let keyCounter = 0;

/** A fresh, valid Idempotency-Key. */
export function newKey(): string {
  keyCounter += 1;
  return `test-key-${process.pid}-${keyCounter}`;
}

export function json(response: LightMyRequestResponse): unknown {
  return JSON.parse(response.body) as unknown;
}

/** Asserts a successful JSON response with this status, valid against the contract, and returns its body. */
export function expectOk<T = Record<string, unknown>>(
  response: LightMyRequestResponse,
  operationId: ContractOperationId,
  status = 200,
): T {
  assert.equal(response.statusCode, status, `expected ${status}, got ${response.statusCode}: ${response.body}`);
  assert.match(String(response.headers['content-type']), /^application\/json\b/);
  const body = json(response);
  assertMatchesContract(operationId, status, body);
  return body as T;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { pointer: string; detail: string }[];
}

/**
 * Asserts an RFC 9457 problem response: the status, `application/problem+json`, a body whose
 * `status` matches, the expected `type` (`/problems/<code>`, or `about:blank`), and validity against
 * the operation's documented response (or `default`) when an operation is named.
 */
export function expectProblem(
  response: LightMyRequestResponse,
  status: number,
  code: string,
  operationId?: ContractOperationId,
): ProblemBody {
  assert.equal(response.statusCode, status, `expected ${status} ${code}, got ${response.statusCode}: ${response.body}`);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json\b/);
  const body = json(response) as ProblemBody;
  assert.equal(body.status, status);
  assert.equal(body.type, code === 'about:blank' ? 'about:blank' : `/problems/${code}`);
  assert.equal(typeof body.title, 'string');
  assert.ok(body.title.length > 0);
  if (operationId) assertMatchesContract(operationId, status, body);
  else assertMatchesSchema('Problem', body);
  return body;
}

export async function kudosRows(db: Kysely<Database>) {
  return db.selectFrom('kudos').selectAll().orderBy('id').execute();
}

export async function countRows(
  db: Kysely<Database>,
  table: 'kudos' | 'events' | 'idempotency_keys' | 'memberships' | 'people' | 'threads' | 'comments' | 'comment_reactions' | 'comment_flags',
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Events of one type recorded so far (activity may also record `award.changed` events for badges it earns). */
export async function countEvents(db: Kysely<Database>, type: string): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', '=', type)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** POST /api/kudos as `giverId` with a fresh (or the given) Idempotency-Key. */
export async function give(app: TestApp, giverId: string, body: Record<string, unknown>, key = newKey()) {
  return app.server.inject({
    method: 'POST',
    url: '/api/kudos',
    headers: { ...(await app.as(giverId)), 'idempotency-key': key },
    payload: body,
  });
}

/** Adds people straight to the database (not through the API), e.g. to page past a limit. */
export async function addPeople(db: Kysely<Database>, ids: string[]): Promise<void> {
  const at = new Date().toISOString();
  await db
    .insertInto('people')
    .values(ids.map((id) => ({ id, name: `Person ${id}`, title: null, avatar_url: null, created_at: at })))
    .execute();
}

/** A request as `personId` (anonymous when `undefined`), with a fresh Idempotency-Key on POST. */
export async function call(
  app: TestApp,
  personId: string | undefined,
  method: NonNullable<InjectOptions['method']>,
  url: string,
  payload?: object,
) {
  return app.server.inject({
    method,
    url,
    headers: { ...(personId ? await app.as(personId) : {}), ...(method === 'POST' ? { 'idempotency-key': newKey() } : {}) },
    ...(payload ? { payload } : {}),
  });
}

/** POST /api/comments as `authorId` with a fresh (or the given) Idempotency-Key. */
export async function postComment(app: TestApp, authorId: string | undefined, body: Record<string, unknown>, key = newKey()) {
  return app.server.inject({
    method: 'POST',
    url: '/api/comments',
    headers: { ...(authorId ? await app.as(authorId) : {}), 'idempotency-key': key },
    payload: body,
  });
}

let uniqueSubjects = 0;
/** A subject no other test in this process writes on. */
export function freshSubject(prefix = 'subject'): string {
  uniqueSubjects += 1;
  return `${prefix}/${process.pid}/${uniqueSubjects}`;
}

/** Posts a comment that must be created (`201`) and returns it. */
export async function writeComment(app: TestApp, authorId: string, body: Record<string, unknown>): Promise<Schemas['Comment']> {
  return expectOk<Schemas['Comment']>(await postComment(app, authorId, body), 'createComment', 201);
}

/** One page of `GET /api/comments?<query>` as `as` (anonymous without), which must answer `200`. */
export async function listCommentPage(app: TestApp, as: string | undefined, query: string): Promise<Schemas['CommentPage']> {
  return expectOk<Schemas['CommentPage']>(await call(app, as, 'GET', `/api/comments?${query}`), 'listComments');
}
