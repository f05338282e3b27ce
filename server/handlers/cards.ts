import type { Kysely } from 'kysely';
import type { components } from '../../src/api/schema.js';
import type { CredentialIssuer } from '../credentials.js';
import { clock, isUniqueViolation, now, type CardRow, type Database, type PersonRow } from '../db.js';
import type { EventBus, GuildEvent } from '../events.js';
import { escapeHtml } from '../html.js';
import { problems } from '../problems.js';
import { getCommunityRow, roleIn } from './communities.js';
import { decodeNumberCursor, encodeCursor, pageLimit } from './paging.js';
import { toPerson } from './people.js';

type Schemas = components['schemas'];
type Card = Schemas['Card'];

export interface CardContext {
  db: Kysely<Database>;
  events: EventBus;
  issuer: CredentialIssuer;
  defaultCommunity: string;
}

const DAY_MS = 86_400_000;

/** A card id as the database holds it; `undefined` for anything that is not one (`01`, `1.0`). */
export function parseCardId(raw: string): number | undefined {
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : undefined;
}

const noSuchCard = (id: string) => problems.notFound(`No card with id ${id}.`);

function tagsOf(row: { tags: string }): string[] {
  const parsed: unknown = JSON.parse(row.tags);
  return Array.isArray(parsed) ? parsed.filter((tag): tag is string => typeof tag === 'string') : [];
}

/** The card's public, read-only page on this server. */
export function cardUrl(issuer: CredentialIssuer, id: number | string): string {
  return `${issuer.publicUrl}/cards/${String(id)}`;
}

/**
 * What a person may do with one card. Experts and the community's facilitators keep a card true
 * (verify, edit); its author edits too; drafts are seen by those three only.
 */
interface Rights {
  see: boolean;
  edit: boolean;
  verify: boolean;
  /** Change who the experts are. */
  manage: boolean;
}

async function rightsOn(db: Kysely<Database>, card: CardRow, person: PersonRow | undefined): Promise<Rights> {
  if (!person) return { see: card.status === 'published', edit: false, verify: false, manage: false };
  const [expert, role] = await Promise.all([
    db.selectFrom('card_experts').select('person_id').where('card_id', '=', card.id).where('person_id', '=', person.id).executeTakeFirst(),
    roleIn(db, card.community_id, person.id),
  ]);
  const facilitator = role === 'facilitator';
  const author = card.author_id === person.id;
  const keeper = expert !== undefined || facilitator;
  return { see: card.status === 'published' || author || keeper, edit: author || keeper, verify: keeper, manage: author || facilitator };
}

/** The card row if `person` may see it; a draft they may not see does not exist for them (`404`). */
async function visibleCard(db: Kysely<Database>, rawId: string, person: PersonRow | undefined): Promise<{ row: CardRow; rights: Rights }> {
  const id = parseCardId(rawId);
  if (id === undefined) throw noSuchCard(rawId);
  const row = await db.selectFrom('cards').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw noSuchCard(rawId);
  const rights = await rightsOn(db, row, person);
  if (!rights.see) throw noSuchCard(rawId);
  return { row, rights };
}

function trustOf(row: CardRow, people: Map<string, PersonRow>): Card['trust'] {
  const verifier = row.verified_by ? people.get(row.verified_by) : undefined;
  const flagger = row.flagged_by ? people.get(row.flagged_by) : undefined;
  const verified = {
    ...(verifier ? { verifiedBy: toPerson(verifier) } : {}),
    ...(row.verified_at ? { verifiedAt: row.verified_at } : {}),
    ...(row.review_by ? { reviewBy: row.review_by } : {}),
  };
  if (row.flag_reason) {
    return {
      state: 'outdated',
      ...verified,
      flagReason: row.flag_reason,
      ...(flagger ? { flaggedBy: toPerson(flagger) } : {}),
      ...(row.flagged_at ? { flaggedAt: row.flagged_at } : {}),
    };
  }
  if (row.verified_at && row.review_by) {
    return { state: Date.parse(row.review_by) <= clock.nowMs() ? 'needs-review' : 'verified', ...verified };
  }
  return { state: 'unverified' };
}

/** Rows as the contract's cards, for `viewer` (whose vote shows as `myVote`), in a few queries. */
async function toCards(context: CardContext, rows: CardRow[], viewer: PersonRow | undefined): Promise<Card[]> {
  if (rows.length === 0) return [];
  const { db, issuer } = context;
  const ids = rows.map((row) => row.id);
  const [experts, votes, mine, communities] = await Promise.all([
    db.selectFrom('card_experts').select(['card_id', 'person_id']).where('card_id', 'in', ids).execute(),
    db
      .selectFrom('card_votes')
      .select(['card_id', 'helpful', (eb) => eb.fn.countAll<number>().as('n')])
      .where('card_id', 'in', ids)
      .groupBy(['card_id', 'helpful'])
      .execute(),
    viewer ? db.selectFrom('card_votes').select(['card_id', 'helpful']).where('card_id', 'in', ids).where('person_id', '=', viewer.id).execute() : [],
    db
      .selectFrom('communities')
      .select(['id', 'review_interval_days'])
      .where('id', 'in', [...new Set(rows.map((row) => row.community_id))])
      .execute(),
  ]);
  const personIds = new Set<string>(experts.map((e) => e.person_id));
  for (const row of rows) {
    for (const id of [row.author_id, row.last_editor_id, row.credited_id, row.verified_by, row.flagged_by]) if (id) personIds.add(id);
  }
  const people = new Map(
    (personIds.size ? await db.selectFrom('people').selectAll().where('id', 'in', [...personIds]).execute() : []).map((p) => [p.id, p]),
  );
  const interval = new Map(communities.map((c) => [c.id, c.review_interval_days]));
  return rows.flatMap((row) => {
    const author = people.get(row.author_id);
    if (!author) return [];
    const editor = people.get(row.last_editor_id);
    const credited = row.credited_id ? people.get(row.credited_id) : undefined;
    const count = (helpful: number) => Number(votes.find((v) => String(v.card_id) === String(row.id) && v.helpful === helpful)?.n ?? 0);
    const myVote = mine.find((v) => String(v.card_id) === String(row.id));
    const card: Card = {
      id: String(row.id),
      communityId: row.community_id,
      status: row.status,
      title: row.title,
      summary: row.summary,
      body: row.body,
      tags: tagsOf(row),
      author: toPerson(author),
      ...(editor && row.version > 1 ? { lastEditor: toPerson(editor) } : {}),
      experts: experts
        .filter((e) => String(e.card_id) === String(row.id))
        .flatMap((e) => {
          const person = people.get(e.person_id);
          return person ? [toPerson(person)] : [];
        }),
      version: row.version,
      trust: trustOf(row, people),
      helpful: { yes: count(1), no: count(0), myVote: myVote ? myVote.helpful === 1 : null },
      views: row.views,
      reviewIntervalDays: row.review_interval_days ?? interval.get(row.community_id) ?? 90,
      url: cardUrl(issuer, row.id),
      ...(row.source_subject ? { sourceSubject: row.source_subject } : {}),
      ...(row.source_comment_id !== null ? { sourceCommentId: String(row.source_comment_id) } : {}),
      ...(credited ? { credited: toPerson(credited) } : {}),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
    return [card];
  });
}

async function oneCard(context: CardContext, row: CardRow, viewer: PersonRow | undefined): Promise<Card> {
  const [card] = await toCards(context, [row], viewer);
  if (!card) throw noSuchCard(String(row.id));
  return card;
}

async function freshRow(db: Kysely<Database>, id: number | string): Promise<CardRow> {
  return db.selectFrom('cards').selectAll().where('id', '=', Number(id)).executeTakeFirstOrThrow();
}

/** Records a `card.changed` event for a published card, as an anonymous visitor sees it. */
async function recordEvent(
  context: CardContext,
  trx: Kysely<Database>,
  row: CardRow,
  actor: PersonRow,
  action: 'created' | 'edited' | 'verified' | 'flagged' | 'voted',
): Promise<GuildEvent | undefined> {
  if (row.status !== 'published') return undefined;
  const card = await oneCard({ ...context, db: trx }, row, undefined);
  return context.events.record(trx, { type: 'card.changed', occurredAt: row.updated_at, actorId: actor.id, action, card });
}

async function checkExperts(db: Kysely<Database>, ids: string[] | undefined): Promise<string[] | undefined> {
  if (!ids) return undefined;
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const found = await db.selectFrom('people').select('id').where('id', 'in', unique).execute();
  const missing = unique.filter((id) => !found.some((p) => p.id === id));
  if (missing.length) throw problems.unprocessable('unknown-expert', 'Unknown expert', `No person with id ${missing.join(', ')} is known here.`);
  return unique;
}

function cleanTags(tags: string[] | undefined): string[] {
  return [...new Set(tags ?? [])];
}

function required(text: string, what: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw problems.unprocessable('empty-field', `Empty ${what}`, `A card needs a ${what} with some text besides white space.`);
  return trimmed;
}

interface ListQuery {
  ids?: string[];
  tag?: string;
  sourceSubject?: string;
  related?: string;
  status?: 'published' | 'draft';
  community?: string;
  cursor?: string;
  limit?: number;
}

export async function listCards(context: CardContext, query: ListQuery, person: PersonRow | undefined): Promise<Schemas['CardPage']> {
  const { db } = context;
  if (query.ids) {
    const ids = query.ids.map(parseCardId).filter((id): id is number => id !== undefined);
    const rows = ids.length ? await db.selectFrom('cards').selectAll().where('id', 'in', ids).execute() : [];
    const visible: CardRow[] = [];
    for (const id of ids) {
      const row = rows.find((r) => Number(r.id) === id);
      // Everyone sees a published card: only drafts cost a look at who is asking.
      if (row && !visible.includes(row) && (row.status === 'published' || (await rightsOn(db, row, person)).see)) visible.push(row);
    }
    return { items: await toCards(context, visible, person), nextCursor: null };
  }
  if (query.community) await getCommunityRow(db, query.community);
  const limit = pageLimit(query.limit);
  if (query.related) {
    const source = await visibleCard(db, query.related, person);
    const wanted = new Set(tagsOf(source.row));
    if (wanted.size === 0) return { items: [], nextCursor: null };
    const candidates = await db
      .selectFrom('cards')
      .selectAll()
      .where('community_id', '=', source.row.community_id)
      .where('status', '=', 'published')
      .where('id', '!=', source.row.id)
      .orderBy('id', 'desc')
      .limit(1000)
      .execute();
    const scored = candidates
      .map((row) => ({ row, shared: tagsOf(row).filter((tag) => wanted.has(tag)).length }))
      .filter((c) => c.shared > 0)
      .sort((a, b) => b.shared - a.shared || Number(b.row.id) - Number(a.row.id))
      .slice(0, limit);
    return { items: await toCards(context, scored.map((c) => c.row), person), nextCursor: null };
  }
  let select = db.selectFrom('cards').selectAll();
  if (query.status === 'draft') {
    if (!person) throw problems.unauthorized('Drafts are listed for a signed-in person.');
    const facilitated = (await db.selectFrom('memberships').select('community_id').where('person_id', '=', person.id).where('role', '=', 'facilitator').execute()).map(
      (m) => m.community_id,
    );
    select = select.where('status', '=', 'draft').where((eb) =>
      eb.or([
        eb('author_id', '=', person.id),
        eb('id', 'in', eb.selectFrom('card_experts').select((e) => e.ref('card_id').$castTo<number>().as('card_id')).where('person_id', '=', person.id)),
        ...(facilitated.length ? [eb('community_id', 'in', facilitated)] : []),
      ]),
    );
  } else {
    select = select.where('status', '=', 'published');
  }
  const scoped = query.community ?? (query.tag || query.sourceSubject ? undefined : context.defaultCommunity);
  if (scoped) select = select.where('community_id', '=', scoped);
  if (query.sourceSubject) select = select.where('source_subject', '=', query.sourceSubject);
  // Tags are `[a-z0-9-]`, so the quoted tag in the JSON array is an exact match.
  if (query.tag) select = select.where('tags', 'like', `%"${query.tag}"%`);
  if (query.cursor) {
    select = select.where('id', '<', decodeNumberCursor(query.cursor));
  }
  const rows = await select.orderBy('id', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: await toCards(context, items, person), nextCursor: rows.length > limit && last ? encodeCursor(String(last.id)) : null };
}

export async function getCard(context: CardContext, rawId: string, person: PersonRow | undefined): Promise<Card> {
  const { row } = await visibleCard(context.db, rawId, person);
  return oneCard(context, row, person);
}

/** Checks that `commentId` is the accepted answer of `subject`'s question; returns its author. */
async function acceptedAnswerAuthor(db: Kysely<Database>, subject: string | undefined, rawCommentId: string): Promise<string> {
  if (!subject) throw problems.unprocessable('source-subject-required', 'Thread required', 'Name the thread (`sourceSubject`) the answer belongs to.');
  const commentId = /^[1-9]\d{0,15}$/.test(rawCommentId) ? Number(rawCommentId) : undefined;
  const thread = await db.selectFrom('threads').select(['accepted_comment_id', 'subject']).where('subject', '=', subject).executeTakeFirst();
  const comment =
    commentId === undefined ? undefined : await db.selectFrom('comments').select(['author_id', 'state', 'subject']).where('id', '=', commentId).executeTakeFirst();
  if (!thread || !comment || comment.subject !== subject || comment.state !== 'visible' || Number(thread.accepted_comment_id) !== commentId) {
    throw problems.unprocessable('not-accepted-answer', 'Not an accepted answer', `Comment ${rawCommentId} is not the accepted answer of ${subject}.`);
  }
  return comment.author_id;
}

export async function createCard(context: CardContext, person: PersonRow, input: Schemas['CardInput']): Promise<Card> {
  const { db, events } = context;
  const community = await getCommunityRow(db, input.communityId ?? context.defaultCommunity);
  const title = required(input.title, 'title');
  const body = required(input.body, 'body');
  const experts = (await checkExperts(db, input.experts)) ?? [];
  const creditedAuthor = input.sourceCommentId ? await acceptedAnswerAuthor(db, input.sourceSubject, input.sourceCommentId) : undefined;
  const at = now();
  const status = input.status ?? 'published';
  const tags = JSON.stringify(cleanTags(input.tags));
  const recorded = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('cards')
      .values({
        community_id: community.id,
        status,
        author_id: person.id,
        last_editor_id: person.id,
        title,
        summary: input.summary?.trim() ?? '',
        body,
        tags,
        version: 1,
        review_interval_days: input.reviewIntervalDays ?? null,
        source_subject: input.sourceSubject ?? null,
        source_comment_id: input.sourceCommentId ? Number(input.sourceCommentId) : null,
        credited_id: creditedAuthor && creditedAuthor !== person.id ? creditedAuthor : null,
        verified_by: null,
        verified_at: null,
        review_by: null,
        flagged_by: null,
        flag_reason: null,
        flagged_at: null,
        views: 0,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('card_versions')
      .values({ card_id: row.id, version: 1, title, summary: row.summary, body, tags, editor_id: person.id, created_at: at })
      .execute();
    if (experts.length) await trx.insertInto('card_experts').values(experts.map((id) => ({ card_id: row.id, person_id: id }))).execute();
    return { row, event: await recordEvent(context, trx, row, person, 'created') };
  });
  if (recorded.event) events.publish(recorded.event);
  return oneCard(context, recorded.row, person);
}

export async function updateCard(context: CardContext, person: PersonRow, rawId: string, input: Schemas['CardUpdate']): Promise<Card> {
  const { db, events } = context;
  const { row, rights } = await visibleCard(db, rawId, person);
  if (!rights.edit) throw problems.forbidden('Only the card’s author, its experts and the community’s facilitators may edit it.');
  if (input.experts && !rights.manage) throw problems.forbidden('Only the card’s author and the community’s facilitators choose its experts.');
  const experts = await checkExperts(db, input.experts);
  const changesText = input.title !== undefined || input.summary !== undefined || input.body !== undefined || input.tags !== undefined;
  const at = now();
  const recorded = await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('cards').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    if (current.version !== input.baseVersion) {
      const editor = await trx.selectFrom('people').select('name').where('id', '=', current.last_editor_id).executeTakeFirst();
      throw problems.conflict(
        'version-conflict',
        'Edited meanwhile',
        `${editor?.name ?? 'Someone'} saved version ${current.version} at ${current.updated_at}, after the version ${input.baseVersion} you edited. Nothing was saved.`,
      );
    }
    const title = input.title !== undefined ? required(input.title, 'title') : current.title;
    const body = input.body !== undefined ? required(input.body, 'body') : current.body;
    const summary = input.summary !== undefined ? input.summary.trim() : current.summary;
    const tags = input.tags !== undefined ? JSON.stringify(cleanTags(input.tags)) : current.tags;
    const publishing = input.status === 'published' && current.status === 'draft';
    const version = changesText ? current.version + 1 : current.version;
    // A verification vouches for the text it saw: an edit by someone who may not verify undoes it.
    const keepsTrust = rights.verify || !changesText;
    const updated = await trx
      .updateTable('cards')
      .set({
        title,
        summary,
        body,
        tags,
        version,
        status: publishing ? 'published' : current.status,
        last_editor_id: changesText ? person.id : current.last_editor_id,
        ...(input.reviewIntervalDays !== undefined ? { review_interval_days: input.reviewIntervalDays } : {}),
        ...(keepsTrust ? {} : { verified_by: null, verified_at: null, review_by: null }),
        updated_at: at,
      })
      .where('id', '=', current.id)
      .where('version', '=', input.baseVersion)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw problems.conflict('version-conflict', 'Edited meanwhile', 'Someone saved a new version at the same moment. Nothing was saved.');
    }
    if (changesText) {
      await trx.insertInto('card_versions').values({ card_id: current.id, version, title, summary, body, tags, editor_id: person.id, created_at: at }).execute();
    }
    if (experts) {
      await trx.deleteFrom('card_experts').where('card_id', '=', current.id).execute();
      if (experts.length) await trx.insertInto('card_experts').values(experts.map((id) => ({ card_id: current.id, person_id: id }))).execute();
    }
    const fresh = await freshRow(trx, current.id);
    return { row: fresh, publishing, event: await recordEvent(context, trx, fresh, person, publishing ? 'created' : 'edited') };
  });
  if (recorded.event) events.publish(recorded.event);
  return oneCard(context, recorded.row, person);
}

export async function listCardVersions(
  context: CardContext,
  rawId: string,
  query: { cursor?: string; limit?: number },
  person: PersonRow | undefined,
): Promise<Schemas['CardVersionPage']> {
  const { db } = context;
  const { row } = await visibleCard(db, rawId, person);
  const limit = pageLimit(query.limit);
  let select = db.selectFrom('card_versions').selectAll().where('card_id', '=', row.id);
  if (query.cursor) {
    select = select.where('version', '<', decodeNumberCursor(query.cursor));
  }
  const rows = await select.orderBy('version', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const editors = new Map(
    (items.length ? await db.selectFrom('people').selectAll().where('id', 'in', [...new Set(items.map((v) => v.editor_id))]).execute() : []).map((p) => [p.id, p]),
  );
  const last = items.at(-1);
  return {
    items: items.flatMap((v) => {
      const editor = editors.get(v.editor_id);
      return editor ? [{ version: v.version, title: v.title, summary: v.summary, body: v.body, tags: tagsOf(v), editor: toPerson(editor), createdAt: v.created_at }] : [];
    }),
    nextCursor: rows.length > limit && last ? encodeCursor(String(last.version)) : null,
  };
}

export async function verifyCard(context: CardContext, person: PersonRow, rawId: string, input: Schemas['VerificationInput']): Promise<Card> {
  const { db, events } = context;
  const { row, rights } = await visibleCard(db, rawId, person);
  if (!rights.verify) throw problems.forbidden('Only the card’s experts and the community’s facilitators may verify it.');
  if (row.status !== 'published') throw problems.conflict('card-draft', 'Still a draft', 'Publish the card before verifying it.');
  const community = await getCommunityRow(db, row.community_id);
  const days = input.reviewIntervalDays ?? row.review_interval_days ?? community.review_interval_days;
  const at = now();
  const recorded = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('cards')
      .set({
        verified_by: person.id,
        verified_at: at,
        review_by: new Date(Date.parse(at) + days * DAY_MS).toISOString(),
        ...(input.reviewIntervalDays !== undefined ? { review_interval_days: input.reviewIntervalDays } : {}),
        // Verifying answers the flag: the expert looked and vouches for the card again.
        flagged_by: null,
        flag_reason: null,
        flagged_at: null,
        updated_at: at,
      })
      .where('id', '=', row.id)
      .execute();
    await trx.insertInto('card_verifications').values({ card_id: row.id, person_id: person.id, created_at: at }).execute();
    const fresh = await freshRow(trx, row.id);
    return { row: fresh, event: await recordEvent(context, trx, fresh, person, 'verified') };
  });
  if (recorded.event) events.publish(recorded.event);
  return oneCard(context, recorded.row, person);
}

export async function flagCard(context: CardContext, person: PersonRow, rawId: string, input: Schemas['FlagInput']): Promise<Card> {
  const { db, events } = context;
  const { row } = await visibleCard(db, rawId, person);
  if (row.status !== 'published') throw problems.conflict('card-draft', 'Still a draft', 'A draft cannot be flagged: edit it instead.');
  const reason = input.reason.trim();
  if (!reason) throw problems.unprocessable('reason-required', 'Reason required', 'Say what is outdated, so the experts know what to fix.');
  const at = now();
  const recorded = await db.transaction().execute(async (trx) => {
    await trx.updateTable('cards').set({ flagged_by: person.id, flag_reason: reason, flagged_at: at, updated_at: at }).where('id', '=', row.id).execute();
    const fresh = await freshRow(trx, row.id);
    return { row: fresh, event: await recordEvent(context, trx, fresh, person, 'flagged') };
  });
  if (recorded.event) events.publish(recorded.event);
  return oneCard(context, recorded.row, person);
}

export async function voteCard(context: CardContext, person: PersonRow, rawId: string, input: Schemas['VoteInput']): Promise<Card> {
  const { db, events } = context;
  const { row } = await visibleCard(db, rawId, person);
  if (row.status !== 'published') throw problems.conflict('card-draft', 'Still a draft', 'Drafts take no votes.');
  const at = now();
  const helpful = input.helpful ? 1 : 0;
  const recorded = await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('card_votes')
      .values({ card_id: row.id, person_id: person.id, helpful, updated_at: at })
      .onConflict((oc) => oc.columns(['card_id', 'person_id']).doUpdateSet({ helpful, updated_at: at }))
      .execute();
    await trx.updateTable('cards').set({ updated_at: at }).where('id', '=', row.id).execute();
    const fresh = await freshRow(trx, row.id);
    return { row: fresh, event: await recordEvent(context, trx, fresh, person, 'voted') };
  });
  if (recorded.event) events.publish(recorded.event);
  return oneCard(context, recorded.row, person);
}

export async function recordCardView(context: CardContext, rawId: string, person: PersonRow | undefined): Promise<{ views: number; counted: boolean }> {
  const { db } = context;
  const { row } = await visibleCard(db, rawId, person);
  if (!person || row.status !== 'published') return { views: row.views, counted: false };
  const day = now().slice(0, 10);
  return db.transaction().execute(async (trx) => {
    try {
      await trx.insertInto('card_views').values({ card_id: row.id, person_id: person.id, day }).execute();
    } catch (error) {
      if (isUniqueViolation(error)) return { views: (await freshRow(trx, row.id)).views, counted: false };
      throw error;
    }
    await trx.updateTable('cards').set((eb) => ({ views: eb('views', '+', 1) })).where('id', '=', row.id).execute();
    return { views: (await freshRow(trx, row.id)).views, counted: true };
  });
}


export async function getOEmbed(
  context: CardContext,
  query: { url: string; maxwidth?: number; maxheight?: number },
): Promise<Schemas['OEmbed']> {
  const prefix = `${context.issuer.publicUrl}/cards/`;
  let id: number | undefined;
  try {
    const url = new URL(query.url);
    const path = `${url.origin}${url.pathname}`;
    id = path.startsWith(prefix) ? parseCardId(path.slice(prefix.length)) : undefined;
  } catch {
    id = undefined;
  }
  if (id === undefined) throw problems.notFound(`${query.url} is not a card page of this server.`);
  const { row } = await visibleCard(context.db, String(id), undefined);
  const card = await oneCard(context, row, undefined);
  const width = Math.min(query.maxwidth ?? 560, 560);
  const height = Math.min(query.maxheight ?? 360, 360);
  const src = `${card.url}?embed=1`;
  return {
    version: '1.0',
    type: 'rich',
    title: card.title,
    author_name: card.author.name,
    provider_name: 'Guildkit',
    provider_url: context.issuer.publicUrl,
    cache_age: 300,
    html: `<iframe src="${escapeHtml(src)}" width="${width}" height="${height}" title="${escapeHtml(card.title)}" style="border:0" loading="lazy"></iframe>`,
    width,
    height,
  };
}

/** How many published cards a person wrote, and how many distinct cards they verified, in a community. */
export async function cardCounts(db: Kysely<Database>, personId: string, communityId: string, kind: 'cards-written' | 'cards-verified'): Promise<number> {
  if (kind === 'cards-written') {
    const row = await db
      .selectFrom('cards')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('author_id', '=', personId)
      .where('community_id', '=', communityId)
      .where('status', '=', 'published')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
  const row = await db
    .selectFrom('card_verifications')
    .innerJoin('cards', 'cards.id', 'card_verifications.card_id')
    .select((eb) => eb.fn.count<number>('card_verifications.card_id').distinct().as('n'))
    .where('card_verifications.person_id', '=', personId)
    .where('cards.community_id', '=', communityId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
