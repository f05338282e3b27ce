import type { Kysely } from 'kysely';
import type { components } from '../../src/api/schema.js';
import { now, type Database, type PersonRow } from '../db.js';
import { problems } from '../problems.js';
import { decodeCursor, encodeCursor, pageLimit } from './paging.js';
import { getPersonOr404, toCommunity, toMembership } from './people.js';

type Schemas = components['schemas'];

export async function getCommunityRow(db: Kysely<Database>, id: string) {
  const row = await db.selectFrom('communities').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw problems.notFound(`No community with id ${id}.`);
  return row;
}

export async function listCommunities(
  db: Kysely<Database>,
  query: { cursor?: string; limit?: number },
): Promise<Schemas['CommunityPage']> {
  const limit = pageLimit(query.limit);
  let select = db.selectFrom('communities').selectAll();
  if (query.cursor) select = select.where('id', '>', decodeCursor(query.cursor));
  const rows = await select.orderBy('id').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(toCommunity), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

export async function roleIn(db: Kysely<Database>, communityId: string, personId: string) {
  const row = await db
    .selectFrom('memberships')
    .select('role')
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row?.role;
}

export async function listMembers(
  db: Kysely<Database>,
  communityId: string,
  query: { role?: Schemas['Role']; cursor?: string; limit?: number },
): Promise<Schemas['MembershipPage']> {
  await getCommunityRow(db, communityId);
  const limit = pageLimit(query.limit);
  let select = db.selectFrom('memberships').selectAll().where('community_id', '=', communityId);
  if (query.role) select = select.where('role', '=', query.role);
  if (query.cursor) select = select.where('person_id', '>', decodeCursor(query.cursor));
  const rows = await select.orderBy('person_id').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(toMembership),
    nextCursor: rows.length > limit && last ? encodeCursor(last.person_id) : null,
  };
}

export async function setMembership(
  db: Kysely<Database>,
  actor: PersonRow,
  communityId: string,
  personId: string,
  role: Schemas['Role'],
): Promise<Schemas['Membership']> {
  await getCommunityRow(db, communityId);
  const target = personId === 'me' ? actor.id : personId;
  await getPersonOr404(db, target);
  // Who may set which role is decided before this runs (server/access.ts).
  const selfJoin = target === actor.id && role === 'member';
  const existing = await db
    .selectFrom('memberships')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('person_id', '=', target)
    .executeTakeFirst();
  if (selfJoin && existing) {
    // Joining again never demotes a facilitator.
    return { communityId, personId: target, role: existing.role, since: existing.since };
  }
  const since = existing?.since ?? now();
  const roleChanged = existing !== undefined && existing.role !== role;
  await db
    .insertInto('memberships')
    .values({ community_id: communityId, person_id: target, role, since, role_since: null })
    .onConflict((oc) => oc.columns(['community_id', 'person_id']).doUpdateSet(roleChanged ? { role, role_since: now() } : { role }))
    .execute();
  return { communityId, personId: target, role, since };
}
