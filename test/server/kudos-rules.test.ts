import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db.js';
import { allowanceWeek } from '../../server/handlers/kudos.js';
import { ensureCommunity } from '../../server/seed.js';
import { call, COMMUNITY, expectOk, expectProblem, give, withApp, type Schemas, type TestApp } from './helpers.js';
import { makeAppOver, YieldingPlugin } from './trust-helpers.js';

/*
 * Fair recognition (issue 6): values and messages, the weekly allowance, declining, and the public
 * feed — each rule also tried by the person it must refuse. Givers are fresh people (provisioned by
 * signing in) so the seed's kudos never count against them.
 */

type Receipt = Schemas['KudosReceipt'];
type Allowance = Schemas['KudosAllowance'];
type KudosPage = Schemas['KudosPage'];

async function setAllowance(db: Kysely<Database>, perWeek: number, community = COMMUNITY): Promise<void> {
  await db.updateTable('communities').set({ kudos_allowance_per_week: perWeek }).where('id', '=', community).execute();
}

/** As if a week had passed: every kudos of `giverId` moves seven days back. */
async function aWeekLater(db: Kysely<Database>, giverId: string): Promise<void> {
  const rows = await db.selectFrom('kudos').select(['id', 'created_at']).where('giver_id', '=', giverId).execute();
  for (const row of rows) {
    const earlier = new Date(Date.parse(row.created_at) - 7 * 24 * 60 * 60 * 1000).toISOString();
    await db.updateTable('kudos').set({ created_at: earlier }).where('id', '=', row.id).execute();
  }
}

async function allowanceOf(app: TestApp, personId: string, community = COMMUNITY): Promise<Allowance> {
  return expectOk<Allowance>(await call(app, personId, 'GET', `/api/kudos/allowance?community=${community}`), 'getKudosAllowance');
}

async function giveOk(app: TestApp, giverId: string, body: Record<string, unknown>): Promise<Receipt> {
  return expectOk<Receipt>(await give(app, giverId, body), 'giveKudos', 201);
}

async function decline(app: TestApp, personId: string | undefined, kudosId: string, payload: object = {}) {
  return call(app, personId, 'POST', `/api/kudos/${kudosId}/decline`, payload);
}

async function feed(app: TestApp, query = '') {
  return expectOk<KudosPage>(await call(app, undefined, 'GET', `/api/kudos${query}`), 'listKudos');
}

async function countSummary(app: TestApp, subject: string): Promise<number> {
  const response = await call(app, undefined, 'GET', `/api/kudos/summaries?subjects=${encodeURIComponent(subject)}`);
  return expectOk<Schemas['KudosSummaryList']>(response, 'listKudosSummaries').items[0]?.count ?? -1;
}

describe('kudos message and value', () => {
  test('a value the community does not have is 422 unknown-value and stores nothing', async () => {
    await withApp(async (app) => {
      await ensureCommunity(app.db, 'no-values', 'No values');
      await app.db.updateTable('communities').set({ kudos_values: '[]' }).where('id', '=', 'no-values').execute();
      const before = await app.db.selectFrom('kudos').select('id').execute();
      expectProblem(await give(app, 'v-giver', { subject: 'rules/value', recipientId: 'grace', value: 'bravery' }), 422, 'unknown-value', 'giveKudos');
      // A value of another community is unknown here.
      expectProblem(
        await give(app, 'v-giver', { subject: 'rules/value', recipientId: 'grace', value: 'helpful', communityId: 'no-values' }),
        422,
        'unknown-value',
        'giveKudos',
      );
      assert.deepEqual(await app.db.selectFrom('kudos').select('id').execute(), before);
    });
  });

  test('the message is stored trimmed with its value; a blank message is 422 blank-message', async () => {
    await withApp(async (app) => {
      expectProblem(await give(app, 'm-giver', { subject: 'rules/message', recipientId: 'grace', message: ' \n\t ' }), 422, 'blank-message', 'giveKudos');
      const { kudos } = await giveOk(app, 'm-giver', { subject: 'rules/message', recipientId: 'grace', message: '  Thanks for the pairing!\n', value: 'mentoring' });
      assert.equal(kudos.message, 'Thanks for the pairing!');
      assert.equal(kudos.value, 'mentoring');
      const row = await app.db.selectFrom('kudos').selectAll().where('id', '=', Number(kudos.id)).executeTakeFirstOrThrow();
      assert.deepEqual([row.message, row.value], ['Thanks for the pairing!', 'mentoring']);
    });
  });
});

describe('the weekly allowance', () => {
  test('weeks start on Monday 00:00 UTC', () => {
    assert.deepEqual(allowanceWeek(new Date('2026-11-29T23:59:59.999Z')), {
      start: '2026-11-23T00:00:00.000Z',
      renewsAt: '2026-11-30T00:00:00.000Z',
    });
    assert.deepEqual(allowanceWeek(new Date('2026-11-30T00:00:00.000Z')), {
      start: '2026-11-30T00:00:00.000Z',
      renewsAt: '2026-12-07T00:00:00.000Z',
    });
    // Across a year's end, whatever the server's own time zone.
    assert.equal(allowanceWeek(new Date('2027-01-01T12:00:00Z')).start, '2026-12-28T00:00:00.000Z');
  });

  test('past the allowance: 409 allowance-used saying when it renews; others and other communities unaffected; renews next week', async () => {
    await withApp(async (app) => {
      await setAllowance(app.db, 3);
      await ensureCommunity(app.db, 'second', 'Second');
      for (let i = 0; i < 3; i += 1) await giveOk(app, 'a-giver', { subject: `rules/allowance/${i}`, recipientId: 'grace' });
      const full = await allowanceOf(app, 'a-giver');
      assert.deepEqual({ ...full, renewsAt: undefined }, { communityId: COMMUNITY, perWeek: 3, used: 3, remaining: 0, renewsAt: undefined });
      assert.equal(new Date(full.renewsAt).getUTCDay(), 1);
      assert.ok(Date.parse(full.renewsAt) > Date.now() && Date.parse(full.renewsAt) <= Date.now() + 7 * 24 * 60 * 60 * 1000);

      const refused = expectProblem(await give(app, 'a-giver', { subject: 'rules/allowance/3', recipientId: 'grace' }), 409, 'allowance-used', 'giveKudos');
      assert.match(refused.detail ?? '', new RegExp(full.renewsAt.replace(/\./g, '\\.')));
      assert.equal(await countSummary(app, 'rules/allowance/3'), 0);

      // Someone else, and the same giver in another community, still have theirs.
      await giveOk(app, 'b-giver', { subject: 'rules/allowance/3', recipientId: 'grace' });
      await giveOk(app, 'a-giver', { subject: 'rules/allowance/other', recipientId: 'grace', communityId: 'second' });
      assert.equal((await allowanceOf(app, 'b-giver')).remaining, 2);
      assert.equal((await allowanceOf(app, 'a-giver', 'second')).used, 1);

      await aWeekLater(app.db, 'a-giver');
      assert.equal((await allowanceOf(app, 'a-giver')).remaining, 3);
      await giveOk(app, 'a-giver', { subject: 'rules/allowance/3', recipientId: 'grace' });
    });
  });

  test('an allowance of 0 allows no kudos at all', async () => {
    await withApp(async (app) => {
      await setAllowance(app.db, 0);
      expectProblem(await give(app, 'z-giver', { subject: 'rules/zero', recipientId: 'grace' }), 409, 'allowance-used', 'giveKudos');
      const allowance = await allowanceOf(app, 'z-giver');
      assert.deepEqual([allowance.perWeek, allowance.used, allowance.remaining], [0, 0, 0]);
    });
  });

  test('reading an allowance needs a signed-in person and a known community', async () => {
    await withApp(async (app) => {
      expectProblem(await call(app, undefined, 'GET', '/api/kudos/allowance'), 401, 'unauthorized', 'getKudosAllowance');
      expectProblem(await call(app, 'ada', 'GET', '/api/kudos/allowance?community=nowhere'), 404, 'not-found', 'getKudosAllowance');
      // The default community when none is named; the seed's two kudos by linus count.
      const linus = expectOk<Allowance>(await call(app, 'linus', 'GET', '/api/kudos/allowance'), 'getKudosAllowance');
      assert.deepEqual([linus.communityId, linus.used, linus.remaining], [COMMUNITY, 2, 8]);
    });
  });

  test('withdrawing gives the allowance back; being declined does not', async () => {
    await withApp(async (app) => {
      await setAllowance(app.db, 2);
      const first = await giveOk(app, 'w-giver', { subject: 'rules/withdraw/1', recipientId: 'grace' });
      const second = await giveOk(app, 'w-giver', { subject: 'rules/withdraw/2', recipientId: 'mei' });
      expectProblem(await give(app, 'w-giver', { subject: 'rules/withdraw/3', recipientId: 'grace' }), 409, 'allowance-used', 'giveKudos');

      // The recipient cannot withdraw it for the giver.
      expectProblem(await call(app, 'grace', 'DELETE', `/api/kudos/${first.kudos.id}`), 403, 'forbidden', 'withdrawKudos');
      expectOk(await call(app, 'w-giver', 'DELETE', `/api/kudos/${first.kudos.id}`), 'withdrawKudos');
      assert.equal((await allowanceOf(app, 'w-giver')).remaining, 1);
      await giveOk(app, 'w-giver', { subject: 'rules/withdraw/3', recipientId: 'grace' });

      expectOk(await decline(app, 'mei', second.kudos.id), 'declineKudos', 201);
      assert.equal((await allowanceOf(app, 'w-giver')).used, 2);
      expectProblem(await give(app, 'w-giver', { subject: 'rules/withdraw/4', recipientId: 'grace' }), 409, 'allowance-used', 'giveKudos');
      // Declined kudos stay on record: the giver cannot withdraw them to win the allowance back.
      expectProblem(await call(app, 'w-giver', 'DELETE', `/api/kudos/${second.kudos.id}`), 409, 'kudos-declined', 'withdrawKudos');
      assert.equal((await allowanceOf(app, 'w-giver')).used, 2);
    });
  });

  test('50 concurrent gives by one giver with an allowance of 10 store exactly 10', async () => {
    const app = await makeAppOver((db) => db.withPlugin(new YieldingPlugin()));
    try {
      await setAllowance(app.db, 10);
      const headers = await app.as('c-giver');
      const eventsBefore = await app.db.selectFrom('events').select('id').where('type', '=', 'kudos.changed').execute();
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          app.server.inject({
            method: 'POST',
            url: '/api/kudos',
            headers: { ...headers, 'idempotency-key': `concurrent-${i}` },
            payload: { subject: `rules/concurrent/${i}`, recipientId: i % 2 ? 'grace' : 'ada' },
          }),
        ),
      );
      const statuses = responses.map((response) => response.statusCode);
      assert.equal(statuses.filter((status) => status === 201).length, 10, JSON.stringify(statuses));
      for (const response of responses.filter((r) => r.statusCode !== 201)) expectProblem(response, 409, 'allowance-used', 'giveKudos');
      const stored = await app.db.selectFrom('kudos').select('id').where('giver_id', '=', 'c-giver').execute();
      assert.equal(stored.length, 10);
      const eventsAfter = await app.db.selectFrom('events').select('id').where('type', '=', 'kudos.changed').execute();
      assert.equal(eventsAfter.length - eventsBefore.length, 10);
      assert.equal((await allowanceOf(app, 'c-giver')).remaining, 0);
    } finally {
      await app.close();
    }
  });
});

describe('declining kudos', () => {
  test('only the recipient declines: 401 anonymous, 403 the giver or anyone else, 404 unknown', async () => {
    await withApp(async (app) => {
      const { kudos } = await giveOk(app, 'd-giver', { subject: 'rules/decline', recipientId: 'grace', message: 'Great session' });
      expectProblem(await decline(app, undefined, kudos.id), 401, 'unauthorized', 'declineKudos');
      for (const wrong of ['d-giver', 'ada', 'linus']) {
        expectProblem(await decline(app, wrong, kudos.id, { message: 'No thanks' }), 403, 'forbidden', 'declineKudos');
      }
      for (const unknown of ['999999', '01', 'allowance']) {
        expectProblem(await decline(app, 'grace', unknown), 404, 'not-found', 'declineKudos');
      }
      assert.equal(await countSummary(app, 'rules/decline'), 1);
      const row = await app.db.selectFrom('kudos').select('status').where('id', '=', Number(kudos.id)).executeTakeFirstOrThrow();
      assert.equal(row.status, 'given');
    });
  });

  test('the recipient declines with a trimmed message: the count drops, an event says so, a second decline is 409', async () => {
    await withApp(async (app) => {
      const { kudos } = await giveOk(app, 'd-giver', { subject: 'rules/decline', recipientId: 'grace' });
      await giveOk(app, 'e-giver', { subject: 'rules/decline', recipientId: 'grace' });
      assert.equal(await countSummary(app, 'rules/decline'), 2);
      const seen: Schemas['Event'][] = [];
      const stop = app.events.subscribe((event) => seen.push(event));

      expectProblem(await decline(app, 'grace', kudos.id, { message: '   ' }), 422, 'blank-message', 'declineKudos');
      const declined = expectOk<Schemas['Kudos']>(await decline(app, 'grace', kudos.id, { message: '  It was a team effort.  ' }), 'declineKudos', 201);
      stop();
      assert.deepEqual([declined.status, declined.declineMessage], ['declined', 'It was a team effort.']);
      assert.equal(await countSummary(app, 'rules/decline'), 1);
      assert.equal(seen.length, 1);
      const event = seen[0];
      assert.ok(event?.type === 'kudos.changed');
      assert.deepEqual([event.action, event.actorId, event.summary.count], ['declined', 'grace', 1]);

      expectProblem(await decline(app, 'grace', kudos.id), 409, 'already-declined', 'declineKudos');
      const row = await app.db.selectFrom('kudos').select('decline_message').where('id', '=', Number(kudos.id)).executeTakeFirstOrThrow();
      assert.equal(row.decline_message, 'It was a team effort.');
      // The giver's own summary no longer counts it either, and giving again on the subject stays refused.
      const mine = expectOk<Schemas['KudosSummaryList']>(
        await call(app, 'd-giver', 'GET', '/api/kudos/summaries?subjects=rules/decline'),
        'listKudosSummaries',
      );
      assert.deepEqual([mine.items[0]?.count, mine.items[0]?.givenByMe], [1, false]);
      expectProblem(await give(app, 'd-giver', { subject: 'rules/decline', recipientId: 'grace' }), 409, 'already-given', 'giveKudos');
    });
  });

  test('a decline without a message, retried with the same key, answers the same', async () => {
    await withApp(async (app) => {
      const { kudos } = await giveOk(app, 'd-giver', { subject: 'rules/decline-quiet', recipientId: 'mei' });
      const request = {
        method: 'POST' as const,
        url: `/api/kudos/${kudos.id}/decline`,
        headers: { ...(await app.as('mei')), 'idempotency-key': 'decline-quiet-1' },
        payload: {},
      };
      const first = expectOk<Schemas['Kudos']>(await app.server.inject(request), 'declineKudos', 201);
      assert.equal(first.declineMessage, undefined);
      const again = await app.server.inject(request);
      assert.equal(again.statusCode, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.deepEqual(JSON.parse(again.body), first);
    });
  });
});

describe('the public kudos feed', () => {
  test('newest first with message and value, declined left out, pages without gaps or repeats', async () => {
    await withApp(async (app) => {
      await setAllowance(app.db, 100);
      const given: string[] = [];
      for (let i = 0; i < 23; i += 1) {
        const { kudos } = await giveOk(app, `f-giver-${i % 4}`, {
          subject: `rules/feed/${i}`,
          recipientId: i % 3 ? 'grace' : 'ada',
          message: `Thanks #${i}`,
          value: 'helpful',
        });
        given.push(kudos.id);
      }
      const declinedIds = new Set([given[4], given[11], given[20]]);
      for (const id of declinedIds) {
        const kudos = await app.db.selectFrom('kudos').select('recipient_id').where('id', '=', Number(id)).executeTakeFirstOrThrow();
        expectOk(await decline(app, kudos.recipient_id, id ?? ''), 'declineKudos', 201);
      }
      const seedIds = (await app.db.selectFrom('kudos').select('id').where('giver_id', 'in', ['linus', 'mei']).execute()).map((r) => String(r.id));
      const expected = [...given.filter((id) => !declinedIds.has(id)), ...seedIds].sort((a, b) => Number(b) - Number(a));

      const seen: Schemas['Kudos'][] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: KudosPage = await feed(app, `?limit=6${cursor ? `&cursor=${cursor}` : ''}`);
        assert.ok(page.items.length <= 6);
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 20);
      assert.deepEqual(seen.map((k) => k.id), expected);
      assert.ok(seen.every((k) => k.status === 'given'));
      const newest = seen[0];
      assert.deepEqual([newest?.message, newest?.value, newest?.communityId], ['Thanks #22', 'helpful', COMMUNITY]);

      // Narrowed to one recipient, and to `me`.
      const forAda = await feed(app, '?recipient=ada&limit=100');
      assert.deepEqual(forAda.items.map((k) => k.id), expected.filter((id) => seen.find((k) => k.id === id)?.recipient.id === 'ada'));
      const mine = expectOk<KudosPage>(await call(app, 'ada', 'GET', '/api/kudos?recipient=me&limit=100'), 'listKudos');
      assert.deepEqual(mine.items.map((k) => k.id), forAda.items.map((k) => k.id));
    });
  });

  test('the feed refuses what it cannot answer: recipient=me signed out, unknown community, foreign cursor', async () => {
    await withApp(async (app) => {
      expectProblem(await call(app, undefined, 'GET', '/api/kudos?recipient=me'), 401, 'unauthorized', 'listKudos');
      expectProblem(await call(app, undefined, 'GET', '/api/kudos?community=nowhere'), 404, 'not-found', 'listKudos');
      for (const cursor of ['not-ours', Buffer.from('abc').toString('base64url'), Buffer.from('0').toString('base64url')]) {
        expectProblem(await call(app, undefined, 'GET', `/api/kudos?cursor=${cursor}`), 400, 'invalid-request', 'listKudos');
      }
      await ensureCommunity(app.db, 'quiet', 'Quiet');
      assert.deepEqual(await feed(app, '?community=quiet'), { items: [], nextCursor: null });
    });
  });
});
