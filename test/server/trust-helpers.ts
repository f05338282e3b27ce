import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { LightMyRequestResponse } from 'fastify';
import { sql, type Kysely, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import type { AppOptions } from '../../server/app.js';
import type { Database } from '../../server/db.js';
import { assertMatchesContract, assertMatchesSchema, type ContractOperationId } from './contract-check.js';
import { makeApp, type ProblemBody, type TestApp } from './helpers.js';

/*
 * Shared by the trust suites (exactly-once, authorization, contract-fuzz): a fingerprint of every
 * stored row, and a check that an answer is an RFC 9457 problem whatever its status.
 */

const TABLES = ['people', 'communities', 'memberships', 'kudos', 'idempotency_keys', 'events'] as const;
type Table = (typeof TABLES)[number];

export interface DataFingerprint {
  counts: Record<Table, number>;
  /** sha256 over every row of every table, in primary-key order. */
  checksum: string;
}

/** Row counts and a checksum of everything stored: equal fingerprints mean nothing was written. */
export async function dataFingerprint(db: Kysely<Database>): Promise<DataFingerprint> {
  const hash = createHash('sha256');
  const counts = {} as Record<Table, number>;
  const rowsOf = {
    people: () => db.selectFrom('people').selectAll().orderBy('id').execute(),
    communities: () => db.selectFrom('communities').selectAll().orderBy('id').execute(),
    memberships: () => db.selectFrom('memberships').selectAll().orderBy('community_id').orderBy('person_id').execute(),
    kudos: () => db.selectFrom('kudos').selectAll().orderBy('id').execute(),
    idempotency_keys: () => db.selectFrom('idempotency_keys').selectAll().orderBy('person_id').orderBy('key').execute(),
    events: () => db.selectFrom('events').selectAll().orderBy('id').execute(),
  } satisfies Record<Table, () => Promise<unknown[]>>;
  for (const table of TABLES) {
    const rows = await rowsOf[table]();
    counts[table] = rows.length;
    hash.update(`${table}\n${JSON.stringify(rows)}\n`);
  }
  return { counts, checksum: hash.digest('hex') };
}

/**
 * Rows inserted, updated or deleted on the database connection since it opened (SQLite's
 * total_changes()): if it did not move across a request, the request wrote nothing at all.
 */
export async function totalChanges(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select total_changes() as n`.execute(db);
  return Number(rows[0]?.n);
}

/**
 * Asserts an error answer: a 4xx status (or exactly `status`), `application/problem+json`, and a
 * body that is a valid Problem whose `status` matches (and that matches what `operationId`
 * documents for that status, when given). Returns the body.
 */
export function expectAnyProblem(
  response: LightMyRequestResponse,
  options: { operationId?: ContractOperationId | undefined; status?: number } = {},
): ProblemBody {
  const where = `${response.statusCode} ${String(response.headers['content-type'])}: ${response.body.slice(0, 300)}`;
  if (options.status !== undefined) assert.equal(response.statusCode, options.status, where);
  else assert.ok(response.statusCode >= 400 && response.statusCode < 500, `expected a 4xx answer, got ${where}`);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json\b/, `expected problem+json, got ${where}`);
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    assert.fail(`the problem body is not JSON: ${where}`);
  }
  assertMatchesSchema('Problem', body);
  const problem = body as ProblemBody;
  assert.equal(problem.status, response.statusCode, `body status differs from the HTTP status: ${where}`);
  if (options.operationId) assertMatchesContract(options.operationId, response.statusCode, body);
  return problem;
}

/**
 * Makes every query answer on a later turn of the event loop, as a networked database would.
 * better-sqlite3 answers synchronously, so without this two concurrent requests rarely interleave
 * between their queries and races (such as a retry arriving while the first request still runs)
 * never happen in tests.
 */
export class YieldingPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await yieldToEventLoop();
    return args.result;
  }
}

/**
 * Like helpers.ts makeApp (fresh in-memory database with the demo seed), but the server talks to
 * `wrap(db)` — e.g. `db.withPlugin(new YieldingPlugin())` — while `app.db` stays the plain handle.
 */
export function makeAppOver(
  wrap: (db: Kysely<Database>) => Kysely<Database>,
  options: Partial<AppOptions> = {},
): Promise<TestApp> {
  return makeApp(options, wrap);
}
