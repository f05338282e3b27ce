import type { Kysely } from 'kysely';
import type { components } from '../../src/api/schema.js';
import type { Selectable } from 'kysely';
import { now, type CommunityRow, type Database, type MembershipsTable, type PersonRow } from '../db.js';
import { problems } from '../problems.js';
import { decodeCursor, encodeCursor, pageLimit } from './paging.js';

type Schemas = components['schemas'];

export function toPerson(row: PersonRow): Schemas['Person'] {
  return {
    id: row.id,
    name: row.name,
    ...(row.title ? { title: row.title } : {}),
    ...(row.avatar_url ? { avatarUrl: row.avatar_url } : {}),
  };
}

function parseValues(json: string): Schemas['KudosValue'][] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((item: unknown) =>
    typeof item === 'object' && item !== null && 'id' in item && 'label' in item &&
    typeof item.id === 'string' && typeof item.label === 'string'
      ? [{ id: item.id, label: item.label }]
      : [],
  );
}

export function toCommunity(row: CommunityRow): Schemas['Community'] {
  return {
    id: row.id,
    name: row.name,
    ...(row.description ? { description: row.description } : {}),
    settings: {
      kudosAllowancePerWeek: row.kudos_allowance_per_week,
      rankingAllowed: row.ranking_allowed === 1,
      reviewIntervalDays: row.review_interval_days,
      kudosValues: parseValues(row.kudos_values),
    },
  };
}

export function toMembership(row: Selectable<MembershipsTable>): Schemas['Membership'] {
  return { communityId: row.community_id, personId: row.person_id, role: row.role, since: row.since };
}

export async function getPersonOr404(db: Kysely<Database>, id: string): Promise<PersonRow> {
  const row = await db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw problems.notFound(`No person with id ${id}.`);
  return row;
}

export async function getMe(db: Kysely<Database>, person: PersonRow): Promise<Schemas['Me']> {
  const memberships = await db
    .selectFrom('memberships')
    .selectAll()
    .where('person_id', '=', person.id)
    .orderBy('community_id')
    .execute();
  const preferences = await getPreferences(db, person.id);
  return {
    person: toPerson(person),
    memberships: memberships.map(toMembership),
    ...(preferences ? { preferences } : {}),
  };
}

/** A person's preferences, or `undefined` for someone who never set any (the defaults). */
export async function getPreferences(db: Kysely<Database>, personId: string): Promise<Schemas['Preferences'] | undefined> {
  const row = await db.selectFrom('person_preferences').selectAll().where('person_id', '=', personId).executeTakeFirst();
  return row ? { spotlightOptOut: row.spotlight_opt_out === 1 } : undefined;
}

/** Replaces the signed-in person's own preferences (there is no way to name anyone else). */
export async function setPreferences(
  db: Kysely<Database>,
  person: PersonRow,
  input: Schemas['PreferencesInput'],
): Promise<Schemas['Preferences']> {
  const values = { spotlight_opt_out: input.spotlightOptOut ? 1 : 0, updated_at: now() };
  await db
    .insertInto('person_preferences')
    .values({ person_id: person.id, ...values })
    .onConflict((oc) => oc.column('person_id').doUpdateSet(values))
    .execute();
  return { spotlightOptOut: input.spotlightOptOut };
}

export async function listPeople(
  db: Kysely<Database>,
  query: { ids?: string[]; query?: string; community?: string; cursor?: string; limit?: number },
): Promise<Schemas['PersonPage']> {
  const limit = pageLimit(query.limit);
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  let select = db.selectFrom('people').selectAll('people');
  if (query.ids) select = select.where('people.id', 'in', query.ids.length ? query.ids : ['\u0000']);
  if (query.query) {
    // Wildcards are dropped rather than escaped: LIKE escaping differs between SQLite and PostgreSQL.
    const prefix = query.query.toLowerCase().replace(/[\\%_]/g, '');
    select = select.where((eb) => eb(eb.fn('lower', ['people.name']), 'like', `${prefix}%`));
  }
  if (query.community) {
    select = select
      .innerJoin('memberships', 'memberships.person_id', 'people.id')
      .where('memberships.community_id', '=', query.community);
  }
  if (after) select = select.where('people.id', '>', after);
  const rows = await select.orderBy('people.id').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(toPerson), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
