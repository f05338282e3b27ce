import type { Kysely } from 'kysely';
import type { components } from '../../src/api/schema.js';
import { isUniqueViolation, now, type Database, type KudosRow, type PersonRow } from '../db.js';
import type { EventBus } from '../events.js';
import { problems } from '../problems.js';
import { getCommunityRow } from './communities.js';
import { decodeCursor, encodeCursor, pageLimit } from './paging.js';
import { toCommunity, toPerson } from './people.js';

type Schemas = components['schemas'];

/** How many recent givers a summary names. */
const RECENT_GIVERS = 5;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The ISO week `at` falls in: from Monday 00:00 UTC to the next one, when the allowance renews. */
export function allowanceWeek(at: Date): { start: string; renewsAt: string } {
  const daysSinceMonday = (at.getUTCDay() + 6) % 7;
  const start = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() - daysSinceMonday);
  return { start: new Date(start).toISOString(), renewsAt: new Date(start + 7 * DAY_MS).toISOString() };
}

/**
 * Kudos a giver gave in a community since `since`. Withdrawn kudos are deleted, so they give the
 * allowance back; declined ones are still rows, so they do not. Timestamps are all RFC 3339 UTC
 * strings from `toISOString()`, which order as text in the same way as in time.
 */
async function givenSince(db: Kysely<Database>, giverId: string, communityId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('kudos')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('giver_id', '=', giverId)
    .where('community_id', '=', communityId)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A message as stored: trimmed; one of only white space is refused rather than stored empty. */
function storedMessage(message: string | undefined): string | null {
  if (message === undefined) return null;
  const trimmed = message.trim();
  if (trimmed === '') {
    throw problems.unprocessable('blank-message', 'Blank message', 'A message needs more than white space: write something or leave it out.');
  }
  return trimmed;
}

export async function kudosAllowance(
  db: Kysely<Database>,
  person: PersonRow,
  communityId: string,
): Promise<Schemas['KudosAllowance']> {
  const community = await getCommunityRow(db, communityId);
  const { start, renewsAt } = allowanceWeek(new Date(now()));
  const used = await givenSince(db, person.id, community.id, start);
  const perWeek = community.kudos_allowance_per_week;
  return { communityId: community.id, perWeek, used, remaining: Math.max(0, perWeek - used), renewsAt };
}

async function peopleById(db: Kysely<Database>, ids: Iterable<string>): Promise<Map<string, PersonRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('people').selectAll().where('id', 'in', unique).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** A comment as a kudos subject: `comment:<id>`, credited to the comment's author. */
const COMMENT_SUBJECT = /^comment:(\d{1,15})$/;

/**
 * The authors the server knows for subjects that name something it stores (`comment:<id>`: the
 * comment's author, while it is visible). One query for every subject together.
 */
async function authorsOf(db: Kysely<Database>, subjects: readonly string[]): Promise<Map<string, string>> {
  const ids = subjects.flatMap((subject) => {
    const match = COMMENT_SUBJECT.exec(subject);
    return match?.[1] ? [Number(match[1])] : [];
  });
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('comments').select(['id', 'author_id']).where('id', 'in', ids).where('state', '=', 'visible').execute();
  return new Map(rows.map((row) => [`comment:${String(row.id)}`, row.author_id]));
}

/** One summary per subject, in the order asked, from a fixed number of queries whatever the number of subjects. */
export async function kudosSummaries(
  db: Kysely<Database>,
  subjects: readonly string[],
  viewer: PersonRow | undefined,
): Promise<Schemas['KudosSummary'][]> {
  const unique = [...new Set(subjects)];
  const counts = await db
    .selectFrom('kudos')
    .select(['subject', (eb) => eb.fn.count<number>('id').as('count')])
    .where('subject', 'in', unique)
    .where('status', '=', 'given')
    .groupBy('subject')
    .execute();
  const mine = viewer
    ? await db
        .selectFrom('kudos')
        .select(['id', 'subject'])
        .where('giver_id', '=', viewer.id)
        .where('subject', 'in', unique)
        .where('status', '=', 'given')
        .execute()
    : [];
  const recent = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('kudos')
        .select([
          'subject',
          'giver_id',
          'recipient_id',
          (inner) => inner.fn.agg<number>('row_number').over((ob) => ob.partitionBy('subject').orderBy('id', 'desc')).as('rank'),
        ])
        .where('subject', 'in', unique)
        .where('status', '=', 'given')
        .as('ranked'),
    )
    .selectAll()
    .where('rank', '<=', RECENT_GIVERS)
    .orderBy('subject')
    .orderBy('rank')
    .execute();
  const authors = await authorsOf(db, unique);
  const people = await peopleById(db, [...recent.flatMap((row) => [row.giver_id, row.recipient_id]), ...authors.values()]);
  const countBySubject = new Map(counts.map((row) => [row.subject, Number(row.count)]));
  const mineBySubject = new Map(mine.map((row) => [row.subject, String(row.id)]));
  return subjects.map((subject) => {
    const rows = recent.filter((row) => row.subject === subject);
    const author = authors.get(subject);
    const recipient = author ? people.get(author) : rows[0] ? people.get(rows[0].recipient_id) : undefined;
    const myKudosId = mineBySubject.get(subject) ?? null;
    return {
      subject,
      count: countBySubject.get(subject) ?? 0,
      givenByMe: myKudosId !== null,
      myKudosId,
      ...(recipient ? { recipient: toPerson(recipient) } : {}),
      recentGivers: rows.flatMap((row) => {
        const giver = people.get(row.giver_id);
        return giver ? [toPerson(giver)] : [];
      }),
    };
  });
}

function toKudos(row: KudosRow, giver: PersonRow, recipient: PersonRow): Schemas['Kudos'] {
  return {
    id: String(row.id),
    subject: row.subject,
    giver: toPerson(giver),
    recipient: toPerson(recipient),
    communityId: row.community_id,
    ...(row.message ? { message: row.message } : {}),
    ...(row.value ? { value: row.value } : {}),
    status: row.status,
    ...(row.decline_message ? { declineMessage: row.decline_message } : {}),
    createdAt: row.created_at,
  };
}

async function summaryFor(db: Kysely<Database>, subject: string, viewer: PersonRow): Promise<Schemas['KudosSummary']> {
  const [summary] = await kudosSummaries(db, [subject], viewer);
  if (!summary) throw new Error('A summary is always returned for each subject.');
  return summary;
}

/**
 * The recipient a subject's kudos go to when the giver names none: its author as the server knows
 * it (`comment:<id>`), else whoever earlier kudos went to.
 */
async function impliedRecipient(db: Kysely<Database>, subject: string): Promise<string | undefined> {
  const author = (await authorsOf(db, [subject])).get(subject);
  if (author) return author;
  const row = await db
    .selectFrom('kudos')
    .select('recipient_id')
    .where('subject', '=', subject)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.recipient_id;
}

export async function giveKudos(
  db: Kysely<Database>,
  events: EventBus,
  giver: PersonRow,
  input: Schemas['KudosInput'],
  defaultCommunity: string,
): Promise<Schemas['KudosReceipt']> {
  const community = toCommunity(await getCommunityRow(db, input.communityId ?? defaultCommunity));
  const recipientId = input.recipientId ?? (await impliedRecipient(db, input.subject));
  if (!recipientId) {
    throw problems.unprocessable(
      'recipient-required',
      'Recipient required',
      'Nobody is known to have written this subject: name the person to thank in `recipientId`.',
    );
  }
  if (recipientId === giver.id || recipientId === 'me') {
    throw problems.unprocessable('self-kudos', 'No kudos to yourself', 'Kudos are for thanking someone else.');
  }
  const recipient = await db.selectFrom('people').selectAll().where('id', '=', recipientId).executeTakeFirst();
  if (!recipient) {
    throw problems.unprocessable('unknown-recipient', 'Unknown recipient', `No person with id ${recipientId} is known here.`);
  }
  if (input.value && !community.settings.kudosValues.some((value) => value.id === input.value)) {
    throw problems.unprocessable('unknown-value', 'Unknown value', `${input.value} is not one of this community's values.`);
  }
  const message = storedMessage(input.message);
  const at = now();
  const week = allowanceWeek(new Date(at));
  const perWeek = community.settings.kudosAllowancePerWeek;
  const result = await db
    .transaction()
    .execute(async (trx) => {
      // Taken first: a concurrent give by the same giver in this community waits here until this
      // transaction ends, so its count below includes this kudos (see KudosAllowanceLocksTable).
      await trx
        .insertInto('kudos_allowance_locks')
        .values({ giver_id: giver.id, community_id: community.id, last_given_at: at })
        .onConflict((oc) => oc.columns(['giver_id', 'community_id']).doUpdateSet({ last_given_at: at }))
        .execute();
      if ((await givenSince(trx, giver.id, community.id, week.start)) >= perWeek) {
        throw problems.conflict(
          'allowance-used',
          'Kudos allowance used',
          perWeek === 0
            ? `${community.name} allows no kudos (its allowance is 0 a week).`
            : `You have given all ${perWeek} kudos of this week in ${community.name}; your allowance renews at ${week.renewsAt} (Monday 00:00 UTC).`,
        );
      }
      const row = await trx
        .insertInto('kudos')
        .values({
          subject: input.subject,
          giver_id: giver.id,
          recipient_id: recipient.id,
          community_id: community.id,
          message,
          value: input.value ?? null,
          status: 'given',
          decline_message: null,
          created_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const summary = await summaryFor(trx, input.subject, giver);
      const event = await events.record(trx, {
        type: 'kudos.changed',
        occurredAt: row.created_at,
        actorId: giver.id,
        action: 'given',
        summary,
      });
      return { row, summary, event };
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) {
        throw problems.conflict('already-given', 'Already given', 'You already gave kudos on this subject.');
      }
      throw error;
    });
  events.publish(result.event);
  return { kudos: toKudos(result.row, giver, recipient), summary: result.summary };
}

/** A kudos id as the database holds it; `undefined` for anything that is not one (`01`, `1.0`). */
export function parseKudosId(raw: string): number | undefined {
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : undefined;
}

export async function withdrawKudos(
  db: Kysely<Database>,
  events: EventBus,
  actor: PersonRow,
  kudosId: string,
): Promise<Schemas['KudosReceipt']> {
  const id = parseKudosId(kudosId);
  const row = id === undefined ? undefined : await db.selectFrom('kudos').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw problems.notFound(`No kudos with id ${kudosId}.`);
  if (row.status === 'declined') throw declinedStaysOnRecord(row);
  const people = await peopleById(db, [row.giver_id, row.recipient_id]);
  const giver = people.get(row.giver_id);
  const recipient = people.get(row.recipient_id);
  if (!giver || !recipient) throw new Error('Kudos reference people that exist.');
  const result = await db.transaction().execute(async (trx) => {
    // Only kudos still given: declined between the read above and now, they stay on record.
    const deleted = await trx.deleteFrom('kudos').where('id', '=', row.id).where('status', '=', 'given').executeTakeFirst();
    if (deleted.numDeletedRows === 0n) throw await goneOrDeclined(trx, row, kudosId);
    const summary = await summaryFor(trx, row.subject, actor);
    const event = await events.record(trx, {
      type: 'kudos.changed',
      occurredAt: now(),
      actorId: actor.id,
      action: 'withdrawn',
      summary,
    });
    return { summary, event };
  });
  events.publish(result.event);
  return { kudos: toKudos(row, giver, recipient), summary: result.summary };
}

/** Declined kudos stay on record: still counted against the giver's allowance, never withdrawn. */
function declinedStaysOnRecord(row: KudosRow): Error {
  return problems.conflict('kudos-declined', 'Kudos declined', `Kudos ${row.id} was declined by its recipient and stays on record.`);
}

/** Why a conditional write on kudos changed nothing: withdrawn meanwhile (404) or declined meanwhile. */
async function goneOrDeclined(db: Kysely<Database>, row: KudosRow, kudosId: string): Promise<Error> {
  const current = await db.selectFrom('kudos').select('status').where('id', '=', row.id).executeTakeFirst();
  if (!current) return problems.notFound(`No kudos with id ${kudosId}.`);
  return current.status === 'declined' ? declinedStaysOnRecord(row) : new Error(`Kudos ${row.id} changed unexpectedly.`);
}

/**
 * The recipient declines kudos (who may is checked in server/access.ts). A second decline is a
 * `409 already-declined` rather than a quiet success: the first one's message stands, and a retry of
 * the same intention carries the same Idempotency-Key, which replays the first answer.
 */
export async function declineKudos(
  db: Kysely<Database>,
  events: EventBus,
  recipient: PersonRow,
  kudosId: string,
  input: Schemas['DeclineInput'],
): Promise<Schemas['Kudos']> {
  const id = parseKudosId(kudosId);
  const row = id === undefined ? undefined : await db.selectFrom('kudos').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw problems.notFound(`No kudos with id ${kudosId}.`);
  if (row.recipient_id !== recipient.id) throw problems.forbidden('Only the person who received this kudos may decline it.');
  const declineMessage = storedMessage(input.message);
  const alreadyDeclined = () =>
    problems.conflict('already-declined', 'Already declined', `You already declined kudos ${row.id}.`);
  if (row.status === 'declined') throw alreadyDeclined();
  const giver = await db.selectFrom('people').selectAll().where('id', '=', row.giver_id).executeTakeFirst();
  if (!giver) throw new Error('Kudos reference people that exist.');
  const result = await db.transaction().execute(async (trx) => {
    const declined = await trx
      .updateTable('kudos')
      .set({ status: 'declined', decline_message: declineMessage })
      .where('id', '=', row.id)
      .where('status', '=', 'given')
      .returningAll()
      .executeTakeFirst();
    if (!declined) {
      const still = await trx.selectFrom('kudos').select('id').where('id', '=', row.id).executeTakeFirst();
      throw still ? alreadyDeclined() : problems.notFound(`No kudos with id ${kudosId}.`);
    }
    const summary = await summaryFor(trx, row.subject, recipient);
    const event = await events.record(trx, {
      type: 'kudos.changed',
      occurredAt: now(),
      actorId: recipient.id,
      action: 'declined',
      summary,
    });
    return { declined, event };
  });
  events.publish(result.event);
  return toKudos(result.declined, giver, recipient);
}

/** The public feed: a community's kudos still given, newest first, paged by id. */
export async function listKudos(
  db: Kysely<Database>,
  query: { community?: string; recipient?: string; cursor?: string; limit?: number },
  viewer: PersonRow | undefined,
  defaultCommunity: string,
): Promise<Schemas['KudosPage']> {
  const community = await getCommunityRow(db, query.community ?? defaultCommunity);
  const limit = pageLimit(query.limit);
  let select = db.selectFrom('kudos').selectAll().where('community_id', '=', community.id).where('status', '=', 'given');
  if (query.recipient !== undefined) {
    if (query.recipient === 'me' && !viewer) throw problems.unauthorized('`recipient=me` needs a signed-in person.');
    select = select.where('recipient_id', '=', query.recipient === 'me' && viewer ? viewer.id : query.recipient);
  }
  if (query.cursor !== undefined) {
    const before = parseKudosId(decodeCursor(query.cursor));
    if (before === undefined) throw problems.badRequest('The cursor is not one this server issued.');
    select = select.where('id', '<', before);
  }
  const rows = await select.orderBy('id', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const people = await peopleById(db, items.flatMap((row) => [row.giver_id, row.recipient_id]));
  const last = items.at(-1);
  return {
    items: items.map((row) => {
      const giver = people.get(row.giver_id);
      const recipient = people.get(row.recipient_id);
      if (!giver || !recipient) throw new Error('Kudos reference people that exist.');
      return toKudos(row, giver, recipient);
    }),
    nextCursor: rows.length > limit && last ? encodeCursor(String(last.id)) : null,
  };
}
