// End to end: a storm of kudos on one subject against the built server and a real SQLite file, with
// the clients retrying exactly as the widget does (src/api/retry.ts), once steady and once across a
// SIGKILL and restart of the server. The property: no kudos lost, none counted twice.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { SignJWT } from 'jose';
import { retryingFetch, type RetryPolicy } from '../../src/api/retry.js';
import { freePort, startServer, type Server } from './server.js';

const PEOPLE = 200;
const REQUESTS_PER_PERSON = 5;
const RECIPIENT = 'grace';
const SECRET = randomBytes(32).toString('base64url');

function startStormServer(port: number, dbFile: string): Promise<Server> {
  // The storm is many people at once, not one person flooding: the limits are not under test.
  return startServer(port, dbFile, { GUILD_JWT_SECRET: SECRET, GUILD_RATE_LIMIT: '1000000', GUILD_WRITE_LIMIT: '1000000' });
}

async function stopServer(server: Server | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const child = server?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

function sign(sub: string): Promise<string> {
  return new SignJWT({ name: `Storm ${sub}` })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('15m')
    .sign(new TextEncoder().encode(SECRET));
}

interface Giver {
  id: string;
  token: string;
  /** How many intentions (Idempotency-Keys) the person's 5 requests carry in a storm: 1 to 4. */
  intentions: number;
}

async function makeGivers(): Promise<Giver[]> {
  return Promise.all(
    Array.from({ length: PEOPLE }, async (_, i) => {
      const id = `storm-${String(i).padStart(3, '0')}`;
      return { id, token: await sign(id), intentions: 1 + (i % 4) };
    }),
  );
}

/** How one request ended, after all of retryingFetch's attempts. */
interface Outcome {
  giver: string;
  key: string;
  status: number;
  /** `201`, `201 replayed`, or `<status> <problem type>`; `error: ...` when no answer came at all. */
  kind: string;
  kudosId: string | undefined;
}

/** Counts attempts on the wire; `onAnswer` hears of each answer as it arrives. */
class Wire {
  sent = 0;
  answered = 0;
  failed = 0;
  constructor(private readonly onAnswer: (answered: number) => void = () => undefined) {}

  readonly fetch = async (request: Request): Promise<Response> => {
    this.sent += 1;
    try {
      const response = await fetch(request);
      this.answered += 1;
      this.onAnswer(this.answered);
      return response;
    } catch (error) {
      this.failed += 1;
      throw error;
    }
  };
}

async function readOutcome(giver: string, key: string, send: () => Promise<Response>): Promise<Outcome> {
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { giver, key, status: 0, kind: `error: ${reason}`, kudosId: undefined };
  }
  const body: unknown = await response.json().catch(() => undefined);
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (response.status === 201) {
    const kudos = record['kudos'] as { id?: unknown } | undefined;
    const replayed = response.headers.get('idempotent-replayed') === 'true';
    return { giver, key, status: 201, kind: replayed ? '201 replayed' : '201', kudosId: typeof kudos?.id === 'string' ? kudos.id : undefined };
  }
  return { giver, key, status: response.status, kind: `${response.status} ${String(record['type'])}`, kudosId: undefined };
}

function give(client: (request: Request) => Promise<Response>, base: string, subject: string, giver: Giver, key: string): Promise<Outcome> {
  return readOutcome(giver.id, key, () =>
    client(
      new Request(`${base}/api/kudos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${giver.token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ subject, recipientId: RECIPIENT }),
      }),
    ),
  );
}

/**
 * Every person's 5 requests, all fired at once. A key is one intention (new in every storm): requests
 * sharing a key are retries of it, a new key is a double click.
 */
function storm(client: (request: Request) => Promise<Response>, base: string, subject: string, givers: Giver[]): Promise<Outcome[]> {
  const keys = new Map(givers.map((giver) => [giver, Array.from({ length: giver.intentions }, () => randomUUID())]));
  const all: Promise<Outcome>[] = [];
  for (let round = 0; round < REQUESTS_PER_PERSON; round += 1) {
    for (const giver of givers) {
      const mine = keys.get(giver)!;
      all.push(give(client, base, subject, giver, mine[round % mine.length]!));
    }
  }
  return Promise.all(all);
}

interface Summary {
  count: number;
  givenByMe: boolean;
}

async function summary(base: string, subject: string, token?: string): Promise<Summary> {
  const response = await fetch(`${base}/api/kudos/summaries?subjects=${encodeURIComponent(subject)}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { items: Summary[] };
  assert.equal(body.items.length, 1);
  return body.items[0]!;
}

function assertRunning(server: Server): void {
  const { exitCode, signalCode } = server.child;
  assert.ok(exitCode === null && signalCode === null, `the server stopped (${exitCode ?? signalCode}):\n${server.output()}`);
}

function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome.kind] = (counts[outcome.kind] ?? 0) + 1;
  return counts;
}

function byGiver(outcomes: Outcome[]): Map<string, Outcome[]> {
  const map = new Map<string, Outcome[]>();
  for (const outcome of outcomes) map.set(outcome.giver, [...(map.get(outcome.giver) ?? []), outcome]);
  return map;
}

/** One key is one intention: every request with the same key ended the same way. */
function assertOneAnswerPerKey(outcomes: Outcome[]): void {
  const byKey = new Map<string, Set<string>>();
  for (const outcome of outcomes) {
    const kind = outcome.kind === '201 replayed' ? '201' : outcome.kind;
    byKey.set(outcome.key, (byKey.get(outcome.key) ?? new Set()).add(`${kind} ${outcome.kudosId ?? ''}`));
  }
  for (const [key, kinds] of byKey) assert.equal(kinds.size, 1, `key ${key} ended in different ways: ${[...kinds].join(' | ')}`);
}

describe('a storm of kudos on one subject: none lost, none counted twice', () => {
  let dataDir: string;
  let dbFile: string;
  let port: number;
  let base: string;
  let givers: Giver[];
  /** The server now running; the second test replaces it. */
  let server: Server | undefined;
  /** The second test's kill and restart, waited for before cleaning up so no process outlives the suite. */
  let restart: Promise<void> | undefined;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'guildkit-storm-'));
    dbFile = join(dataDir, 'guild.sqlite');
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    [givers, server] = await Promise.all([makeGivers(), startStormServer(port, dbFile)]);
  });

  after(async () => {
    await restart?.catch(() => undefined);
    await stopServer(server, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Each person gives once per test on its own subject: 2 of the weekly allowance of 10.
  it('1,000 concurrent gives from 200 people, retried as the widget retries, count 200', { timeout: 55_000 }, async (t) => {
    const subject = `storm/steady/${randomUUID()}`;
    const wire = new Wire();
    // Short delays (the widget's shape, scaled down); a deadline long enough that no first attempt is
    // abandoned while the server works through the queue, so each person's first 201 is seen.
    const policy: RetryPolicy = { attempts: 12, baseDelayMs: 50, maxDelayMs: 1_000, maxRetryAfterMs: 5_000, timeoutMs: 45_000 };
    const started = Date.now();
    const outcomes = await storm(retryingFetch(wire.fetch, policy), base, subject, givers);
    const elapsed = Date.now() - started;
    const kinds = tally(outcomes);
    t.diagnostic(`steady storm: ${elapsed} ms, ${wire.sent} attempts, ${wire.failed} without answer; ${JSON.stringify(kinds)}`);

    assert.equal(outcomes.length, PEOPLE * REQUESTS_PER_PERSON);
    assert.deepEqual(
      outcomes.filter((o) => o.status === 0 || o.status >= 500),
      [],
      'no request ends without an answer or with a 5xx',
    );
    assert.equal(wire.failed, 0, 'no attempt was abandoned, so every first 201 reached its client');
    assert.deepEqual(
      Object.keys(kinds).sort(),
      ['201', '201 replayed', '409 /problems/already-given'],
      'every answer is a first 201, a replayed 201 or 409 already-given',
    );
    assert.equal(kinds['201'], PEOPLE, 'exactly one first 201 per person');
    for (const [giver, mine] of byGiver(outcomes)) {
      const ids = new Set(mine.filter((o) => o.status === 201).map((o) => o.kudosId));
      assert.equal(ids.size, 1, `${giver}: every 201 names the same kudos`);
      assert.equal(mine.filter((o) => o.kind === '201').length, 1, `${giver}: one first 201`);
    }
    assertOneAnswerPerKey(outcomes);
    assert.equal((await summary(base, subject)).count, PEOPLE);
    assertRunning(server!);
  });

  it('the same storm across a SIGKILL and restart on the same SQLite file and port: count equals the givers', { timeout: 55_000 }, async (t) => {
    const subject = `storm/crash/${randomUUID()}`;

    let killedAt = 0;
    let backAt = 0;
    let inFlightAtKill = 0;
    const wire: Wire = new Wire((answered) => {
      if (answered < 300 || restart) return;
      restart = (async () => {
        inFlightAtKill = wire.sent - wire.answered - wire.failed;
        killedAt = Date.now();
        await stopServer(server, 'SIGKILL');
        server = await startStormServer(port, dbFile);
        backAt = Date.now();
      })();
      // Awaited after the storm; a failed restart is reported there, not as an unhandled rejection.
      restart.catch(() => undefined);
    });
    // Enough attempts (about 16 s of backoff on average, 9 s at the least) to ride out a restart that takes 4 s on an idle
    // machine and 10 s on a busy one, and a ceiling on the backoff so the storm ends within ~30 s.
    const policy: RetryPolicy = { attempts: 24, baseDelayMs: 100, maxDelayMs: 1_500, maxRetryAfterMs: 5_000, timeoutMs: 15_000 };
    const client = retryingFetch(wire.fetch, policy);
    const started = Date.now();
    const outcomes = await storm(client, base, subject, givers);
    const elapsed = Date.now() - started;
    assert.ok(restart, 'the server was killed mid-storm');
    await restart;
    const kinds = tally(outcomes);
    t.diagnostic(
      `crash storm: ${elapsed} ms, killed after 300 answers with ${inFlightAtKill} attempts in flight, ` +
        `down ${backAt - killedAt} ms; ${wire.sent} attempts, ${wire.failed} without answer; ${JSON.stringify(kinds)}`,
    );

    assert.equal(outcomes.length, PEOPLE * REQUESTS_PER_PERSON);
    assert.deepEqual(
      outcomes.filter((o) => o.status === 0 || o.status >= 500),
      [],
      'every request got an answer in the end, none a 5xx',
    );
    // What the design allows: a key whose first attempt the crash cut off stays `pending` for its
    // 60 s lease (server/app.ts, PENDING_LEASE_MS), so its retries end with 409 idempotency-in-flight.
    const allowed = new Set(['201', '201 replayed', '409 /problems/already-given', '409 /problems/idempotency-in-flight']);
    assert.deepEqual(Object.keys(kinds).filter((kind) => !allowed.has(kind)), [], 'only the answers the design allows');
    assertOneAnswerPerKey(outcomes);

    // Every key still in flight is one the crash left pending in the database, from before the restart.
    const stuck = new Set(outcomes.filter((o) => o.kind === '409 /problems/idempotency-in-flight').map((o) => `${o.giver} ${o.key}`));
    const db = new SQLite(dbFile, { readonly: true });
    const pending = db
      .prepare("select person_id, key, created_at from idempotency_keys where state = 'pending' and person_id like 'storm-%'")
      .all() as { person_id: string; key: string; created_at: string }[];
    db.close();
    for (const row of pending) assert.ok(Date.parse(row.created_at) <= backAt, `pending key ${row.key} was taken after the restart`);
    const pendingKeys = new Set(pending.map((row) => `${row.person_id} ${row.key}`));
    for (const key of stuck) assert.ok(pendingKeys.has(key), `${key} answered in-flight without a pending row`);

    // Nobody is counted twice, whatever the crash cut off.
    const counted = (await summary(base, subject)).count;
    assert.ok(counted <= PEOPLE, `counted ${counted} kudos from ${PEOPLE} people`);

    // What the widget does next (src/stores/kudos.ts toggleKudos): a 409 rolls back and reloads the
    // summary as that person; a person who sees their kudos not given clicks again, with a new key.
    const settled = new Set(outcomes.filter((o) => o.status === 201 || o.kind === '409 /problems/already-given').map((o) => o.giver));
    const unsettled = givers.filter((giver) => !settled.has(giver.id));
    let clickedAgain = 0;
    let givenBeforeCrash = 0;
    await Promise.all(
      unsettled.map(async (giver) => {
        if ((await summary(base, subject, giver.token)).givenByMe) {
          givenBeforeCrash += 1;
          return;
        }
        clickedAgain += 1;
        const again = await give(client, base, subject, giver, randomUUID());
        assert.equal(again.kind, '201', `${giver.id} gives on a second click`);
      }),
    );
    t.diagnostic(
      `${stuck.size} keys stuck in idempotency-in-flight (${pending.length} pending rows); ${unsettled.length} people had no answer ` +
        `but in-flight: ${givenBeforeCrash} had given before the crash, ${clickedAgain} had to click again; count before that ${counted}`,
    );

    const final = await summary(base, subject);
    assert.equal(final.count, PEOPLE, 'the count equals the number of distinct givers');
    assert.equal(counted + clickedAgain, PEOPLE, 'the only kudos missing after the storm were those of people left in-flight');
    assertRunning(server!);
  });
});
