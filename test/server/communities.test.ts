import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureCommunity } from '../../server/seed.js';
import { COMMUNITY, expectOk, expectProblem, withApp, type TestApp } from './helpers.js';

interface Community {
  id: string;
  name: string;
  description?: string;
  settings: {
    kudosAllowancePerWeek: number;
    rankingAllowed: boolean;
    reviewIntervalDays: number;
    kudosValues: { id: string; label: string }[];
  };
}
interface Membership {
  communityId: string;
  personId: string;
  role: 'member' | 'facilitator';
  since: string;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

async function roleOf(app: TestApp, personId: string, communityId = COMMUNITY): Promise<string | undefined> {
  const row = await app.db
    .selectFrom('memberships')
    .select('role')
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row?.role;
}

test('listCommunities lists communities with their settings and pages by cursor', async () => {
  await withApp(async ({ server, db }) => {
    const only = expectOk<Page<Community>>(await server.inject({ method: 'GET', url: '/api/communities' }), 'listCommunities');
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
    const first = expectOk<Page<Community>>(await server.inject({ method: 'GET', url: '/api/communities?limit=2' }), 'listCommunities');
    assert.deepEqual(first.items.map((c) => c.id), ['alpha', COMMUNITY]);
    assert.equal(typeof first.nextCursor, 'string');
    const second = expectOk<Page<Community>>(
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
    const all = expectOk<Page<Membership>>(await server.inject({ method: 'GET', url: `/api/communities/${COMMUNITY}/members` }), 'listMembers');
    assert.deepEqual(all.items.map((m) => [m.personId, m.role]), [
      ['ada', 'facilitator'],
      ['grace', 'facilitator'],
      ['linus', 'member'],
      ['mei', 'member'],
      ['tomas', 'member'],
    ]);
    assert.ok(all.items.every((m) => m.communityId === COMMUNITY));
    assert.equal(all.nextCursor, null);

    const facilitators = expectOk<Page<Membership>>(
      await server.inject({ method: 'GET', url: `/api/communities/${COMMUNITY}/members?role=facilitator` }),
      'listMembers',
    );
    assert.deepEqual(facilitators.items.map((m) => m.personId), ['ada', 'grace']);
    const members = expectOk<Page<Membership>>(
      await server.inject({ method: 'GET', url: `/api/communities/${COMMUNITY}/members?role=member&limit=2` }),
      'listMembers',
    );
    assert.deepEqual(members.items.map((m) => m.personId), ['linus', 'mei']);
    const rest = expectOk<Page<Membership>>(
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

    const facilitators = expectOk<Page<Membership>>(
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
