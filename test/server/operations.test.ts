import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ensureCommunity } from '../../server/seed.js';
import {
  addPeople,
  CODE_REVIEW,
  COMMUNITY,
  countRows,
  DEV_ENV,
  expectOk,
  expectProblem,
  give,
  kudosRows,
  withApp,
  type Schemas,
  type TestApp,
} from './helpers.js';

type Person = Schemas['Person'];
type Me = Schemas['Me'];
type Community = Schemas['Community'];
type Membership = Schemas['Membership'];
type Summary = Schemas['KudosSummary'];
type Receipt = Schemas['KudosReceipt'];
type PersonPage = Schemas['PersonPage'];
type CommunityPage = Schemas['CommunityPage'];
type MembershipPage = Schemas['MembershipPage'];

const SEEDED_IDS = ['ada', 'grace', 'linus', 'mei', 'tomas'];

async function roleOf(app: TestApp, personId: string, communityId = COMMUNITY): Promise<string | undefined> {
  const row = await app.db
    .selectFrom('memberships')
    .select('role')
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row?.role;
}

async function summaries(app: TestApp, subjects: string[], as?: string): Promise<Summary[]> {
  const response = await app.server.inject({
    method: 'GET',
    url: `/api/kudos/summaries?subjects=${subjects.map(encodeURIComponent).join(',')}`,
    headers: as ? await app.as(as) : {},
  });
  return expectOk<Schemas['KudosSummaryList']>(response, 'listKudosSummaries').items;
}

describe('people', () => {
  test('getMe returns the signed-in person and their roles', async () => {
    await withApp(async ({ server, as }) => {
      const me = expectOk<Me>(await server.inject({ method: 'GET', url: '/api/me', headers: await as('ada') }), 'getMe');
      assert.deepEqual(me.person, { id: 'ada', name: 'Ada Okafor', title: 'Staff Engineer · onboarding buddy' });
      assert.equal(me.memberships.length, 1);
      assert.deepEqual(
        { ...me.memberships[0], since: undefined },
        { communityId: COMMUNITY, personId: 'ada', role: 'facilitator', since: undefined },
      );

      expectProblem(await server.inject({ method: 'GET', url: '/api/me' }), 401, 'unauthorized', 'getMe');
    });
  });

  test('getMe provisions a person the server has never seen from the token claims', async () => {
    await withApp(async ({ server, tokenFor, db }) => {
      const token = await tokenFor('zoe@example.org', 'Zoë Example');
      const me = expectOk<Me>(
        await server.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } }),
        'getMe',
      );
      assert.deepEqual(me, { person: { id: 'zoe@example.org', name: 'Zoë Example' }, memberships: [] });
      const row = await db.selectFrom('people').selectAll().where('id', '=', 'zoe@example.org').executeTakeFirst();
      assert.equal(row?.name, 'Zoë Example');
    });
  });

  test('a profile follows the token claims, also when they change back to earlier ones', async () => {
    // BUG (server/auth.ts:64-66): the provisioning cache is keyed by the whole claim set, so claims
    // seen before skip the upsert — the database keeps the newer name while getMe shows the older.
    await withApp(async ({ server, tokenFor }) => {
      const nameSeenBy = async (name: string) => {
        const headers = { authorization: `Bearer ${await tokenFor('ada', name)}` };
        const me = expectOk<Me>(await server.inject({ method: 'GET', url: '/api/me', headers }), 'getMe');
        const profile = expectOk<Person>(await server.inject({ method: 'GET', url: '/api/people/ada' }), 'getPerson');
        return { me: me.person.name, profile: profile.name };
      };
      assert.deepEqual(await nameSeenBy('Ada Okafor'), { me: 'Ada Okafor', profile: 'Ada Okafor' });
      assert.deepEqual(await nameSeenBy('Ada Okafor-Byron'), { me: 'Ada Okafor-Byron', profile: 'Ada Okafor-Byron' });
      assert.deepEqual(await nameSeenBy('Ada Okafor'), { me: 'Ada Okafor', profile: 'Ada Okafor' });
    });
  });

  test('getPerson returns a public profile, `me` for the caller, 404 for nobody, 400 for a malformed id', async () => {
    await withApp(async ({ server, as }) => {
      const grace = expectOk<Person>(await server.inject({ method: 'GET', url: '/api/people/grace' }), 'getPerson');
      assert.deepEqual(grace, { id: 'grace', name: 'Grace Lindqvist', title: 'Learning Designer' });

      const me = expectOk<Person>(
        await server.inject({ method: 'GET', url: '/api/people/me', headers: await as('mei') }),
        'getPerson',
      );
      assert.equal(me.id, 'mei');
      assert.equal(me.name, 'Mei Tanaka');

      expectProblem(await server.inject({ method: 'GET', url: '/api/people/me' }), 401, 'unauthorized', 'getPerson');
      const missing = expectProblem(await server.inject({ method: 'GET', url: '/api/people/nobody' }), 404, 'not-found', 'getPerson');
      assert.equal(missing.instance, '/api/people/nobody');
      expectProblem(await server.inject({ method: 'GET', url: '/api/people/no%20body' }), 400, 'invalid-request', 'getPerson');
    });
  });

  test('listPeople reads a batch of ids', async () => {
    await withApp(async ({ server }) => {
      const page = expectOk<PersonPage>(
        await server.inject({ method: 'GET', url: '/api/people?ids=mei,ada,nobody' }),
        'listPeople',
      );
      assert.deepEqual(page.items.map((p) => p.id).sort(), ['ada', 'mei']);
      assert.equal(page.nextCursor, null);
      assert.deepEqual(
        page.items.find((p) => p.id === 'mei'),
        { id: 'mei', name: 'Mei Tanaka', title: 'Product Manager' },
      );

      const tooMany = Array.from({ length: 101 }, (_, i) => `p${i}`).join(',');
      expectProblem(await server.inject({ method: 'GET', url: `/api/people?ids=${tooMany}` }), 400, 'invalid-request', 'listPeople');
    });
  });

  test('listPeople searches by case-insensitive name prefix', async () => {
    await withApp(async ({ server }) => {
      const search = async (query: string) =>
        expectOk<PersonPage>(
          await server.inject({ method: 'GET', url: `/api/people?query=${encodeURIComponent(query)}` }),
          'listPeople',
        ).items.map((p) => p.id);
      assert.deepEqual(await search('gr'), ['grace']);
      assert.deepEqual(await search('GRACE L'), ['grace']);
      assert.deepEqual(await search('tomás'), ['tomas']);
      assert.deepEqual(await search('Lindqvist'), [], 'a prefix of the name, not a substring');
      assert.deepEqual(await search('zz'), []);
      expectProblem(await server.inject({ method: 'GET', url: '/api/people?query=' }), 400, 'invalid-request', 'listPeople');
    });
  });

  test('listPeople filters by community membership', async () => {
    await withApp(async ({ server, db, tokenFor }) => {
      await ensureCommunity(db, 'empty-guild', 'Empty guild');
      // Provisioned by signing in, but a member of nothing.
      const outsider = { authorization: `Bearer ${await tokenFor('outsider', 'Olga Outsider')}` };
      expectOk(await server.inject({ method: 'GET', url: '/api/me', headers: outsider }), 'getMe');

      const inGeneral = expectOk<PersonPage>(
        await server.inject({ method: 'GET', url: `/api/people?community=${COMMUNITY}` }),
        'listPeople',
      );
      assert.deepEqual(inGeneral.items.map((p) => p.id), SEEDED_IDS);

      const inEmpty = expectOk<PersonPage>(await server.inject({ method: 'GET', url: '/api/people?community=empty-guild' }), 'listPeople');
      assert.deepEqual(inEmpty, { items: [], nextCursor: null });

      const filtered = expectOk<PersonPage>(
        await server.inject({ method: 'GET', url: `/api/people?community=${COMMUNITY}&query=o` }),
        'listPeople',
      );
      assert.deepEqual(filtered.items, [], 'outsider matches the prefix but is no member');
    });
  });

  test('listPeople pages by cursor past the limit without gaps or repeats', async () => {
    await withApp(async ({ server, db }) => {
      const extra = Array.from({ length: 25 }, (_, i) => `zz-${String(i).padStart(2, '0')}`);
      await addPeople(db, extra);
      const everyone = [...SEEDED_IDS, ...extra].sort();

      const first = expectOk<PersonPage>(await server.inject({ method: 'GET', url: '/api/people' }), 'listPeople');
      assert.equal(first.items.length, 20, 'default limit');
      assert.equal(typeof first.nextCursor, 'string');
      const second = expectOk<PersonPage>(
        await server.inject({ method: 'GET', url: `/api/people?cursor=${encodeURIComponent(first.nextCursor ?? '')}` }),
        'listPeople',
      );
      assert.equal(second.items.length, 10);
      assert.equal(second.nextCursor, null);
      assert.deepEqual([...first.items, ...second.items].map((p) => p.id), everyone);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/api/people?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page: PersonPage = expectOk<PersonPage>(await server.inject({ method: 'GET', url }), 'listPeople');
        assert.ok(page.items.length <= 7);
        seen.push(...page.items.map((p) => p.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      assert.equal(pages, 5);
      assert.deepEqual(seen, everyone);

      expectProblem(await server.inject({ method: 'GET', url: '/api/people?cursor=not!a!cursor' }), 400, 'invalid-request', 'listPeople');
      expectProblem(await server.inject({ method: 'GET', url: '/api/people?limit=0' }), 400, 'invalid-request', 'listPeople');
      expectProblem(await server.inject({ method: 'GET', url: '/api/people?limit=101' }), 400, 'invalid-request', 'listPeople');
    });
  });
});

describe('communities and roles', () => {
  test('listCommunities lists communities with their settings and pages by cursor', async () => {
    await withApp(async ({ server, db }) => {
      const only = expectOk<CommunityPage>(await server.inject({ method: 'GET', url: '/api/communities' }), 'listCommunities');
      assert.equal(only.nextCursor, null);
      assert.deepEqual(only.items.map((c) => c.id), [COMMUNITY]);
      assert.deepEqual(only.items[0]?.settings, {
        kudosAllowancePerWeek: 10,
        rankingAllowed: false,
        reviewIntervalDays: 90,
        kudosValues: [
          { id: 'helpful', label: 'Helpful' },
          { id: 'mentoring', label: 'Mentoring' },
          { id: 'knowledge-sharing', label: 'Knowledge sharing' },
        ],
      });

      await ensureCommunity(db, 'alpha', 'Alpha');
      await ensureCommunity(db, 'zeta', 'Zeta');
      const first = expectOk<CommunityPage>(await server.inject({ method: 'GET', url: '/api/communities?limit=2' }), 'listCommunities');
      assert.deepEqual(first.items.map((c) => c.id), ['alpha', COMMUNITY]);
      assert.equal(typeof first.nextCursor, 'string');
      const second = expectOk<CommunityPage>(
        await server.inject({ method: 'GET', url: `/api/communities?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}` }),
        'listCommunities',
      );
      assert.deepEqual(second, { items: [second.items[0]], nextCursor: null });
      assert.equal(second.items[0]?.id, 'zeta');
    });
  });

  test('getCommunity returns one community, 404 when unknown, 400 when malformed', async () => {
    await withApp(async ({ server }) => {
      const community = expectOk<Community>(await server.inject({ method: 'GET', url: `/api/communities/${COMMUNITY}` }), 'getCommunity');
      assert.equal(community.id, COMMUNITY);
      assert.equal(community.name, 'New Joiners Guild');
      assert.match(community.description ?? '', /Kestrel Labs/);
      assert.equal(community.settings.kudosValues.length, 3);

      const missing = expectProblem(await server.inject({ method: 'GET', url: '/api/communities/nope' }), 404, 'not-found', 'getCommunity');
      assert.equal(missing.instance, '/api/communities/nope');
      expectProblem(await server.inject({ method: 'GET', url: '/api/communities/a%20b' }), 400, 'invalid-request', 'getCommunity');
    });
  });

  test('listMembers lists roles, filters by role and pages', async () => {
    await withApp(async ({ server }) => {
      const all = expectOk<MembershipPage>(await server.inject({ method: 'GET', url: `/api/communities/${COMMUNITY}/members` }), 'listMembers');
      assert.deepEqual(all.items.map((m) => [m.personId, m.role]), [
        ['ada', 'facilitator'],
        ['grace', 'facilitator'],
        ['linus', 'member'],
        ['mei', 'member'],
        ['tomas', 'member'],
      ]);
      assert.ok(all.items.every((m) => m.communityId === COMMUNITY));
      assert.equal(all.nextCursor, null);

      const facilitators = expectOk<MembershipPage>(
        await server.inject({ method: 'GET', url: `/api/communities/${COMMUNITY}/members?role=facilitator` }),
        'listMembers',
      );
      assert.deepEqual(facilitators.items.map((m) => m.personId), ['ada', 'grace']);
      const members = expectOk<MembershipPage>(
        await server.inject({ method: 'GET', url: `/api/communities/${COMMUNITY}/members?role=member&limit=2` }),
        'listMembers',
      );
      assert.deepEqual(members.items.map((m) => m.personId), ['linus', 'mei']);
      const rest = expectOk<MembershipPage>(
        await server.inject({
          method: 'GET',
          url: `/api/communities/${COMMUNITY}/members?role=member&limit=2&cursor=${encodeURIComponent(members.nextCursor ?? '')}`,
        }),
        'listMembers',
      );
      assert.deepEqual(rest.items.map((m) => m.personId), ['tomas']);
      assert.equal(rest.nextCursor, null);

      expectProblem(
        await server.inject({ method: 'GET', url: `/api/communities/${COMMUNITY}/members?role=owner` }),
        400,
        'invalid-request',
        'listMembers',
      );
      expectProblem(await server.inject({ method: 'GET', url: '/api/communities/nope/members' }), 404, 'not-found', 'listMembers');
    });
  });

  test('setMembership lets anyone signed in join as a member, and only that', async () => {
    await withApp(async (app) => {
      const { server, tokenFor } = app;
      const newcomer = { authorization: `Bearer ${await tokenFor('nia', 'Nia Newcomer')}` };
      const url = `/api/communities/${COMMUNITY}/members/me`;

      const joined = expectOk<Membership>(
        await server.inject({ method: 'PUT', url, headers: newcomer, payload: { role: 'member' } }),
        'setMembership',
      );
      assert.equal(joined.communityId, COMMUNITY);
      assert.equal(joined.personId, 'nia');
      assert.equal(joined.role, 'member');
      assert.ok(!Number.isNaN(Date.parse(joined.since)));
      assert.equal(await roleOf(app, 'nia'), 'member');

      // Joining again changes nothing, not even `since`.
      const again = expectOk<Membership>(
        await server.inject({ method: 'PUT', url: `/api/communities/${COMMUNITY}/members/nia`, headers: newcomer, payload: { role: 'member' } }),
        'setMembership',
      );
      assert.deepEqual(again, joined);

      expectProblem(
        await server.inject({ method: 'PUT', url, headers: newcomer, payload: { role: 'facilitator' } }),
        403,
        'forbidden',
        'setMembership',
      );
      assert.equal(await roleOf(app, 'nia'), 'member');

      expectProblem(
        await server.inject({ method: 'PUT', url, payload: { role: 'member' } }),
        401,
        'unauthorized',
        'setMembership',
      );
    });
  });

  test('setMembership: a member may not set roles for others; a facilitator may', async () => {
    await withApp(async (app) => {
      const { server, as } = app;
      const linusUrl = `/api/communities/${COMMUNITY}/members/linus`;

      expectProblem(
        await server.inject({ method: 'PUT', url: linusUrl, headers: await as('mei'), payload: { role: 'facilitator' } }),
        403,
        'forbidden',
        'setMembership',
      );
      expectProblem(
        await server.inject({ method: 'PUT', url: `/api/communities/${COMMUNITY}/members/mei`, headers: await as('linus'), payload: { role: 'member' } }),
        403,
        'forbidden',
        'setMembership',
      );
      assert.equal(await roleOf(app, 'linus'), 'member');

      const promoted = expectOk<Membership>(
        await server.inject({ method: 'PUT', url: linusUrl, headers: await as('ada'), payload: { role: 'facilitator' } }),
        'setMembership',
      );
      assert.equal(promoted.personId, 'linus');
      assert.equal(promoted.role, 'facilitator');
      assert.equal(await roleOf(app, 'linus'), 'facilitator');

      const facilitators = expectOk<MembershipPage>(
        await server.inject({ method: 'GET', url: `/api/communities/${COMMUNITY}/members?role=facilitator` }),
        'listMembers',
      );
      assert.deepEqual(facilitators.items.map((m) => m.personId), ['ada', 'grace', 'linus']);

      const demoted = expectOk<Membership>(
        await server.inject({ method: 'PUT', url: linusUrl, headers: await as('grace'), payload: { role: 'member' } }),
        'setMembership',
      );
      assert.equal(demoted.role, 'member');
      assert.equal(demoted.since, promoted.since, 'a role change keeps the membership date');

      expectProblem(
        await server.inject({ method: 'PUT', url: `/api/communities/${COMMUNITY}/members/nobody`, headers: await as('ada'), payload: { role: 'member' } }),
        404,
        'not-found',
        'setMembership',
      );
      expectProblem(
        await server.inject({ method: 'PUT', url: '/api/communities/nope/members/me', headers: await as('ada'), payload: { role: 'member' } }),
        404,
        'not-found',
        'setMembership',
      );
    });
  });

  test('a facilitator of one community has no say in another', async () => {
    await withApp(async (app) => {
      await ensureCommunity(app.db, 'other-guild', 'Other guild');
      expectProblem(
        await app.server.inject({
          method: 'PUT',
          url: '/api/communities/other-guild/members/linus',
          headers: await app.as('ada'),
          payload: { role: 'member' },
        }),
        403,
        'forbidden',
        'setMembership',
      );
      assert.equal(await roleOf(app, 'linus', 'other-guild'), undefined);
    });
  });
});

describe('kudos', () => {
  test('listKudosSummaries answers a batch in request order, with counts and recent givers', async () => {
    await withApp(async (app) => {
      const items = await summaries(app, [CODE_REVIEW, 'nobody/wrote/this', DEV_ENV]);
      assert.deepEqual(items.map((s) => [s.subject, s.count]), [
        [CODE_REVIEW, 1],
        ['nobody/wrote/this', 0],
        [DEV_ENV, 2],
      ]);
      const [codeReview, empty, devEnv] = items;
      assert.equal(codeReview?.recipient?.id, 'ada');
      assert.deepEqual(codeReview?.recentGivers.map((p) => p.id), ['linus']);
      assert.deepEqual(empty, { subject: 'nobody/wrote/this', count: 0, givenByMe: false, myKudosId: null, recentGivers: [] });
      assert.deepEqual(devEnv?.recipient, { id: 'grace', name: 'Grace Lindqvist', title: 'Learning Designer' });
      assert.deepEqual(devEnv?.recentGivers.map((p) => p.id), ['mei', 'linus'], 'newest first');
    });
  });

  test('listKudosSummaries: givenByMe and myKudosId are the caller’s, and false/null for anonymous callers', async () => {
    await withApp(async (app) => {
      const anonymous = await summaries(app, [DEV_ENV, CODE_REVIEW]);
      assert.deepEqual(anonymous.map((s) => [s.givenByMe, s.myKudosId]), [
        [false, null],
        [false, null],
      ]);

      const [linusDev, linusReview] = await summaries(app, [DEV_ENV, CODE_REVIEW], 'linus');
      const [meiDev, meiReview] = await summaries(app, [DEV_ENV, CODE_REVIEW], 'mei');
      const ids = (await kudosRows(app.db)).map((row) => ({ id: String(row.id), giver: row.giver_id, subject: row.subject }));
      const idOf = (giver: string, subject: string) => ids.find((k) => k.giver === giver && k.subject === subject)?.id;

      assert.equal(linusDev?.givenByMe, true);
      assert.equal(linusDev?.myKudosId, idOf('linus', DEV_ENV));
      assert.equal(linusReview?.givenByMe, true);
      assert.equal(linusReview?.myKudosId, idOf('linus', CODE_REVIEW));
      assert.equal(meiDev?.givenByMe, true);
      assert.equal(meiDev?.myKudosId, idOf('mei', DEV_ENV));
      assert.notEqual(meiDev?.myKudosId, linusDev?.myKudosId);
      assert.deepEqual([meiReview?.givenByMe, meiReview?.myKudosId], [false, null]);
      assert.equal(meiDev?.count, 2, 'counts do not depend on the viewer');
    });
  });

  test('listKudosSummaries names at most five recent givers, newest first', async () => {
    await withApp(async (app) => {
      const subject = 'talks/2024/lightning';
      const givers = ['grace', 'linus', 'mei', 'tomas', 'ravi', 'sun'];
      for (const giver of givers) {
        expectOk(await give(app, giver, { subject, recipientId: 'ada' }), 'giveKudos', 201);
      }
      const [summary] = await summaries(app, [subject]);
      assert.equal(summary?.count, 6);
      assert.deepEqual(summary?.recentGivers.map((p) => p.id), ['sun', 'ravi', 'tomas', 'mei', 'linus']);
    });
  });

  test('listKudosSummaries rejects a missing, oversized or malformed subject list', async () => {
    await withApp(async ({ server }) => {
      const bad = [
        '/api/kudos/summaries',
        '/api/kudos/summaries?subjects=',
        `/api/kudos/summaries?subjects=${Array.from({ length: 101 }, (_, i) => `s${i}`).join(',')}`,
        `/api/kudos/summaries?subjects=${'x'.repeat(513)}`,
        '/api/kudos/summaries?subjects=has%20space',
      ];
      for (const url of bad) {
        const problem = expectProblem(await server.inject({ method: 'GET', url }), 400, 'invalid-request', 'listKudosSummaries');
        assert.ok(problem.errors?.some((e) => e.pointer.startsWith('/query/subjects')), `${url}: ${JSON.stringify(problem.errors)}`);
      }
    });
  });

  test('giveKudos creates kudos (201) and returns the subject summary from the giver’s view', async () => {
    await withApp(async (app) => {
      const response = await give(app, 'mei', {
        subject: CODE_REVIEW,
        recipientId: 'ada',
        message: 'Thanks for the thorough review!',
        value: 'mentoring',
      });
      const receipt = expectOk<Receipt>(response, 'giveKudos', 201);
      const { kudos, summary } = receipt;
      assert.equal(kudos.subject, CODE_REVIEW);
      assert.equal(kudos.giver.id, 'mei');
      assert.equal(kudos.recipient.id, 'ada');
      assert.equal(kudos.communityId, COMMUNITY);
      assert.equal(kudos.message, 'Thanks for the thorough review!');
      assert.equal(kudos.value, 'mentoring');
      assert.equal(kudos.status, 'given');
      assert.ok(Math.abs(Date.parse(kudos.createdAt) - Date.now()) < 60_000);
      assert.deepEqual(
        { ...summary, recipient: summary.recipient?.id, recentGivers: summary.recentGivers.map((p) => p.id) },
        { subject: CODE_REVIEW, count: 2, givenByMe: true, myKudosId: kudos.id, recipient: 'ada', recentGivers: ['mei', 'linus'] },
      );

      const rows = await kudosRows(app.db);
      assert.equal(rows.length, 4);
      assert.equal(String(rows.at(-1)?.id), kudos.id);
      assert.equal(await countRows(app.db, 'events'), 1);

      const [seenByOthers] = await summaries(app, [CODE_REVIEW], 'tomas');
      assert.equal(seenByOthers?.count, 2);
      assert.equal(seenByOthers?.givenByMe, false);
    });
  });

  test('giveKudos credits the subject’s earlier recipient when none is named', async () => {
    await withApp(async (app) => {
      const receipt = expectOk<Receipt>(await give(app, 'tomas', { subject: DEV_ENV }), 'giveKudos', 201);
      assert.equal(receipt.kudos.recipient.id, 'grace');
      assert.equal(receipt.summary.count, 3);
    });
  });

  test('giveKudos business rules answer 422/409/404 problems and write nothing', async () => {
    await withApp(async (app) => {
      const cases: { giver: string; body: Record<string, unknown>; status: number; code: string }[] = [
        { giver: 'ada', body: { subject: 'brand/new/subject' }, status: 422, code: 'recipient-required' },
        { giver: 'ada', body: { subject: 'brand/new/subject', recipientId: 'ada' }, status: 422, code: 'self-kudos' },
        { giver: 'ada', body: { subject: 'brand/new/subject', recipientId: 'me' }, status: 422, code: 'self-kudos' },
        // The implied recipient of this subject is grace herself.
        { giver: 'grace', body: { subject: DEV_ENV }, status: 422, code: 'self-kudos' },
        { giver: 'ada', body: { subject: 'brand/new/subject', recipientId: 'nobody' }, status: 422, code: 'unknown-recipient' },
        { giver: 'ada', body: { subject: DEV_ENV, value: 'bravery' }, status: 422, code: 'unknown-value' },
        { giver: 'ada', body: { subject: DEV_ENV, communityId: 'nope' }, status: 404, code: 'not-found' },
        { giver: 'linus', body: { subject: DEV_ENV }, status: 409, code: 'already-given' },
        { giver: 'linus', body: { subject: DEV_ENV, recipientId: 'mei' }, status: 409, code: 'already-given' },
      ];
      const before = await kudosRows(app.db);
      for (const { giver, body, status, code } of cases) {
        const problem = expectProblem(await give(app, giver, body), status, code, 'giveKudos');
        assert.equal(problem.instance, '/api/kudos');
        assert.ok(problem.detail, `${code} explains itself`);
      }
      assert.deepEqual(await kudosRows(app.db), before);
      assert.equal(await countRows(app.db, 'events'), 0);
      const [summary] = await summaries(app, [DEV_ENV]);
      assert.equal(summary?.count, 2);
    });
  });

  test('giveKudos needs a signed-in person', async () => {
    await withApp(async (app) => {
      const response = await app.server.inject({
        method: 'POST',
        url: '/api/kudos',
        headers: { 'idempotency-key': 'anonymous-key-1' },
        payload: { subject: DEV_ENV },
      });
      const problem = expectProblem(response, 401, 'unauthorized', 'giveKudos');
      assert.match(problem.detail ?? '', /signed-in/);
      assert.equal(response.headers['www-authenticate'], 'Bearer');
      assert.equal(await countRows(app.db, 'kudos'), 3);
    });
  });

  test('withdrawKudos takes kudos back (200), only by its giver, and then it can be given again', async () => {
    await withApp(async (app) => {
      const { server } = app;
      const given = expectOk<Receipt>(await give(app, 'tomas', { subject: CODE_REVIEW, value: 'helpful' }), 'giveKudos', 201);
      const url = `/api/kudos/${given.kudos.id}`;

      expectProblem(await server.inject({ method: 'DELETE', url, headers: await app.as('ada') }), 403, 'forbidden', 'withdrawKudos');
      expectProblem(await server.inject({ method: 'DELETE', url }), 401, 'unauthorized', 'withdrawKudos');
      assert.equal(await countRows(app.db, 'kudos'), 4);

      const withdrawn = expectOk<Receipt>(await server.inject({ method: 'DELETE', url, headers: await app.as('tomas') }), 'withdrawKudos');
      assert.deepEqual(withdrawn.kudos, given.kudos);
      assert.deepEqual(
        { ...withdrawn.summary, recentGivers: withdrawn.summary.recentGivers.map((p) => p.id) },
        { subject: CODE_REVIEW, count: 1, givenByMe: false, myKudosId: null, recipient: given.kudos.recipient, recentGivers: ['linus'] },
      );
      assert.equal(await countRows(app.db, 'kudos'), 3);
      const [summary] = await summaries(app, [CODE_REVIEW], 'tomas');
      assert.deepEqual([summary?.count, summary?.givenByMe, summary?.myKudosId], [1, false, null]);

      expectProblem(await server.inject({ method: 'DELETE', url, headers: await app.as('tomas') }), 404, 'not-found', 'withdrawKudos');

      const again = expectOk<Receipt>(await give(app, 'tomas', { subject: CODE_REVIEW }), 'giveKudos', 201);
      assert.notEqual(again.kudos.id, given.kudos.id);
      assert.equal(again.summary.count, 2);
      assert.equal(again.summary.myKudosId, again.kudos.id);
      assert.equal(await countRows(app.db, 'events'), 3, 'given, withdrawn, given');
    });
  });

  test('withdrawKudos answers 404 for kudos that do not exist', async () => {
    await withApp(async (app) => {
      const headers = await app.as('linus');
      for (const id of ['999', 'abc', '1e3']) {
        const problem = expectProblem(
          await app.server.inject({ method: 'DELETE', url: `/api/kudos/${id}`, headers }),
          404,
          'not-found',
          'withdrawKudos',
        );
        assert.equal(problem.instance, `/api/kudos/${id}`);
      }
      assert.equal(await countRows(app.db, 'kudos'), 3);
    });
  });
});
