import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { seedDemo } from '../../server/seed.js';
import {
  addPeople,
  call,
  CODE_REVIEW,
  COMMUNITY,
  DEV_ENV,
  expectOk,
  expectProblem,
  give,
  makeApp,
  withApp,
  type Schemas,
  type TestApp,
} from './helpers.js';

type Spotlight = Schemas['Spotlight'];
type Entry = Schemas['SpotlightEntry'];

const DAY_MS = 24 * 60 * 60 * 1000;
const FAQ = 'course-101/faq/git-setup';

function daysAgo(days: number): string {
  return new Date(Date.now() - days * DAY_MS).toISOString();
}

async function spotlight(app: TestApp, query = '', as?: string, community = COMMUNITY): Promise<Spotlight> {
  return expectOk<Spotlight>(await call(app, as, 'GET', `/api/communities/${community}/spotlight${query}`), 'getSpotlight');
}

/** Entries as `kind:person count` (and `#rank` when ranked), easy to compare whole. */
function brief(entries: Entry[]): string[] {
  return entries.map((e) => `${e.kind}:${e.person.id} ${e.count}${e.rank === undefined ? '' : ` #${e.rank}`}`);
}

async function allowRanking(app: TestApp, allowed: boolean): Promise<void> {
  await app.db.updateTable('communities').set({ ranking_allowed: allowed ? 1 : 0 }).where('id', '=', COMMUNITY).execute();
}

async function dateKudos(app: TestApp, recipientId: string, at: string): Promise<void> {
  await app.db.updateTable('kudos').set({ created_at: at }).where('recipient_id', '=', recipientId).execute();
}

async function dateMembership(app: TestApp, personId: string, at: string): Promise<void> {
  await app.db.updateTable('memberships').set({ since: at }).where('person_id', '=', personId).where('community_id', '=', COMMUNITY).execute();
}

/** linus, who asked the seeded question, accepts ada's answer; the thread's last change is `at`. */
async function acceptAdasAnswer(app: TestApp, at: string): Promise<void> {
  const page = expectOk<Schemas['CommentPage']>(await call(app, undefined, 'GET', `/api/comments?subject=${FAQ}`), 'listComments');
  const answer = page.items.find((c) => c.author?.id === 'ada');
  assert.ok(answer);
  // Not as someone who neither asked nor facilitates: that acceptance never happens, so never counts.
  expectProblem(await call(app, 'mei', 'PATCH', `/api/threads?subject=${FAQ}`, { acceptedCommentId: answer.id }), 403, 'forbidden', 'updateThread');
  expectOk(await call(app, 'linus', 'PATCH', `/api/threads?subject=${FAQ}`, { acceptedCommentId: answer.id }), 'updateThread');
  await app.db.updateTable('threads').set({ last_comment_at: at }).where('subject', '=', FAQ).execute();
}

/**
 * The seed gives grace 2 kudos (helpful, knowledge-sharing) and ada 1 (mentoring); here tomas adds
 * one more to ada, and each achievement gets its own day: ada's kudos 1 day ago, grace became a
 * facilitator 2 days ago, grace's kudos 3 days ago, ada's accepted answer 5 days ago, and ada has
 * been a facilitator for a month (outside the week).
 */
async function arrange(app: TestApp): Promise<void> {
  expectOk(await give(app, 'tomas', { subject: 'onboarding/week-1/buddy-session', recipientId: 'ada', value: 'mentoring' }), 'giveKudos', 201);
  await dateKudos(app, 'ada', daysAgo(1));
  await dateKudos(app, 'grace', daysAgo(3));
  await dateMembership(app, 'grace', daysAgo(2));
  await dateMembership(app, 'ada', daysAgo(30));
  await acceptAdasAnswer(app, daysAgo(5));
}

describe('spotlight order', () => {
  test('celebrate (the default) orders by the most recent achievement, with no ranks; anyone may read it', async () => {
    await withApp(async (app) => {
      await arrange(app);
      for (const as of [undefined, 'linus', 'ada']) {
        const read = await spotlight(app, '', as);
        assert.deepEqual([read.communityId, read.period, read.mode, read.rankingAllowed], [COMMUNITY, 'week', 'celebrate', false]);
        assert.equal(Date.parse(read.to) - Date.parse(read.from), 7 * DAY_MS);
        assert.deepEqual(brief(read.entries), ['kudos-received:ada 2', 'facilitator:grace 1', 'kudos-received:grace 2', 'helped:ada 1']);
        const [adaKudos, graceFacilitator, graceKudos, adaHelped] = read.entries;
        assert.deepEqual(adaKudos?.value, { id: 'mentoring', label: 'Mentoring' });
        assert.equal(adaKudos?.reason, '2 kudos for mentoring');
        // A tie between two values (one each, same moment) reads the same every time: the first id.
        assert.deepEqual(graceKudos?.value, { id: 'helpful', label: 'Helpful' });
        assert.equal(graceFacilitator?.reason, 'New facilitator');
        assert.equal(graceFacilitator?.value, undefined);
        assert.equal(adaHelped?.reason, '1 accepted answer');
        assert.ok(read.entries.every((e) => e.since !== undefined && e.since >= read.from && e.since <= read.to));
      }
    });
  });

  test('leaderboard orders by count, equal counts sharing a rank (1, 1, 3, 3), where ranking is allowed', async () => {
    await withApp(async (app) => {
      await arrange(app);
      await allowRanking(app, true);
      const read = await spotlight(app, '?mode=leaderboard', 'mei');
      assert.deepEqual([read.mode, read.rankingAllowed], ['leaderboard', true]);
      assert.deepEqual(brief(read.entries), ['kudos-received:ada 2 #1', 'kudos-received:grace 2 #1', 'facilitator:grace 1 #3', 'helped:ada 1 #3']);
      // Celebrate still gives no rank where ranking is allowed.
      assert.ok((await spotlight(app, '?mode=celebrate')).entries.every((e) => e.rank === undefined));
    });
  });

  test('a leaderboard is refused (403 ranking-forbidden) to everyone, facilitators too, where the community forbids ranking', async () => {
    await withApp(async (app) => {
      for (const as of [undefined, 'linus', 'ada']) {
        const refused = expectProblem(
          await call(app, as, 'GET', `/api/communities/${COMMUNITY}/spotlight?mode=leaderboard&period=month`),
          403,
          'ranking-forbidden',
          'getSpotlight',
        );
        assert.match(refused.detail ?? '', /celebrate/);
      }
      const celebrate = await spotlight(app, '?mode=celebrate');
      assert.equal(celebrate.rankingAllowed, false);
      assert.ok(celebrate.entries.length > 0);
    });
  });

  test('an asker accepting their own answer is not "helped"; a hidden answer stops counting', async () => {
    await withApp(async (app) => {
      const own = expectOk<Schemas['Comment']>(
        await call(app, 'linus', 'POST', '/api/comments', { subject: FAQ, body: 'Solved it myself: the dotfiles script.' }),
        'createComment',
        201,
      );
      expectOk(await call(app, 'linus', 'PATCH', `/api/threads?subject=${FAQ}`, { acceptedCommentId: own.id }), 'updateThread');
      assert.ok(!(await spotlight(app)).entries.some((e) => e.kind === 'helped'));

      await acceptAdasAnswer(app, daysAgo(1));
      assert.deepEqual(brief((await spotlight(app)).entries.filter((e) => e.kind === 'helped')), ['helped:ada 1']);
      const adasAnswer = (await app.db.selectFrom('threads').select('accepted_comment_id').where('subject', '=', FAQ).executeTakeFirstOrThrow())
        .accepted_comment_id;
      expectOk(await call(app, 'grace', 'PATCH', `/api/comments/${String(adasAnswer)}`, { hidden: true }), 'updateComment');
      assert.ok(!(await spotlight(app)).entries.some((e) => e.kind === 'helped'));
    });
  });
});

describe('what counts', () => {
  test('withdrawn and declined kudos do not count, and only the recipient can decline', async () => {
    await withApp(async (app) => {
      const before = (await spotlight(app)).entries.find((e) => e.kind === 'kudos-received' && e.person.id === 'ada');
      assert.equal(before?.count, 1);

      const withdrawn = expectOk<Schemas['KudosReceipt']>(await give(app, 'tomas', { subject: 'w/1', recipientId: 'ada', value: 'helpful' }), 'giveKudos', 201);
      const declined = expectOk<Schemas['KudosReceipt']>(await give(app, 'mei', { subject: 'd/1', recipientId: 'ada', value: 'helpful' }), 'giveKudos', 201);
      const adaCount = async () => (await spotlight(app)).entries.find((e) => e.kind === 'kudos-received' && e.person.id === 'ada');
      assert.equal((await adaCount())?.count, 3);

      // The wrong people first: neither a stranger's withdrawal nor a stranger's decline takes effect.
      expectProblem(await call(app, 'ada', 'DELETE', `/api/kudos/${withdrawn.kudos.id}`), 403, 'forbidden', 'withdrawKudos');
      expectProblem(await call(app, 'tomas', 'POST', `/api/kudos/${declined.kudos.id}/decline`, {}), 403, 'forbidden', 'declineKudos');
      assert.equal((await adaCount())?.count, 3);

      expectOk(await call(app, 'tomas', 'DELETE', `/api/kudos/${withdrawn.kudos.id}`), 'withdrawKudos');
      expectOk(await call(app, 'ada', 'POST', `/api/kudos/${declined.kudos.id}/decline`, {}), 'declineKudos', 201);
      const after = await adaCount();
      assert.deepEqual([after?.count, after?.value?.id, after?.reason], [1, 'mentoring', '1 kudos for mentoring']);
    });
  });

  test('each period reaches back 7, 30 or 90 days from now', async () => {
    await withApp(async (app) => {
      await dateMembership(app, 'ada', daysAgo(100));
      await dateMembership(app, 'grace', daysAgo(100));
      const visible = async (period: string) =>
        brief((await spotlight(app, `?period=${period}`)).entries).filter((line) => line.includes(':ada') || line.includes(':grace'));

      await dateKudos(app, 'ada', daysAgo(8));
      await dateKudos(app, 'grace', daysAgo(6.9));
      assert.deepEqual(await visible('week'), ['kudos-received:grace 2']);
      assert.deepEqual(await visible('month'), ['kudos-received:grace 2', 'kudos-received:ada 1']);

      await dateKudos(app, 'ada', daysAgo(31));
      await dateMembership(app, 'grace', daysAgo(29));
      assert.deepEqual(await visible('month'), ['kudos-received:grace 2', 'facilitator:grace 1']);
      assert.deepEqual(await visible('quarter'), ['kudos-received:grace 2', 'facilitator:grace 1', 'kudos-received:ada 1']);

      await dateKudos(app, 'ada', daysAgo(91));
      await acceptAdasAnswer(app, daysAgo(91));
      assert.deepEqual(await visible('quarter'), ['kudos-received:grace 2', 'facilitator:grace 1']);
      await app.db.updateTable('threads').set({ last_comment_at: daysAgo(89) }).where('subject', '=', FAQ).execute();
      assert.deepEqual(await visible('quarter'), ['kudos-received:grace 2', 'facilitator:grace 1', 'helped:ada 1']);

      const quarter = await spotlight(app, '?period=quarter');
      assert.equal(Date.parse(quarter.to) - Date.parse(quarter.from), 90 * DAY_MS);
    });
  });

  test('an unknown community is 404; a period or mode outside the contract is 400', async () => {
    await withApp(async (app) => {
      expectProblem(await call(app, undefined, 'GET', '/api/communities/nowhere/spotlight'), 404, 'not-found', 'getSpotlight');
      expectProblem(await call(app, 'ada', 'GET', '/api/communities/nowhere/spotlight?mode=leaderboard'), 404, 'not-found', 'getSpotlight');
      for (const query of ['period=year', 'period=', 'mode=podium', 'period=WEEK']) {
        expectProblem(await call(app, undefined, 'GET', `/api/communities/${COMMUNITY}/spotlight?${query}`), 400, 'invalid-request', 'getSpotlight');
      }
    });
  });
});

describe('opting out', () => {
  test('an opted-out person appears in no entry of any kind, still receives kudos, and shows again after opting back in', async () => {
    await withApp(async (app) => {
      await acceptAdasAnswer(app, daysAgo(1));
      await allowRanking(app, true);
      const adaKinds = async (query: string) =>
        (await spotlight(app, query)).entries.filter((e) => e.person.id === 'ada').map((e) => e.kind).sort();
      assert.deepEqual(await adaKinds(''), ['facilitator', 'helped', 'kudos-received']);

      // Someone else opting out hides only themselves: there is no way to name another person.
      expectOk(await call(app, 'mei', 'PUT', '/api/people/me/preferences', { spotlightOptOut: true }), 'updatePreferences');
      assert.deepEqual(await adaKinds(''), ['facilitator', 'helped', 'kudos-received']);
      expectProblem(
        await call(app, 'mei', 'PUT', '/api/people/me/preferences', { spotlightOptOut: true, personId: 'ada' }),
        400,
        'invalid-request',
        'updatePreferences',
      );

      const out = expectOk<Schemas['Preferences']>(
        await call(app, 'ada', 'PUT', '/api/people/me/preferences', { spotlightOptOut: true }),
        'updatePreferences',
      );
      assert.deepEqual(out, { spotlightOptOut: true });
      for (const query of ['', '?mode=leaderboard', '?period=quarter']) assert.deepEqual(await adaKinds(query), [], query);
      assert.ok((await spotlight(app)).entries.some((e) => e.person.id === 'grace'));

      // Kudos still reach ada; they just stay out of the spotlight.
      expectOk(await give(app, 'tomas', { subject: CODE_REVIEW, recipientId: 'ada' }), 'giveKudos', 201);
      const summary = expectOk<Schemas['KudosSummaryList']>(await call(app, undefined, 'GET', `/api/kudos/summaries?subjects=${CODE_REVIEW}`), 'listKudosSummaries');
      assert.equal(summary.items[0]?.count, 2);
      assert.deepEqual(await adaKinds(''), []);

      const me = expectOk<Schemas['Me']>(await call(app, 'ada', 'GET', '/api/me'), 'getMe');
      assert.deepEqual(me.preferences, { spotlightOptOut: true });

      expectOk(await call(app, 'ada', 'PUT', '/api/people/me/preferences', { spotlightOptOut: false }), 'updatePreferences');
      assert.deepEqual(expectOk<Schemas['Me']>(await call(app, 'ada', 'GET', '/api/me'), 'getMe').preferences, { spotlightOptOut: false });
      assert.equal(expectOk<Schemas['Me']>(await call(app, 'mei', 'GET', '/api/me'), 'getMe').preferences?.spotlightOptOut, true, 'mei’s own stays');
      assert.deepEqual(await adaKinds(''), ['facilitator', 'helped', 'kudos-received']);
      assert.equal((await spotlight(app)).entries.find((e) => e.kind === 'kudos-received' && e.person.id === 'ada')?.count, 2);
    });
  });

  test('preferences need a signed-in person and a body that matches the contract; getMe leaves out preferences never set', async () => {
    await withApp(async (app) => {
      expectProblem(await call(app, undefined, 'PUT', '/api/people/me/preferences', { spotlightOptOut: true }), 401, 'unauthorized', 'updatePreferences');
      for (const body of [{}, { spotlightOptOut: 'yes' }, { spotlightOptOut: null }]) {
        expectProblem(await call(app, 'ada', 'PUT', '/api/people/me/preferences', body), 400, 'invalid-request', 'updatePreferences');
      }
      const me = expectOk<Schemas['Me']>(await call(app, 'ada', 'GET', '/api/me'), 'getMe');
      assert.equal(me.preferences, undefined, 'absent means the defaults');
      assert.ok((await spotlight(app)).entries.some((e) => e.person.id === 'ada'), 'nothing changed by refused requests');
    });
  });
});

/** Counts queries run (results), not queries built: a subquery is built into its query, not run apart. */
class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count += 1;
    return Promise.resolve(args.result);
  }
}

describe('bounds', () => {
  test('at most 20 entries, read in the same number of queries for 3 recipients as for 45', async () => {
    const counter = new QueryCounter();
    const app = await makeApp({}, (db) => db.withPlugin(counter));
    try {
      await acceptAdasAnswer(app, daysAgo(1));
      const cost = async () => {
        await spotlight(app);
        const before = counter.count;
        const read = await spotlight(app);
        return { queries: counter.count - before, entries: read.entries.length };
      };
      // What any anonymous read costs besides the spotlight's own queries (one for the community).
      await call(app, undefined, 'GET', `/api/communities/${COMMUNITY}`);
      const baseline = counter.count;
      await call(app, undefined, 'GET', `/api/communities/${COMMUNITY}`);
      const overhead = counter.count - baseline - 1;
      const few = await cost();
      const ids = Array.from({ length: 45 }, (_, i) => `fan-${String(i).padStart(2, '0')}`);
      await addPeople(app.db, ids);
      await app.db
        .insertInto('kudos')
        .values(
          ids.flatMap((id, i) =>
            ['helpful', 'mentoring'].map((value, j) => ({
              subject: `fan/${id}/${j}`,
              giver_id: j === 0 ? 'linus' : 'mei',
              recipient_id: id,
              community_id: COMMUNITY,
              message: null,
              value,
              status: 'given' as const,
              decline_message: null,
              created_at: daysAgo(i / 100),
            })),
          ),
        )
        .execute();
      const many = await cost();
      assert.equal(many.entries, 20);
      assert.equal(many.queries, few.queries);
      assert.ok(few.queries - overhead <= 6, `${few.queries - overhead} queries of its own`);
    } finally {
      await app.close();
    }
  });
});

describe('the demo seed', () => {
  test('fills this week’s spotlight, brings an old demo database back into the week, and changes nothing when run again', async () => {
    await withApp(async (app) => {
      const fresh = await spotlight(app);
      assert.deepEqual(brief(fresh.entries).sort(), [
        'facilitator:ada 1',
        'facilitator:grace 1',
        'kudos-received:ada 1',
        'kudos-received:grace 2',
      ]);
      assert.ok(!fresh.entries.some((e) => e.kind === 'helped'), 'the git-setup question stays unanswered');

      // A demo database seeded two months ago, with one seeded kudos withdrawn meanwhile.
      await app.db.updateTable('kudos').set({ created_at: daysAgo(60) }).execute();
      await app.db.updateTable('memberships').set({ since: daysAgo(60) }).execute();
      await app.db.deleteFrom('kudos').where('giver_id', '=', 'mei').where('subject', '=', DEV_ENV).execute();
      assert.deepEqual((await spotlight(app)).entries, []);

      await seedDemo(app.db, COMMUNITY);
      const rows = async () => app.db.selectFrom('kudos').select(['id', 'created_at']).orderBy('id').execute();
      const refreshed = await rows();
      assert.deepEqual(brief((await spotlight(app)).entries).sort(), ['kudos-received:ada 1', 'kudos-received:grace 1']);

      await seedDemo(app.db, COMMUNITY);
      assert.deepEqual(await rows(), refreshed, 'a second start within the week changes nothing');
    });
  });
});
