import type { Kysely } from 'kysely';
import { now, type Database } from './db.js';

export interface DemoPerson {
  id: string;
  name: string;
  title: string;
  lang: string;
}

/** The sample people of Kestrel Labs' onboarding course. */
export const DEMO_PEOPLE: DemoPerson[] = [
  { id: 'ada', name: 'Ada Okafor', title: 'Staff Engineer · onboarding buddy', lang: 'en' },
  { id: 'grace', name: 'Grace Lindqvist', title: 'Learning Designer', lang: 'en' },
  { id: 'linus', name: 'Linus Mbeki', title: 'Junior Developer, week 1', lang: 'en' },
  { id: 'mei', name: 'Mei Tanaka', title: 'Product Manager', lang: 'en' },
  { id: 'tomas', name: 'Tomás Weber', title: 'Support Lead, Berlin', lang: 'de' },
];

const DEFAULT_VALUES = [
  { id: 'helpful', label: 'Helpful' },
  { id: 'mentoring', label: 'Mentoring' },
  { id: 'knowledge-sharing', label: 'Knowledge sharing' },
];

/** Makes sure the default community exists, so kudos that name no community have a home. */
export async function ensureCommunity(db: Kysely<Database>, id: string, name: string, description?: string): Promise<void> {
  await db
    .insertInto('communities')
    .values({
      id,
      name,
      description: description ?? null,
      kudos_allowance_per_week: 10,
      ranking_allowed: 0,
      review_interval_days: 90,
      kudos_values: JSON.stringify(DEFAULT_VALUES),
      created_at: now(),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Seeds the demo once: people, their roles, and a little history so the page is not empty. */
export async function seedDemo(db: Kysely<Database>, communityId: string): Promise<void> {
  await ensureCommunity(
    db,
    communityId,
    'New Joiners Guild',
    'Everyone who is learning the ropes at Kestrel Labs, and everyone who helps them.',
  );
  const existing = await db.selectFrom('people').select('id').where('id', '=', 'ada').executeTakeFirst();
  if (existing) return;
  const at = now();
  await db
    .insertInto('people')
    .values(DEMO_PEOPLE.map((p) => ({ id: p.id, name: p.name, title: p.title, avatar_url: null, created_at: at })))
    .execute();
  await db
    .insertInto('memberships')
    .values(
      DEMO_PEOPLE.map((p) => ({
        community_id: communityId,
        person_id: p.id,
        role: p.id === 'ada' || p.id === 'grace' ? ('facilitator' as const) : ('member' as const),
        since: at,
      })),
    )
    .execute();
  const kudos = [
    { subject: 'onboarding/week-1/dev-environment', giver: 'linus', recipient: 'grace', value: 'helpful' },
    { subject: 'onboarding/week-1/dev-environment', giver: 'mei', recipient: 'grace', value: 'knowledge-sharing' },
    { subject: 'onboarding/week-1/code-review', giver: 'linus', recipient: 'ada', value: 'mentoring' },
  ];
  await db
    .insertInto('kudos')
    .values(
      kudos.map((k) => ({
        subject: k.subject,
        giver_id: k.giver,
        recipient_id: k.recipient,
        community_id: communityId,
        message: null,
        value: k.value,
        status: 'given' as const,
        decline_message: null,
        created_at: at,
      })),
    )
    .execute();
}
