import type { Kysely } from 'kysely';
import type { components } from '../../src/api/schema.js';
import { isUniqueViolation, now, type Database, type KudosRow, type PersonRow } from '../db.js';
import type { EventBus } from '../events.js';
import { problems } from '../problems.js';
import { getCommunityRow } from './communities.js';
import { toCommunity, toPerson } from './people.js';

type Schemas = components['schemas'];

/** How many recent givers a summary names. */
const RECENT_GIVERS = 5;

async function peopleById(db: Kysely<Database>, ids: Iterable<string>): Promise<Map<string, PersonRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('people').selectAll().where('id', 'in', unique).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** One summary per subject, in the order asked, from three queries whatever the number of subjects. */
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
  const people = await peopleById(db, recent.flatMap((row) => [row.giver_id, row.recipient_id]));
  const countBySubject = new Map(counts.map((row) => [row.subject, Number(row.count)]));
  const mineBySubject = new Map(mine.map((row) => [row.subject, String(row.id)]));
  return subjects.map((subject) => {
    const rows = recent.filter((row) => row.subject === subject);
    const recipient = rows[0] ? people.get(rows[0].recipient_id) : undefined;
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

/** The recipient a subject's kudos go to when the giver names none: whoever earlier kudos went to. */
async function impliedRecipient(db: Kysely<Database>, subject: string): Promise<string | undefined> {
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
  const result = await db
    .transaction()
    .execute(async (trx) => {
      const row = await trx
        .insertInto('kudos')
        .values({
          subject: input.subject,
          giver_id: giver.id,
          recipient_id: recipient.id,
          community_id: community.id,
          message: input.message ?? null,
          value: input.value ?? null,
          status: 'given',
          decline_message: null,
          created_at: now(),
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
  const people = await peopleById(db, [row.giver_id, row.recipient_id]);
  const giver = people.get(row.giver_id);
  const recipient = people.get(row.recipient_id);
  if (!giver || !recipient) throw new Error('Kudos reference people that exist.');
  const result = await db.transaction().execute(async (trx) => {
    const deleted = await trx.deleteFrom('kudos').where('id', '=', row.id).executeTakeFirst();
    if (deleted.numDeletedRows === 0n) throw problems.notFound(`No kudos with id ${kudosId}.`);
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
