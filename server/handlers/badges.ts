import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { components } from '../../src/api/schema.js';
import { CREDENTIAL_CONTEXT, type CredentialIssuer } from '../credentials.js';
import { clock, now, type AchievementRow, type AwardRow, type CommunityRow, type Database, type PersonRow } from '../db.js';
import type { EventBus, GuildEvent } from '../events.js';
import { problems } from '../problems.js';
import { cardCounts } from './cards.js';
import { getCommunityRow, roleIn } from './communities.js';
import { decodeNumberCursor, encodeCursor, pageLimit } from './paging.js';
import { toPerson } from './people.js';

type Schemas = components['schemas'];
export type MeasureKind = Schemas['AchievementMeasure']['kind'];

export interface BadgeContext {
  db: Kysely<Database>;
  events: EventBus;
  issuer: CredentialIssuer;
  defaultCommunity: string;
}

const DAY_MS = 86_400_000;

/** The badges every community starts with; `{community}.{slug}` is each one's id. */
export const DEFAULT_ACHIEVEMENTS: {
  slug: string;
  name: string;
  description: string;
  criteria: string;
  category: string;
  tags: string[];
  measure?: { kind: MeasureKind; target: number; value?: string };
  validityDays?: number;
  alignment?: { targetName: string; targetUrl: string }[];
}[] = [
  {
    slug: 'first-contribution',
    name: 'First contribution',
    description: 'Took part in the community for the first time.',
    criteria: 'Write your first comment in one of the community’s discussions.',
    category: 'participation',
    tags: ['welcome'],
    measure: { kind: 'comments', target: 1 },
  },
  {
    slug: 'regular',
    name: 'Regular voice',
    description: 'Keeps the conversation going.',
    criteria: 'Write 10 comments in the community’s discussions.',
    category: 'participation',
    tags: ['discussion'],
    measure: { kind: 'comments', target: 10 },
  },
  {
    slug: 'helpful',
    name: 'Helpful',
    description: 'Thanked by colleagues again and again.',
    criteria: 'Receive 5 kudos from other members of the community.',
    category: 'recognition',
    tags: ['kudos'],
    measure: { kind: 'kudos-received', target: 5 },
  },
  {
    slug: 'mentor',
    name: 'Mentor',
    description: 'Helps others grow: thanked for mentoring.',
    criteria: 'Receive 3 kudos for the value “Mentoring”.',
    category: 'recognition',
    tags: ['kudos', 'mentoring'],
    measure: { kind: 'kudos-received', target: 3, value: 'mentoring' },
    alignment: [{ targetName: 'ESCO: mentor individuals', targetUrl: 'http://data.europa.eu/esco/skill/2dd3bfb1-0f46-4a87-8d1b-d2b73bbbcde4' }],
  },
  {
    slug: 'problem-solver',
    name: 'Problem solver',
    description: 'Gives the answers people accept.',
    criteria: 'Have 3 of your answers accepted in question threads.',
    category: 'expertise',
    tags: ['questions'],
    measure: { kind: 'accepted-answers', target: 3 },
    validityDays: 365,
  },
  {
    slug: 'knowledge-keeper',
    name: 'Knowledge keeper',
    description: 'Keeps the community’s knowledge true.',
    criteria: 'Verify 3 knowledge cards as an expert.',
    category: 'expertise',
    tags: ['knowledge'],
    measure: { kind: 'cards-verified', target: 3 },
    validityDays: 365,
  },
  {
    slug: 'author',
    name: 'Author',
    description: 'Writes down what the community knows.',
    criteria: 'Write 3 knowledge cards.',
    category: 'expertise',
    tags: ['knowledge'],
    measure: { kind: 'cards-written', target: 3 },
  },
  {
    slug: 'facilitator',
    name: 'Facilitator',
    description: 'Looks after the community and its members.',
    criteria: 'Be made a facilitator of the community.',
    category: 'community',
    tags: ['leadership'],
    measure: { kind: 'facilitator', target: 1 },
  },
  {
    slug: 'community-champion',
    name: 'Community champion',
    description: 'Awarded by the facilitators for an outstanding contribution.',
    criteria: 'Awarded by hand by a facilitator, with evidence of the contribution.',
    category: 'community',
    tags: ['leadership'],
  },
];

/** Creates the default badges of a community that lacks them (existing ones are left as they are). */
export async function ensureAchievements(db: Kysely<Database>, communityId: string): Promise<void> {
  const created = now();
  await db
    .insertInto('achievements')
    .values(
      DEFAULT_ACHIEVEMENTS.map((a, position) => ({
        id: `${communityId}.${a.slug}`,
        community_id: communityId,
        name: a.name,
        description: a.description,
        criteria: a.criteria,
        image_url: `/badges/images/${a.slug}.svg`,
        category: a.category,
        tags: JSON.stringify(a.tags),
        alignment: JSON.stringify(a.alignment ?? []),
        validity_days: a.validityDays ?? null,
        measure_kind: a.measure?.kind ?? null,
        measure_target: a.measure?.target ?? null,
        measure_value: a.measure?.value ?? null,
        position,
        created_at: created,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

function jsonArray<T>(text: string): T[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? (parsed as T[]) : [];
}

function toAchievement(row: AchievementRow, earnedCount: number, issuer: CredentialIssuer): Schemas['Achievement'] {
  const tags = jsonArray<string>(row.tags);
  const alignment = jsonArray<{ targetName: string; targetUrl: string }>(row.alignment);
  return {
    id: row.id,
    type: 'Achievement',
    name: row.name,
    description: row.description,
    criteria: { narrative: row.criteria },
    image: { id: issuer.absolute(row.image_url), caption: row.name },
    ...(row.category ? { category: row.category } : {}),
    ...(tags.length ? { tags } : {}),
    ...(alignment.length ? { alignment } : {}),
    ...(row.validity_days ? { validityDays: row.validity_days } : {}),
    ...(row.measure_kind && row.measure_target
      ? {
          measure: {
            kind: row.measure_kind as MeasureKind,
            target: row.measure_target,
            ...(row.measure_value ? { value: row.measure_value } : {}),
          },
        }
      : {}),
    communityId: row.community_id,
    earnedCount,
  };
}

async function earnedCounts(db: Kysely<Database>, achievementIds: string[]): Promise<Map<string, number>> {
  if (achievementIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('awards')
    .select(['achievement_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where('achievement_id', 'in', achievementIds)
    .where('revoked_at', 'is', null)
    .groupBy('achievement_id')
    .execute();
  return new Map(rows.map((row) => [row.achievement_id, Number(row.count)]));
}

function awardStatus(row: AwardRow): Schemas['Award']['result']['status'] {
  if (row.revoked_at) return 'Revoked';
  if (row.valid_until && Date.parse(row.valid_until) <= clock.nowMs()) return 'Expired';
  return 'Completed';
}

/** Turns award rows into the contract's `Award`s, reading what they refer to in a few queries. */
async function toAwards(context: BadgeContext, rows: AwardRow[]): Promise<Schemas['Award'][]> {
  if (rows.length === 0) return [];
  const { db, issuer } = context;
  const achievementIds = [...new Set(rows.map((row) => row.achievement_id))];
  const peopleIds = [...new Set(rows.flatMap((row) => (row.awarded_by ? [row.recipient_id, row.awarded_by] : [row.recipient_id])))];
  const communityIds = [...new Set(rows.map((row) => row.community_id))];
  const [achievements, people, communities, counts] = await Promise.all([
    db.selectFrom('achievements').selectAll().where('id', 'in', achievementIds).execute(),
    db.selectFrom('people').selectAll().where('id', 'in', peopleIds).execute(),
    db.selectFrom('communities').selectAll().where('id', 'in', communityIds).execute(),
    earnedCounts(db, achievementIds),
  ]);
  const achievementById = new Map(achievements.map((a) => [a.id, a]));
  const personById = new Map(people.map((p) => [p.id, p]));
  const communityById = new Map(communities.map((c) => [c.id, c]));
  return rows.flatMap((row) => {
    const achievement = achievementById.get(row.achievement_id);
    const recipient = personById.get(row.recipient_id);
    const community = communityById.get(row.community_id);
    if (!achievement || !recipient || !community) return [];
    const awarder = row.awarded_by ? personById.get(row.awarded_by) : undefined;
    return [
      {
        id: row.id,
        achievement: toAchievement(achievement, counts.get(achievement.id) ?? 0, issuer),
        recipient: toPerson(recipient),
        issuer: { id: issuer.issuerId(community.id), name: community.name },
        validFrom: row.issued_at,
        ...(row.valid_until ? { validUntil: row.valid_until } : {}),
        result: {
          status: awardStatus(row),
          ...(row.revocation_reason ? { revocationReason: row.revocation_reason } : {}),
        },
        evidence: jsonArray<Schemas['Evidence']>(row.evidence),
        credentialUrl: issuer.credentialUrl(row.id),
        verificationUrl: issuer.verificationUrl(row.id),
        ...(awarder ? { awardedBy: toPerson(awarder) } : {}),
      },
    ];
  });
}

async function awardRow(db: Kysely<Database>, id: string): Promise<AwardRow> {
  const row = await db.selectFrom('awards').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw problems.notFound(`No award with id ${id}.`);
  return row;
}

/** How far a person has come towards a measure, counted from what the server already records. */
async function measureCount(
  db: Kysely<Database>,
  personId: string,
  communityId: string,
  kind: MeasureKind,
  value: string | null,
): Promise<number> {
  switch (kind) {
    case 'comments': {
      const row = await db
        .selectFrom('comments')
        .innerJoin('threads', 'threads.subject', 'comments.subject')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('comments.author_id', '=', personId)
        .where('comments.state', '=', 'visible')
        .where('threads.community_id', '=', communityId)
        .executeTakeFirst();
      return Number(row?.count ?? 0);
    }
    case 'accepted-answers': {
      const row = await db
        .selectFrom('threads')
        .innerJoin('comments', 'comments.id', 'threads.accepted_comment_id')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('comments.author_id', '=', personId)
        .where('comments.state', '=', 'visible')
        .where('threads.community_id', '=', communityId)
        .where('threads.mode', '=', 'question')
        // Accepting your own answer to your own question earns nothing (as in the spotlight).
        .whereRef('comments.author_id', '!=', 'threads.created_by')
        .executeTakeFirst();
      return Number(row?.count ?? 0);
    }
    case 'kudos-received': {
      let query = db
        .selectFrom('kudos')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('recipient_id', '=', personId)
        .where('community_id', '=', communityId)
        .where('status', '=', 'given');
      if (value) query = query.where('value', '=', value);
      const row = await query.executeTakeFirst();
      return Number(row?.count ?? 0);
    }
    case 'facilitator':
      return (await roleIn(db, communityId, personId)) === 'facilitator' ? 1 : 0;
    case 'cards-written':
    case 'cards-verified':
      return cardCounts(db, personId, communityId, kind);
  }
}

/** Counts each distinct measure once, however many achievements share it. */
function counter(db: Kysely<Database>, personId: string, communityId: string) {
  const memo = new Map<string, Promise<number>>();
  return (row: AchievementRow): Promise<number> => {
    if (!row.measure_kind) return Promise.resolve(0);
    const key = `${row.measure_kind}\u0000${row.measure_value ?? ''}`;
    let count = memo.get(key);
    if (!count) {
      count = measureCount(db, personId, communityId, row.measure_kind as MeasureKind, row.measure_value);
      memo.set(key, count);
    }
    return count;
  };
}

function credentialPayload(
  context: BadgeContext,
  award: { id: string; seq: number; issuedAt: string; validUntil: string | null; evidence: Schemas['Evidence'][] },
  achievement: AchievementRow,
  recipient: PersonRow,
  community: CommunityRow,
): Record<string, unknown> {
  const { issuer } = context;
  const issuerId = issuer.issuerId(community.id);
  const id = `urn:uuid:${award.id}`;
  const subjectId = issuer.personUrl(recipient.id);
  const alignment = jsonArray<{ targetName: string; targetUrl: string }>(achievement.alignment);
  const tags = jsonArray<string>(achievement.tags);
  const statusList = issuer.statusListUrl(community.id);
  return {
    '@context': [...CREDENTIAL_CONTEXT],
    id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: issuerId, type: ['Profile'], name: community.name, url: issuer.publicUrl },
    validFrom: award.issuedAt,
    ...(award.validUntil ? { validUntil: award.validUntil } : {}),
    name: achievement.name,
    credentialSubject: {
      id: subjectId,
      type: ['AchievementSubject'],
      name: recipient.name,
      achievement: {
        id: `${issuerId}#achievement-${achievement.id}`,
        type: ['Achievement'],
        name: achievement.name,
        description: achievement.description,
        criteria: { narrative: achievement.criteria },
        image: { id: issuer.absolute(achievement.image_url), type: 'Image', caption: achievement.name },
        achievementType: 'Badge',
        ...(tags.length ? { tag: tags } : {}),
        ...(alignment.length ? { alignment: alignment.map((a) => ({ type: ['Alignment'], ...a })) } : {}),
      },
    },
    ...(award.evidence.length
      ? { evidence: award.evidence.map((e) => ({ ...e, id: issuer.absolute(e.id), type: ['Evidence'] })) }
      : {}),
    credentialStatus: {
      id: `${statusList}#${award.seq}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(award.seq),
      statusListCredential: statusList,
    },
    iss: issuerId,
    jti: id,
    sub: subjectId,
    nbf: Math.floor(Date.parse(award.issuedAt) / 1000),
    ...(award.validUntil ? { exp: Math.floor(Date.parse(award.validUntil) / 1000) } : {}),
  };
}

/**
 * Awards `achievement` to `recipient` unless they already have it (revoked or not): the unique pair
 * makes this exactly-once however many requests race here. The row, its signed credential and the
 * `award.changed` event are written in one transaction. Returns `undefined` when already awarded.
 */
async function issueAward(
  context: BadgeContext,
  achievement: AchievementRow,
  recipient: PersonRow,
  evidence: Schemas['Evidence'][],
  awardedBy: PersonRow | undefined,
): Promise<Schemas['Award'] | undefined> {
  const { db, events } = context;
  const community = await getCommunityRow(db, achievement.community_id);
  const id = randomUUID();
  const issuedAt = now();
  const validUntil = achievement.validity_days ? new Date(Date.parse(issuedAt) + achievement.validity_days * DAY_MS).toISOString() : null;
  await context.issuer.ready();
  const recorded = await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('awards')
      .values({
        id,
        achievement_id: achievement.id,
        recipient_id: recipient.id,
        community_id: community.id,
        issued_at: issuedAt,
        valid_until: validUntil,
        evidence: JSON.stringify(evidence),
        awarded_by: awardedBy?.id ?? null,
        revoked_at: null,
        revocation_reason: null,
        credential: '',
      })
      .onConflict((oc) => oc.columns(['achievement_id', 'recipient_id']).doNothing())
      .returning('seq')
      .executeTakeFirst();
    if (!inserted) return undefined;
    const seq = Number(inserted.seq);
    const credential = await context.issuer.sign(
      credentialPayload(context, { id, seq, issuedAt, validUntil, evidence }, achievement, recipient, community),
      community.id,
    );
    await trx.updateTable('awards').set({ credential }).where('seq', '=', seq).execute();
    const row = await trx.selectFrom('awards').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
    const [award] = await toAwards({ ...context, db: trx }, [row]);
    if (!award) throw new Error(`Award ${id} could not be read back.`);
    const event = await events.record(trx, { type: 'award.changed', occurredAt: issuedAt, action: 'created', award });
    return { award, event };
  });
  if (!recorded) return undefined;
  events.publish(recorded.event);
  return recorded.award;
}

/**
 * Awards every badge `personId` has now earned in `communityId` through activity of these kinds.
 * Called after the activity's own transaction has committed; a failure here never undoes the
 * activity, and the next qualifying activity (or the start-up catch-up) awards what was missed.
 */
export async function evaluateAwards(
  context: BadgeContext,
  personId: string,
  communityId: string,
  kinds: readonly MeasureKind[],
): Promise<Schemas['Award'][]> {
  const { db } = context;
  const candidates = await db
    .selectFrom('achievements')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('measure_kind', 'in', [...kinds])
    .where((eb) => eb.not(eb.exists(eb.selectFrom('awards').select('seq').whereRef('awards.achievement_id', '=', 'achievements.id').where('awards.recipient_id', '=', personId))))
    .execute();
  if (candidates.length === 0) return [];
  const recipient = await db.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirst();
  if (!recipient) return [];
  const count = counter(db, personId, communityId);
  const awarded: Schemas['Award'][] = [];
  for (const achievement of candidates) {
    if ((await count(achievement)) < (achievement.measure_target ?? Infinity)) continue;
    const award = await issueAward(context, achievement, recipient, automaticEvidence(context, achievement, communityId), undefined);
    if (award) awarded.push(award);
  }
  return awarded;
}

function automaticEvidence(context: BadgeContext, achievement: AchievementRow, communityId: string): Schemas['Evidence'][] {
  return [
    {
      id: context.issuer.issuerId(communityId),
      name: 'Counted by the community’s server',
      narrative: `${achievement.criteria} Counted automatically when it happened.`,
    },
  ];
}

/** Awards what everyone has earned in every community: run at start, for awards missed while down. */
export async function catchUpAwards(context: BadgeContext): Promise<number> {
  const memberships = await context.db.selectFrom('memberships').select(['community_id', 'person_id']).execute();
  const kinds: MeasureKind[] = ['comments', 'accepted-answers', 'kudos-received', 'facilitator', 'cards-written', 'cards-verified'];
  let total = 0;
  for (const m of memberships) total += (await evaluateAwards(context, m.person_id, m.community_id, kinds)).length;
  return total;
}

/** The badges a wall lists and how many earned each: the same for every wall of one request. */
interface Catalogue {
  achievements: AchievementRow[];
  counts: Map<string, number>;
}

async function catalogueOf(db: Kysely<Database>, communityId: string | undefined): Promise<Catalogue> {
  let query = db.selectFrom('achievements').selectAll();
  if (communityId) query = query.where('community_id', '=', communityId);
  const achievements = await query.orderBy('community_id').orderBy('position').execute();
  return { achievements, counts: await earnedCounts(db, achievements.map((a) => a.id)) };
}

async function wallFor(
  context: BadgeContext,
  person: PersonRow,
  communityId: string | undefined,
  catalogue: Catalogue,
  repaired = false,
): Promise<Schemas['BadgeWall']> {
  const { db, issuer } = context;
  const { achievements, counts } = catalogue;
  let awardsQuery = db.selectFrom('awards').selectAll().where('recipient_id', '=', person.id);
  if (communityId) awardsQuery = awardsQuery.where('community_id', '=', communityId);
  const awardRows = await awardsQuery.orderBy('seq', 'desc').execute();
  const earnedIds = new Set(awardRows.map((row) => row.achievement_id));
  const counters = new Map<string, (row: AchievementRow) => Promise<number>>();
  const inProgress: Schemas['BadgeProgress'][] = [];
  const locked: Schemas['Achievement'][] = [];
  const due = new Map<string, Set<MeasureKind>>();
  for (const row of achievements) {
    if (earnedIds.has(row.id)) continue;
    const achievement = toAchievement(row, counts.get(row.id) ?? 0, issuer);
    let count = counters.get(row.community_id);
    if (!count) {
      count = counter(db, person.id, row.community_id);
      counters.set(row.community_id, count);
    }
    const current = row.measure_kind && row.measure_target ? await count(row) : 0;
    if (row.measure_kind && row.measure_target && current >= row.measure_target) {
      due.set(row.community_id, (due.get(row.community_id) ?? new Set()).add(row.measure_kind as MeasureKind));
    }
    if (current > 0 && row.measure_target) {
      inProgress.push({ achievement, current: Math.min(current, row.measure_target), target: row.measure_target });
    } else {
      locked.push(achievement);
    }
  }
  if (due.size > 0 && !repaired) {
    // Earned by activity that was never evaluated (recorded while the server was down, or imported):
    // awarded now, exactly once like any other, and the wall read again.
    for (const [dueCommunity, kinds] of due) await evaluateAwards(context, person.id, dueCommunity, [...kinds]);
    return wallFor(context, person, communityId, await catalogueOf(db, communityId), true);
  }
  return { person: toPerson(person), earned: await toAwards(context, awardRows), inProgress, locked };
}

async function checkCommunity(db: Kysely<Database>, communityId: string | undefined): Promise<void> {
  if (communityId) await getCommunityRow(db, communityId);
}

export async function getBadgeWall(
  context: BadgeContext,
  personId: string,
  communityId: string | undefined,
): Promise<Schemas['BadgeWall']> {
  await checkCommunity(context.db, communityId);
  const person = await context.db.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirst();
  if (!person) throw problems.notFound(`No person with id ${personId}.`);
  return wallFor(context, person, communityId, await catalogueOf(context.db, communityId));
}

export async function listBadgeWalls(
  context: BadgeContext,
  ids: string[],
  communityId: string | undefined,
  caller: PersonRow | undefined,
): Promise<{ items: Schemas['BadgeWall'][] }> {
  await checkCommunity(context.db, communityId);
  const wanted = [...new Set(ids.flatMap((id) => (id === 'me' ? (caller ? [caller.id] : []) : [id])))];
  if (wanted.length === 0) return { items: [] };
  const people = await context.db.selectFrom('people').selectAll().where('id', 'in', wanted).execute();
  const byId = new Map(people.map((p) => [p.id, p]));
  const catalogue = await catalogueOf(context.db, communityId);
  const items: Schemas['BadgeWall'][] = [];
  for (const id of wanted) {
    const person = byId.get(id);
    if (person) items.push(await wallFor(context, person, communityId, catalogue));
  }
  return { items };
}

export async function listAchievements(
  context: BadgeContext,
  query: { community?: string; category?: string; cursor?: string; limit?: number },
): Promise<Schemas['AchievementPage']> {
  const { db, issuer } = context;
  const communityId = query.community ?? context.defaultCommunity;
  await getCommunityRow(db, communityId);
  const limit = pageLimit(query.limit);
  let select = db.selectFrom('achievements').selectAll().where('community_id', '=', communityId);
  if (query.category) select = select.where('category', '=', query.category);
  if (query.cursor) {
    select = select.where('position', '>', decodeNumberCursor(query.cursor));
  }
  const rows = await select.orderBy('position').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const counts = await earnedCounts(db, items.map((row) => row.id));
  const last = items.at(-1);
  return {
    items: items.map((row) => toAchievement(row, counts.get(row.id) ?? 0, issuer)),
    nextCursor: rows.length > limit && last ? encodeCursor(String(last.position)) : null,
  };
}

export async function listAwards(
  context: BadgeContext,
  query: { community?: string; cursor?: string; limit?: number },
): Promise<Schemas['AwardPage']> {
  const { db } = context;
  const communityId = query.community ?? context.defaultCommunity;
  await getCommunityRow(db, communityId);
  const limit = pageLimit(query.limit);
  let select = db.selectFrom('awards').selectAll().where('community_id', '=', communityId).where('revoked_at', 'is', null);
  if (query.cursor) {
    select = select.where('seq', '<', decodeNumberCursor(query.cursor));
  }
  const rows = await select.orderBy('seq', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: await toAwards(context, items), nextCursor: rows.length > limit && last ? encodeCursor(String(last.seq)) : null };
}

export async function getAward(context: BadgeContext, id: string): Promise<Schemas['Award']> {
  const [award] = await toAwards(context, [await awardRow(context.db, id)]);
  if (!award) throw problems.notFound(`No award with id ${id}.`);
  return award;
}

export async function getCredential(context: BadgeContext, id: string): Promise<string> {
  return (await awardRow(context.db, id)).credential;
}

async function requireFacilitator(db: Kysely<Database>, actor: PersonRow, communityId: string, what: string): Promise<void> {
  if ((await roleIn(db, communityId, actor.id)) !== 'facilitator') {
    throw problems.forbidden(`Only a facilitator of ${communityId} may ${what}.`);
  }
}

function isWebUrl(value: string): boolean {
  if (value.startsWith('/') && !value.startsWith('//')) return true;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export async function createAward(context: BadgeContext, actor: PersonRow, input: Schemas['AwardInput']): Promise<Schemas['Award']> {
  const { db } = context;
  const achievement = await db.selectFrom('achievements').selectAll().where('id', '=', input.achievementId).executeTakeFirst();
  if (!achievement) throw problems.notFound(`No achievement with id ${input.achievementId}.`);
  await requireFacilitator(db, actor, achievement.community_id, 'award its badges by hand');
  const recipientId = input.recipientId === 'me' ? actor.id : input.recipientId;
  const recipient = await db.selectFrom('people').selectAll().where('id', '=', recipientId).executeTakeFirst();
  if (!recipient) throw problems.notFound(`No person with id ${recipientId}.`);
  const evidence = (input.evidence ?? []).map((e) => ({
    id: e.id,
    ...(e.name?.trim() ? { name: e.name.trim() } : {}),
    ...(e.narrative?.trim() ? { narrative: e.narrative.trim() } : {}),
  }));
  const unsafe = evidence.find((e) => !isWebUrl(e.id));
  if (unsafe) {
    throw problems.unprocessable('unsafe-evidence', 'Evidence must be a web link', `${unsafe.id} is not an http(s) link or a path on this server.`);
  }
  const award = await issueAward(context, achievement, recipient, evidence, actor);
  if (!award) {
    throw problems.conflict('already-awarded', 'Already awarded', `${recipient.name} already has “${achievement.name}” (an award is never issued twice, even after a revocation).`);
  }
  return award;
}

export async function revokeAward(context: BadgeContext, actor: PersonRow, id: string, reason: string): Promise<Schemas['Award']> {
  const { db, events, issuer } = context;
  const row = await awardRow(db, id);
  await requireFacilitator(db, actor, row.community_id, 'revoke its badges');
  const trimmed = reason.trim();
  if (!trimmed) throw problems.unprocessable('reason-required', 'Reason required', 'Say why the badge is revoked.');
  // Revoking again changes nothing: the first reason and date stand.
  if (row.revoked_at) return getAward(context, id);
  const at = now();
  const recorded = await db.transaction().execute(async (trx) => {
    await trx.updateTable('awards').set({ revoked_at: at, revocation_reason: trimmed }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    const fresh = await trx.selectFrom('awards').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const [award] = await toAwards({ ...context, db: trx }, [fresh]);
    if (!award) throw new Error(`Award ${id} could not be read back.`);
    const event: GuildEvent = await events.record(trx, { type: 'award.changed', occurredAt: at, action: 'revoked', award });
    return { award, event };
  });
  issuer.forgetStatusList(row.community_id);
  events.publish(recorded.event);
  return recorded.award;
}

/** Verifies an award's credential as any verifier would: signature, issuer, dates, revocation. */
export async function verifyAward(context: BadgeContext, id: string): Promise<Schemas['CredentialVerification']> {
  const { db, issuer } = context;
  const row = await awardRow(db, id);
  const checkedAt = now();
  const checks: Schemas['CredentialVerification']['checks'] = [];
  const verdict = (status: Schemas['CredentialVerification']['status'], reason?: string): Schemas['CredentialVerification'] => ({
    awardId: id,
    status,
    ...(reason ? { reason } : {}),
    checkedAt,
    checks,
  });
  let payload: Record<string, unknown>;
  try {
    payload = await issuer.verify(row.credential, row.community_id);
    checks.push({ check: 'signature', passed: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'The signature could not be checked.';
    checks.push({ check: 'signature', passed: false, detail });
    return verdict('invalid', 'The signature does not match the issuer’s published keys.');
  }
  const claimed = payload['issuer'];
  const issuerId = typeof claimed === 'object' && claimed !== null && 'id' in claimed ? claimed.id : undefined;
  if (issuerId !== issuer.issuerId(row.community_id)) {
    checks.push({ check: 'issuer', passed: false, detail: `Issued by ${String(issuerId)}.` });
    return verdict('invalid', 'The credential names another issuer.');
  }
  checks.push({ check: 'issuer', passed: true });
  const from = Date.parse(String(payload['validFrom']));
  const until = typeof payload['validUntil'] === 'string' ? Date.parse(payload['validUntil']) : undefined;
  const at = Date.parse(checkedAt);
  if (!(from <= at)) {
    checks.push({ check: 'validity', passed: false, detail: `Valid from ${String(payload['validFrom'])}.` });
    return verdict('invalid', 'The credential is not valid yet.');
  }
  if (until !== undefined && !(until > at)) {
    checks.push({ check: 'validity', passed: false, detail: `Valid until ${String(payload['validUntil'])}.` });
    checks.push({ check: 'revocation', passed: !row.revoked_at });
    return verdict('expired', `It expired on ${String(payload['validUntil'])}.`);
  }
  checks.push({ check: 'validity', passed: true });
  if (row.revoked_at) {
    checks.push({ check: 'revocation', passed: false, ...(row.revocation_reason ? { detail: row.revocation_reason } : {}) });
    return verdict('revoked', `Revoked on ${row.revoked_at}: ${row.revocation_reason ?? 'no reason given'}.`);
  }
  checks.push({ check: 'revocation', passed: true });
  return verdict('verified');
}

export async function getIssuer(context: BadgeContext, communityId: string): Promise<Schemas['IssuerProfile']> {
  const community = await getCommunityRow(context.db, communityId);
  return {
    '@context': [...CREDENTIAL_CONTEXT],
    id: context.issuer.issuerId(community.id),
    type: ['Profile'],
    name: community.name,
    ...(community.description ? { description: community.description } : {}),
    url: context.issuer.publicUrl,
  };
}

export async function getIssuerKeys(context: BadgeContext, communityId: string): Promise<Schemas['JwkSet']> {
  await getCommunityRow(context.db, communityId);
  return context.issuer.publicKeys(communityId);
}

export async function getStatusList(context: BadgeContext, communityId: string): Promise<string> {
  await getCommunityRow(context.db, communityId);
  return context.issuer.statusList(communityId);
}
