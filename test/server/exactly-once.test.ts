import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { expectOk, expectProblem, type Schemas, type TestApp } from './helpers.js';
import { makeAppOver, YieldingPlugin } from './trust-helpers.js';

/*
 * "The server commits, the connection drops, the client retries" — 1,000 randomised trials on one
 * app, four at a time (each on its own subject). api.yaml (info.description): "Creates carry an
 * Idempotency-Key header: one key per user intention, reused on retries. A repeat with the same
 * key and body returns the stored response; a repeat still in flight gets 409; the same key with
 * a different body gets 422."
 *
 * Each trial is a fresh subject with one to three intentions (a giver thanking a recipient on it).
 * For each intention the first attempt's answer is lost: either the server finished it before the
 * client retried, or the retries race it. The client then retries with the same key and the same
 * body, in one or more rounds of one to three identical concurrent requests, and retries any
 * `409 /problems/idempotency-in-flight` (with back-off) until it gets an answer. Intentions of a
 * trial run one after another or all at once.
 *
 * The server's database answers every query on a later event-loop turn (YieldingPlugin), as a
 * networked database would: with better-sqlite3's synchronous answers alone, concurrent injects
 * never interleave and the in-flight path is never taken. (EO_STATS=1 prints how many requests were
 * sent and how many were answered "in flight".)
 *
 * Checked per intention: every answer the client sees is the 201 receipt or 409 in-flight; of all
 * 201 answers (lost ones included) exactly one is the original and every other is a byte-identical
 * replay marked `idempotent-replayed: true`. Per trial: one kudos row per intention with the ids
 * the answers named, one event per intention, and the same key with a different body answers 422
 * `/problems/idempotency-key-reused`, leaves the key's stored answer as it was and writes no kudos
 * or event. After all trials: listKudosSummaries counts exactly the distinct intentions of each
 * subject, and names each giver's own kudos when they ask.
 */

const SEED = 20_261_129;
const TRIALS = 1000;
/** Trials run this many at a time (on distinct subjects): the server's crypto runs on another thread. */
const AT_ONCE = 4;

/** Givers and recipients: the seeded people and five more provisioned by signing in. */
const PEOPLE = ['ada', 'grace', 'linus', 'mei', 'tomas', 'eo-p1', 'eo-p2', 'eo-p3', 'eo-p4', 'eo-p5'];
const VALUES = ['helpful', 'mentoring', 'knowledge-sharing'] as const;

type Receipt = Schemas['KudosReceipt'];
type Reuse = 'message' | 'recipient' | 'subject' | 'value';

interface Intention {
  giver: number;
  /** The recipient is PEOPLE[(giver + recipientShift) % PEOPLE.length], never the giver. */
  recipientShift: number;
  message: string | null;
  value: (typeof VALUES)[number] | null;
  keySuffix: string;
  /** How many attempts were sent whose answers never reached the client (1 or 2, concurrent). */
  lostAttempts: number;
  /** `true`: the server finished the lost attempts before the first retry; `false`: retries race them. */
  lostSettledFirst: boolean;
  /** Retry rounds, one after another; each is this many identical requests at once. */
  retryRounds: number[];
  /** After everything settled: the same key with a body changed in this way. */
  reuse: Reuse | null;
}

interface Trial {
  subjectSuffix: string;
  together: boolean;
  intentions: Intention[];
}

const subjectSuffix = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 24 })
  .filter((s) => /^[^\s,]+$/u.test(s));

/** Mostly small numbers: a trial must stay cheap, 1,000 of them run in a few seconds. */
const few = (weights: number[]) => fc.oneof(...weights.map((weight, i) => ({ arbitrary: fc.constant(i + 1), weight })));

const intention: fc.Arbitrary<Intention> = fc.record({
  giver: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
  recipientShift: fc.integer({ min: 1, max: PEOPLE.length - 1 }),
  message: fc.option(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((m) => m.trim() === m), { freq: 2 }),
  value: fc.option(fc.constantFrom(...VALUES), { freq: 2 }),
  keySuffix: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,24}$/),
  lostAttempts: few([6, 1]),
  lostSettledFirst: fc.boolean(),
  retryRounds: few([6, 1]).chain((rounds) => fc.array(few([5, 2, 1]), { minLength: rounds, maxLength: rounds })),
  // One intention in four also tries its key with a different body.
  reuse: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.constantFrom<Reuse>('message', 'recipient', 'subject', 'value'), weight: 1 }),
});

const trial: fc.Arbitrary<Trial> = fc.record({
  subjectSuffix,
  together: fc.boolean(),
  intentions: few([10, 3, 1]).chain((length) =>
    fc.uniqueArray(intention, { minLength: length, maxLength: length, selector: (i) => i.giver }),
  ),
});

function isInFlight(response: LightMyRequestResponse): boolean {
  return response.statusCode === 409 && response.body.includes('/problems/idempotency-in-flight');
}

describe('exactly-once kudos under lost answers and retries', () => {
  let app: TestApp;
  const authorization = new Map<string, string>();
  let trialNumber = 0;
  const stats = { posts: 0, inFlight: 0, intentions: 0, keyReuses: 0 };
  /** Every trial's subject and who gave on it (with the kudos id), for the summaries check. */
  const settled: { trial: number; subject: string; givers: Map<string, string> }[] = [];

  before(async () => {
    // Queries answer on a later event-loop turn, so concurrent requests interleave as they would
    // against a networked database (and a retry can arrive while the first attempt still runs).
    app = await makeAppOver((db) => db.withPlugin(new YieldingPlugin()), { rateLimitPerMinute: 1_000_000, writeLimitPerMinute: 1_000_000 });
    // Idempotency is under test here, not the weekly allowance.
    await app.db.updateTable('communities').set({ kudos_allowance_per_week: 1_000_000 }).execute();
    for (const person of PEOPLE) {
      const headers = await app.as(person);
      authorization.set(person, headers['authorization'] ?? '');
      // Provision the extra people, so they can be recipients before they ever give.
      expectOk(await app.server.inject({ method: 'GET', url: '/api/me', headers }), 'getMe');
    }
  });
  after(async () => {
    await app.close();
  });

  function post(giver: string, key: string, body: Record<string, unknown>) {
    stats.posts += 1;
    return app.server.inject({
      method: 'POST',
      url: '/api/kudos',
      headers: { authorization: authorization.get(giver) ?? '', 'idempotency-key': key },
      payload: body,
    });
  }

  interface Outcome {
    giver: string;
    key: string;
    body: Record<string, unknown>;
    kudosId: string;
  }

  /** One intention: lost attempts, then retries until answered; checks every answer it saw. */
  async function runIntention(n: number, subject: string, spec: Intention): Promise<Outcome> {
    stats.intentions += 1;
    const giver = PEOPLE[spec.giver]!;
    const recipient = PEOPLE[(spec.giver + spec.recipientShift) % PEOPLE.length]!;
    const key = `eo.${n}.${spec.giver}.${spec.keySuffix}`;
    const body: Record<string, unknown> = {
      subject,
      recipientId: recipient,
      ...(spec.message === null ? {} : { message: spec.message }),
      ...(spec.value === null ? {} : { value: spec.value }),
    };
    const seenByClient: LightMyRequestResponse[] = [];
    const lost = Promise.all(Array.from({ length: spec.lostAttempts }, () => post(giver, key, body)));
    if (spec.lostSettledFirst) await lost;

    const attempt = async () => {
      for (let tries = 0; ; tries += 1) {
        const response = await post(giver, key, body);
        seenByClient.push(response);
        if (!isInFlight(response)) return response;
        stats.inFlight += 1;
        assert.ok(tries < 100, `still in flight after ${tries} retries`);
        // Back off as a client would: 32, then 64 event-loop turns.
        for (let turn = 0; turn < 2 ** Math.min(tries + 5, 6); turn += 1) await tick();
      }
    };
    for (const width of spec.retryRounds) await Promise.all(Array.from({ length: width }, attempt));
    const lostAnswers = await lost;

    // The client: every answer is the kudos (201), or "in flight" on the way to it.
    for (const response of seenByClient) {
      if (isInFlight(response)) {
        expectProblem(response, 409, 'idempotency-in-flight', 'giveKudos');
        assert.equal(response.headers['idempotent-replayed'], undefined, 'an in-flight answer is no replay');
      } else {
        expectOk<Receipt>(response, 'giveKudos', 201);
      }
    }
    // Everything the server answered, lost or not: one original, the rest replays of it.
    const successes = [...lostAnswers, ...seenByClient].filter((r) => r.statusCode === 201);
    for (const response of lostAnswers) {
      assert.ok(response.statusCode === 201 || isInFlight(response), `lost attempt answered ${response.statusCode}: ${response.body}`);
    }
    const originals = successes.filter((r) => r.headers['idempotent-replayed'] === undefined);
    assert.equal(originals.length, 1, `exactly one answer is not a replay (of ${successes.length})`);
    const original = originals[0]!;
    for (const response of successes) {
      if (response !== original) assert.equal(response.headers['idempotent-replayed'], 'true');
      assert.equal(response.body, original.body, 'a replay is the stored answer, byte for byte');
    }
    const receipt = JSON.parse(original.body) as Receipt;
    assert.equal(receipt.kudos.subject, subject);
    assert.equal(receipt.kudos.giver.id, giver);
    assert.equal(receipt.kudos.recipient.id, recipient);
    assert.equal(receipt.kudos.message, spec.message ?? undefined);
    assert.equal(receipt.kudos.value, spec.value ?? undefined);
    return { giver, key, body, kudosId: receipt.kudos.id };
  }

  /**
   * The same key with a different body: 422, and the key still holds the first answer. (That the
   * kudos rows and events did not move either is checked by the trial afterwards.)
   */
  async function reuseKey(outcome: Outcome, spec: Intention): Promise<void> {
    const changed: Record<string, unknown> = { ...outcome.body };
    switch (spec.reuse) {
      case 'message':
        changed['message'] = `${typeof changed['message'] === 'string' ? changed['message'] : ''}, again`;
        break;
      case 'recipient': {
        const shift = spec.recipientShift === PEOPLE.length - 1 ? 1 : spec.recipientShift + 1;
        changed['recipientId'] = PEOPLE[(spec.giver + shift) % PEOPLE.length];
        break;
      }
      case 'subject':
        changed['subject'] = `${String(changed['subject'])}/other`;
        break;
      case 'value':
        changed['value'] = VALUES.find((v) => v !== changed['value']);
        break;
      default:
        return;
    }
    const keyRow = () =>
      app.db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('person_id', '=', outcome.giver)
        .where('key', '=', outcome.key)
        .executeTakeFirstOrThrow();
    stats.keyReuses += 1;
    const before = await keyRow();
    assert.equal(before.state, 'done');
    assert.equal(before.status_code, 201);
    const response = await post(outcome.giver, outcome.key, changed);
    expectProblem(response, 422, 'idempotency-key-reused', 'giveKudos');
    assert.equal(response.headers['idempotent-replayed'], undefined);
    assert.deepEqual(await keyRow(), before, 'the key still holds the first answer');
  }

  async function latestEventId(): Promise<number> {
    const row = await app.db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** One trial. Trials run several at a time, so every check here looks at this trial's subjects only. */
  async function runTrial(spec: Trial): Promise<void> {
    trialNumber += 1;
    const n = trialNumber;
    const subject = `eo/${n}/${spec.subjectSuffix}`;
    /** Where a reused key with a changed subject would have written. */
    const otherSubject = `${subject}/other`;
    const lastEvent = await latestEventId();

    const outcomes = spec.together
      ? await Promise.all(spec.intentions.map((i) => runIntention(n, subject, i)))
      : await spec.intentions.reduce<Promise<Outcome[]>>(
          async (done, i) => [...(await done), await runIntention(n, subject, i)],
          Promise.resolve([]),
        );
    for (const [index, o] of outcomes.entries()) await reuseKey(o, spec.intentions[index]!);

    // Exactly one row per intention, the one every answer named, and none from a reused key.
    const rows = await app.db.selectFrom('kudos').selectAll().where('subject', 'in', [subject, otherSubject]).orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => [r.subject, r.giver_id, String(r.id)]).sort(),
      outcomes.map((o) => [subject, o.giver, o.kudosId]).sort(),
      'one kudos row per (giver, subject) intention',
    );
    for (const o of outcomes) {
      const row = rows.find((r) => r.giver_id === o.giver)!;
      assert.equal(row.recipient_id, o.body['recipientId']);
      assert.equal(row.message, o.body['message'] ?? null);
      assert.equal(row.value, o.body['value'] ?? null);
    }
    // One kudos.changed event per intention (other trials' events are interleaved: filter by subject).
    const events = await app.db.selectFrom('events').select('payload').where('id', '>', lastEvent).where('type', '=', 'kudos.changed').execute();
    const mine = events
      .map((e) => JSON.parse(e.payload) as { action: string; summary: { subject: string } })
      .filter((e) => e.summary.subject === subject || e.summary.subject === otherSubject);
    assert.deepEqual(
      mine.map((e) => `${e.action} ${e.summary.subject}`),
      outcomes.map(() => `given ${subject}`),
      'one kudos.changed event per intention',
    );

    // The API's count is checked for all trials at the end (one request per 100 subjects).
    settled.push({ trial: n, subject, givers: new Map(outcomes.map((o) => [o.giver, o.kudosId])) });
  }

  /** Runs a batch of trials at once; waits for all of them before reporting the first failure. */
  async function runTrials(specs: Trial[]): Promise<void> {
    const results = await Promise.allSettled(specs.map(runTrial));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  test(`${TRIALS} trials (${AT_ONCE} at a time): one kudos per intention whatever is lost, repeated or raced`, async () => {
    await fc.assert(fc.asyncProperty(fc.array(trial, { minLength: AT_ONCE, maxLength: AT_ONCE }), runTrials), {
      numRuns: TRIALS / AT_ONCE,
      seed: SEED,
    });
    assert.equal(settled.length, TRIALS);

    // listKudosSummaries, signed out: each count is the number of distinct intentions and the
    // recent givers are their givers. Then as each giver, on the subjects they gave on: their own
    // kudos is the one every answer named.
    const summaries = async (viewer: string | undefined, trials: typeof settled) => {
      for (let start = 0; start < trials.length; start += 100) {
        const batch = trials.slice(start, start + 100);
        const response = await app.server.inject({
          method: 'GET',
          url: `/api/kudos/summaries?subjects=${batch.map((t) => encodeURIComponent(t.subject)).join(',')}`,
          headers: viewer ? { authorization: authorization.get(viewer) ?? '' } : {},
        });
        const { items } = expectOk<Schemas['KudosSummaryList']>(response, 'listKudosSummaries');
        assert.deepEqual(
          items.map((s) => ({ subject: s.subject, count: s.count, givers: s.recentGivers.map((p) => p.id).sort(), mine: s.myKudosId, givenByMe: s.givenByMe })),
          batch.map((t) => ({
            subject: t.subject,
            count: t.givers.size,
            givers: [...t.givers.keys()].sort(),
            mine: (viewer && t.givers.get(viewer)) ?? null,
            givenByMe: viewer !== undefined,
          })),
          `summaries as ${viewer ?? 'anonymous'}, trials ${batch.map((t) => t.trial).join(',')}`,
        );
      }
    };
    await summaries(undefined, settled);
    for (const viewer of PEOPLE) await summaries(viewer, settled.filter((t) => t.givers.has(viewer)));
    if (process.env['EO_STATS']) console.log(stats);
  });
});
