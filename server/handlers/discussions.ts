import type { ExpressionBuilder, Kysely } from 'kysely';
import type { components } from '../../src/api/schema.js';
import { isUniqueViolation, now, type CommentRow, type Database, type PersonRow, type ThreadRow } from '../db.js';
import type { EventBus, GuildEvent } from '../events.js';
import { HttpProblem, problems } from '../problems.js';
import { getCommunityRow, roleIn } from './communities.js';
import type { CommentPageCache } from './page-cache.js';
import { decodeCursor, encodeCursor, pageLimit } from './paging.js';
import { toPerson } from './people.js';

type Schemas = components['schemas'];
type Comment = Schemas['Comment'];
type ThreadSummary = Schemas['ThreadSummary'];
type Sort = 'oldest' | 'newest' | 'reactions';

export interface DiscussionContext {
  db: Kysely<Database>;
  events: EventBus;
  defaultCommunity: string;
  /** Pages as ordinary readers see them; without it every read goes to the database. */
  pages?: CommentPageCache | undefined;
}

/** The emoji every thread accepts, in display order (the contract's `allowedReactions`). */
export const DEFAULT_REACTIONS: readonly string[] = ['👍', '🎉', '💡', '❤️', '👀', '🙏'];
/** How many of the people behind one emoji a reaction names. */
const PEOPLE_PER_REACTION = 10;

/**
 * Who reads, and whether they facilitate the thread's community: facilitators get hidden content,
 * everyone else its placeholder. Events are written for `ANONYMOUS`, because the stream is public.
 */
interface Reader {
  person: PersonRow | undefined;
  facilitator: boolean;
}
const ANONYMOUS: Reader = { person: undefined, facilitator: false };

/** A comment id as the database holds it; `undefined` for anything that is not one (`01`, `1.0`). */
export function parseCommentId(raw: string): number | undefined {
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : undefined;
}

const threadLocked = () =>
  new HttpProblem(403, 'thread-locked', 'Thread locked', 'This thread is locked: only its facilitators may post or react.');
const emptyBody = () =>
  problems.unprocessable('empty-body', 'Empty comment', 'A comment needs some text besides white space.');
const commentDeleted = () => problems.conflict('comment-deleted', 'Comment deleted', 'This comment was deleted by its author.');
const noSuchComment = (id: string) => problems.notFound(`No comment with id ${id}.`);

// ---- reading ------------------------------------------------------------------------------------

export async function threadRow(db: Kysely<Database>, subject: string): Promise<ThreadRow | undefined> {
  return db.selectFrom('threads').selectAll().where('subject', '=', subject).executeTakeFirst();
}

function toThreadSummary(subject: string, row: ThreadRow | undefined, defaultCommunity: string): ThreadSummary {
  const allowedReactions = [...DEFAULT_REACTIONS];
  if (!row) {
    return { subject, community: defaultCommunity, commentCount: 0, locked: false, mode: 'discussion', acceptedCommentId: null, allowedReactions };
  }
  return {
    subject,
    community: row.community_id,
    commentCount: Number(row.comment_count),
    locked: Number(row.locked) === 1,
    mode: row.mode,
    acceptedCommentId: row.accepted_comment_id === null ? null : String(row.accepted_comment_id),
    createdBy: row.created_by,
    lastCommentAt: row.last_comment_at,
    allowedReactions,
  };
}

async function readerIn(db: Kysely<Database>, person: PersonRow | undefined, communityId: string): Promise<Reader> {
  if (!person) return ANONYMOUS;
  return { person, facilitator: (await roleIn(db, communityId, person.id)) === 'facilitator' };
}

/** Rows an ordinary reader gets: visible ones, and placeholders that hold replies together. */
function shownToEveryone(eb: ExpressionBuilder<Database, 'comments'>) {
  return eb.or([
    eb('comments.state', '=', 'visible'),
    eb.exists(eb.selectFrom('comments as child').select('child.id').whereRef('child.parent_id', '=', 'comments.id')),
  ]);
}

async function hasReplies(db: Kysely<Database>, id: number): Promise<boolean> {
  const row = await db.selectFrom('comments').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst();
  return row !== undefined;
}

async function isShown(db: Kysely<Database>, row: CommentRow, reader: Reader): Promise<boolean> {
  return reader.facilitator || row.state === 'visible' || (await hasReplies(db, Number(row.id)));
}

/** Whether `reader` gets a comment's body, author, mentions and reactions, or only its placeholder. */
function showsContent(row: CommentRow, reader: Reader): boolean {
  return row.state === 'visible' || (row.state === 'hidden' && reader.facilitator);
}

async function peopleById(db: Kysely<Database>, ids: Iterable<string>): Promise<Map<string, PersonRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('people').selectAll().where('id', 'in', unique).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

function emojiOrder(emoji: string): number {
  const index = DEFAULT_REACTIONS.indexOf(emoji);
  return index < 0 ? DEFAULT_REACTIONS.length : index;
}

interface ReactionRows {
  counts: { comment_id: number | string; emoji: string; n: number | string | bigint }[];
  mine: Set<string>;
  recent: { comment_id: number | string; emoji: string; person_id: string }[];
}

/** The reactions on a set of comments, from three queries however many comments there are. */
async function reactionRows(db: Kysely<Database>, ids: number[], reader: Reader): Promise<ReactionRows> {
  if (ids.length === 0) return { counts: [], mine: new Set(), recent: [] };
  const counts = await db
    .selectFrom('comment_reactions')
    .select(['comment_id', 'emoji', (eb) => eb.fn.countAll<number>().as('n')])
    .where('comment_id', 'in', ids)
    .groupBy(['comment_id', 'emoji'])
    .execute();
  const mine = reader.person
    ? await db
        .selectFrom('comment_reactions')
        .select(['comment_id', 'emoji'])
        .where('comment_id', 'in', ids)
        .where('person_id', '=', reader.person.id)
        .execute()
    : [];
  const recent = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('comment_reactions')
        .select([
          'comment_id',
          'emoji',
          'person_id',
          (inner) =>
            inner.fn
              .agg<number>('row_number')
              .over((ob) => ob.partitionBy(['comment_id', 'emoji']).orderBy('created_at', 'desc').orderBy('person_id'))
              .as('rank'),
        ])
        .where('comment_id', 'in', ids)
        .as('ranked'),
    )
    .select(['comment_id', 'emoji', 'person_id'])
    .where('rank', '<=', PEOPLE_PER_REACTION)
    .orderBy('comment_id')
    .orderBy('emoji')
    .orderBy('rank')
    .execute();
  return { counts, mine: new Set(mine.map((row) => `${String(row.comment_id)} ${row.emoji}`)), recent };
}

function reactionsOf(commentId: number, rows: ReactionRows, people: Map<string, PersonRow>): Schemas['Reaction'][] {
  return rows.counts
    .filter((row) => Number(row.comment_id) === commentId)
    .sort((a, b) => emojiOrder(a.emoji) - emojiOrder(b.emoji) || (a.emoji < b.emoji ? -1 : 1))
    .map((row) => ({
      emoji: row.emoji,
      count: Number(row.n),
      reactedByMe: rows.mine.has(`${commentId} ${row.emoji}`),
      people: rows.recent
        .filter((r) => Number(r.comment_id) === commentId && r.emoji === row.emoji)
        .flatMap((r) => {
          const person = people.get(r.person_id);
          return person ? [toPerson(person)] : [];
        }),
    }));
}

/**
 * Comments as `reader` sees them, with a fixed number of queries for the whole set: reply counts,
 * reactions, mentions and people are each read once for every row together.
 */
async function present(db: Kysely<Database>, rows: CommentRow[], reader: Reader): Promise<Comment[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => Number(row.id));
  const withContent = rows.filter((row) => showsContent(row, reader)).map((row) => Number(row.id));
  let replies = db
    .selectFrom('comments')
    .select(['parent_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('parent_id', 'in', ids)
    .groupBy('parent_id');
  if (!reader.facilitator) replies = replies.where(shownToEveryone);
  const replyCounts = new Map((await replies.execute()).map((row) => [Number(row.parent_id), Number(row.n)]));
  const reactions = await reactionRows(db, withContent, reader);
  const mentions =
    withContent.length === 0
      ? []
      : await db.selectFrom('comment_mentions').selectAll().where('comment_id', 'in', withContent).orderBy('person_id').execute();
  const people = await peopleById(db, [
    ...rows.filter((row) => showsContent(row, reader)).map((row) => row.author_id),
    ...reactions.recent.map((row) => row.person_id),
    ...mentions.map((row) => row.person_id),
  ]);
  return rows.map((row) => {
    const id = Number(row.id);
    const content = showsContent(row, reader);
    const author = content ? people.get(row.author_id) : undefined;
    return {
      id: String(id),
      subject: row.subject,
      parentId: row.parent_id === null ? null : String(row.parent_id),
      author: author ? toPerson(author) : null,
      body: content ? row.body : '',
      mentions: content
        ? mentions.flatMap((m) => {
            const person = Number(m.comment_id) === id ? people.get(m.person_id) : undefined;
            return person ? [toPerson(person)] : [];
          })
        : [],
      createdAt: row.created_at,
      editedAt: content ? row.edited_at : null,
      state: row.state,
      pinned: row.pinned_at !== null,
      replyCount: replyCounts.get(id) ?? 0,
      reactions: content ? reactionsOf(id, reactions, people) : [],
    };
  });
}

async function presentOne(db: Kysely<Database>, row: CommentRow, reader: Reader): Promise<Comment> {
  const [comment] = await present(db, [row], reader);
  if (!comment) throw new Error('A presented row is always returned.');
  return comment;
}

/** What the stream says of a comment that no longer exists at all. */
function removedPlaceholder(row: CommentRow): Comment {
  return {
    id: String(row.id),
    subject: row.subject,
    parentId: row.parent_id === null ? null : String(row.parent_id),
    author: null,
    body: '',
    mentions: [],
    createdAt: row.created_at,
    editedAt: null,
    state: 'deleted',
    pinned: false,
    replyCount: 0,
    reactions: [],
  };
}

/** A comment and its thread, or 404 when there is none or `reader` may not see it. */
async function commentFor(
  db: Kysely<Database>,
  rawId: string,
  person: PersonRow | undefined,
): Promise<{ row: CommentRow; thread: ThreadRow; reader: Reader }> {
  const id = parseCommentId(rawId);
  const row = id === undefined ? undefined : await db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw noSuchComment(rawId);
  const thread = await threadRow(db, row.subject);
  if (!thread) throw new Error('Every comment belongs to a thread.');
  const reader = await readerIn(db, person, thread.community_id);
  if (!(await isShown(db, row, reader))) throw noSuchComment(rawId);
  return { row, thread, reader };
}

// ---- cursors ------------------------------------------------------------------------------------

function cursorParts(cursor: string): unknown[] {
  const key = decodeCursor(cursor);
  let parsed: unknown;
  try {
    parsed = JSON.parse(key);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed)) throw problems.badRequest('The cursor is not one this server issued.');
  return parsed;
}

/** Where a comment page starts: after a featured comment (accepted, pinned) or after a regular one. */
type CommentPosition =
  | { phase: 'featured'; id: number }
  | { phase: 'regular'; sort: Sort; id: number; reactions: number };

function readCommentCursor(cursor: string, sort: Sort): CommentPosition {
  const parts = cursorParts(cursor);
  const [phase, a, b, c] = parts;
  if (phase === 'f' && parts.length === 2 && Number.isSafeInteger(a)) return { phase: 'featured', id: Number(a) };
  if (phase === 'r' && parts.length === 4 && typeof a === 'string' && Number.isSafeInteger(b) && Number.isSafeInteger(c)) {
    if (a !== sort) throw problems.badRequest(`This cursor belongs to sort=${a}; keep the sort while paging.`);
    return { phase: 'regular', sort, id: Number(b), reactions: Number(c) };
  }
  throw problems.badRequest('The cursor is not one this server issued.');
}

// ---- threads ------------------------------------------------------------------------------------

export async function listThreads(
  { db, defaultCommunity }: DiscussionContext,
  query: { subjects?: string[]; community?: string; mode?: Schemas['ThreadMode']; answered?: boolean; cursor?: string; limit?: number },
): Promise<Schemas['ThreadList'] | Schemas['ThreadPage']> {
  if (query.subjects) {
    const mixed = (['community', 'mode', 'answered', 'cursor'] as const).filter((name) => query[name] !== undefined);
    if (mixed.length > 0) {
      throw problems.badRequest(
        'Ask either for subjects or for a filtered page, not both.',
        mixed.map((name) => ({ pointer: `/query/${name}`, detail: 'not allowed with subjects' })),
      );
    }
    const rows = await db.selectFrom('threads').selectAll().where('subject', 'in', [...new Set(query.subjects)]).execute();
    const bySubject = new Map(rows.map((row) => [row.subject, row]));
    return { items: query.subjects.map((subject) => toThreadSummary(subject, bySubject.get(subject), defaultCommunity)) };
  }
  if (!query.community) {
    throw problems.badRequest('Name a community (or ask for subjects).', [{ pointer: '/query/community', detail: 'required without subjects' }]);
  }
  await getCommunityRow(db, query.community);
  const limit = pageLimit(query.limit);
  let select = db.selectFrom('threads').selectAll().where('community_id', '=', query.community).where('comment_count', '>', 0);
  if (query.mode) select = select.where('mode', '=', query.mode);
  if (query.answered !== undefined) {
    select = select.where('accepted_comment_id', query.answered ? 'is not' : 'is', null);
  }
  if (query.cursor) {
    const parts = cursorParts(query.cursor);
    const [at, subject] = parts;
    if (parts.length !== 2 || typeof at !== 'string' || typeof subject !== 'string') {
      throw problems.badRequest('The cursor is not one this server issued.');
    }
    select = select.where((eb) =>
      eb.or([eb('last_comment_at', '<', at), eb.and([eb('last_comment_at', '=', at), eb('subject', '<', subject)])]),
    );
  }
  const rows = await select.orderBy('last_comment_at', 'desc').orderBy('subject', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map((row) => toThreadSummary(row.subject, row, defaultCommunity)),
    nextCursor: rows.length > limit && last ? encodeCursor(JSON.stringify([last.last_comment_at, last.subject])) : null,
  };
}

export async function updateThread(
  { db, events, defaultCommunity }: DiscussionContext,
  actor: PersonRow,
  subject: string,
  update: Schemas['ThreadUpdate'],
): Promise<ThreadSummary> {
  const thread = await threadRow(db, subject);
  if (!thread) throw problems.notFound(`Nobody wrote on ${subject} yet: a thread is created by its first comment.`);
  const reader = await readerIn(db, actor, thread.community_id);
  if ((update.locked !== undefined || update.mode !== undefined) && !reader.facilitator) {
    throw problems.forbidden(`Only facilitators of ${thread.community_id} lock a thread or change its mode.`);
  }
  if (update.acceptedCommentId !== undefined && !reader.facilitator && thread.created_by !== actor.id) {
    throw problems.forbidden('Only the person who asked, or a facilitator, accepts an answer.');
  }
  const mode = update.mode ?? thread.mode;
  let accepted = thread.accepted_comment_id === null ? null : Number(thread.accepted_comment_id);
  if (update.acceptedCommentId !== undefined && update.acceptedCommentId !== null) {
    if (mode !== 'question') {
      throw problems.unprocessable('not-a-question', 'Not a question', 'Only a thread in question mode has an accepted answer.');
    }
    const id = parseCommentId(update.acceptedCommentId);
    const answer =
      id === undefined
        ? undefined
        : await db.selectFrom('comments').select('id').where('id', '=', id).where('subject', '=', subject).where('state', '=', 'visible').executeTakeFirst();
    if (!answer) {
      throw problems.unprocessable('invalid-answer', 'Not an answer here', `${update.acceptedCommentId} is not a visible comment of this thread.`);
    }
    accepted = Number(answer.id);
  } else if (update.acceptedCommentId === null) {
    accepted = null;
  }
  // Leaving question mode leaves no answer accepted.
  if (mode !== 'question') accepted = null;
  const locked = update.locked ?? Number(thread.locked) === 1;
  const actions: Schemas['ThreadEvent']['action'][] = [];
  if (locked !== (Number(thread.locked) === 1)) actions.push(locked ? 'locked' : 'unlocked');
  if (mode !== thread.mode) actions.push('mode');
  const wasAccepted = thread.accepted_comment_id === null ? null : Number(thread.accepted_comment_id);
  if (accepted !== wasAccepted && !(mode !== thread.mode && accepted === null)) actions.push('accepted');
  if (actions.length === 0) return toThreadSummary(subject, thread, defaultCommunity);
  const result = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('threads')
      .set({ locked: locked ? 1 : 0, mode, accepted_comment_id: accepted })
      .where('subject', '=', subject)
      .execute();
    const summary = toThreadSummary(subject, await threadRow(trx, subject), defaultCommunity);
    const occurredAt = now();
    const recorded: GuildEvent[] = [];
    for (const action of actions) {
      recorded.push(await events.record(trx, { type: 'thread.changed', occurredAt, actorId: actor.id, action, thread: summary }));
    }
    return { summary, recorded };
  });
  for (const event of result.recorded) events.publish(event);
  return result.summary;
}

// ---- comments -----------------------------------------------------------------------------------

type ListQuery = { subject: string; parent?: string; sort?: Sort; cursor?: string; limit?: number };

/**
 * A page of comments. Ordinary readers share one page from memory (see `CommentPageCache`), with
 * their own reactions marked on it; facilitators, who also see hidden text, always read afresh.
 */
export async function listComments(context: DiscussionContext, query: ListQuery, person: PersonRow | undefined): Promise<Schemas['CommentPage']> {
  const { pages, db } = context;
  if (!pages) return readComments(context, query, person);
  const key = [query.subject, query.parent ?? '', query.sort ?? 'oldest', query.cursor ?? '', query.limit ?? ''].join('\n');
  const generation = pages.generation(query.subject);
  let page = pages.get(key);
  if (!page) {
    page = await readComments(context, query, undefined);
    pages.set(key, query.subject, generation, page);
  }
  if (!person) return page;
  if ((await roleIn(db, page.thread.community, person.id)) === 'facilitator') return readComments(context, query, person);
  const reacted = page.items.filter((comment) => comment.reactions.length > 0).map((comment) => Number(comment.id));
  if (reacted.length === 0) return page;
  const mine = await db
    .selectFrom('comment_reactions')
    .select(['comment_id', 'emoji'])
    .where('comment_id', 'in', reacted)
    .where('person_id', '=', person.id)
    .execute();
  if (mine.length === 0) return page;
  const marked = new Set(mine.map((row) => `${String(row.comment_id)} ${row.emoji}`));
  return {
    ...page,
    items: page.items.map((comment) =>
      comment.reactions.some((r) => marked.has(`${comment.id} ${r.emoji}`))
        ? { ...comment, reactions: comment.reactions.map((r) => (marked.has(`${comment.id} ${r.emoji}`) ? { ...r, reactedByMe: true } : r)) }
        : comment,
    ),
  };
}

async function readComments(
  { db, defaultCommunity }: DiscussionContext,
  query: ListQuery,
  person: PersonRow | undefined,
): Promise<Schemas['CommentPage']> {
  const { subject } = query;
  const sort = query.sort ?? 'oldest';
  const limit = pageLimit(query.limit);
  const position = query.cursor ? readCommentCursor(query.cursor, sort) : undefined;
  const thread = await threadRow(db, subject);
  const summary = toThreadSummary(subject, thread, defaultCommunity);
  const reader = await readerIn(db, person, summary.community);
  let parentId: number | undefined;
  if (query.parent !== undefined) {
    const id = parseCommentId(query.parent);
    const parent =
      id === undefined ? undefined : await db.selectFrom('comments').selectAll().where('id', '=', id).where('subject', '=', subject).executeTakeFirst();
    if (!parent || !(await isShown(db, parent, reader))) throw problems.notFound(`No comment with id ${query.parent} on ${subject}.`);
    parentId = Number(parent.id);
  }
  if (!thread) return { thread: summary, items: [], nextCursor: null };

  const scoped = () => {
    let select = db.selectFrom('comments').selectAll().where('subject', '=', subject);
    select = parentId === undefined ? select.where('parent_id', 'is', null) : select.where('parent_id', '=', parentId);
    return reader.facilitator ? select : select.where(shownToEveryone);
  };

  // The accepted answer, then pinned comments, head the top-level listing whatever the sort.
  const featured: CommentRow[] = [];
  if (parentId === undefined) {
    const accepted = thread.mode === 'question' && thread.accepted_comment_id !== null ? Number(thread.accepted_comment_id) : undefined;
    if (accepted !== undefined) {
      const row = await scoped().where('id', '=', accepted).executeTakeFirst();
      if (row) featured.push(row);
    }
    const pinned = await scoped().where('pinned_at', 'is not', null).orderBy('pinned_at').orderBy('id').execute();
    featured.push(...pinned.filter((row) => Number(row.id) !== accepted));
  }
  const featuredIds = featured.map((row) => Number(row.id));

  let featuredStart = 0;
  if (position?.phase === 'featured') {
    const index = featuredIds.indexOf(position.id);
    featuredStart = index < 0 ? featured.length : index + 1;
  } else if (position?.phase === 'regular') {
    featuredStart = featured.length;
  }
  const featuredPage = featured.slice(featuredStart, featuredStart + limit);
  const moreFeatured = featuredStart + featuredPage.length < featured.length;

  const regular = (take: number) => {
    let select = scoped();
    if (featuredIds.length > 0) select = select.where('id', 'not in', featuredIds);
    if (position?.phase === 'regular') {
      const after = position;
      if (sort === 'oldest') select = select.where('id', '>', after.id);
      else if (sort === 'newest') select = select.where('id', '<', after.id);
      else {
        select = select.where((eb) =>
          eb.or([eb('reaction_count', '<', after.reactions), eb.and([eb('reaction_count', '=', after.reactions), eb('id', '>', after.id)])]),
        );
      }
    }
    if (sort === 'oldest') select = select.orderBy('id', 'asc');
    else if (sort === 'newest') select = select.orderBy('id', 'desc');
    else select = select.orderBy('reaction_count', 'desc').orderBy('id', 'asc');
    return select.limit(take).execute();
  };
  const room = limit - featuredPage.length;
  let regularPage: CommentRow[] = [];
  let moreRegular = false;
  if (room > 0) {
    const rows = await regular(room + 1);
    regularPage = rows.slice(0, room);
    moreRegular = rows.length > room;
  } else if (!moreFeatured) {
    moreRegular = (await regular(1)).length > 0;
  }

  const rows = [...featuredPage, ...regularPage];
  const last = rows.at(-1);
  let nextCursor: string | null = null;
  if (last && (moreFeatured || moreRegular)) {
    nextCursor = encodeCursor(
      JSON.stringify(
        regularPage.length > 0
          ? ['r', sort, Number(last.id), Number(last.reaction_count)]
          : ['f', Number(last.id)],
      ),
    );
  }
  return { thread: summary, items: await present(db, rows, reader), nextCursor };
}

export async function getComment({ db }: DiscussionContext, rawId: string, person: PersonRow | undefined): Promise<Comment> {
  const { row, reader } = await commentFor(db, rawId, person);
  return presentOne(db, row, reader);
}

/** Every id must name a known person; answers the unique ids. */
async function checkMentions(db: Kysely<Database>, mentions: readonly string[] | undefined): Promise<string[]> {
  const unique = [...new Set(mentions ?? [])];
  if (unique.length === 0) return [];
  const known = await peopleById(db, unique);
  const unknown = unique.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw problems.unprocessable('unknown-mention', 'Unknown person mentioned', `No person is known here with id ${unknown.join(', ')}.`);
  }
  return unique;
}

/** Keeps `comment_count` in step with the comments anyone may read. */
export async function refreshThreadCount(trx: Kysely<Database>, subject: string): Promise<void> {
  const row = await trx
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject', '=', subject)
    .where('state', '=', 'visible')
    .executeTakeFirstOrThrow();
  await trx.updateTable('threads').set({ comment_count: Number(row.n) }).where('subject', '=', subject).execute();
}

/** Keeps `reaction_count` (the `reactions` sort) in step with the reactions. */
export async function refreshReactionCount(trx: Kysely<Database>, commentId: number): Promise<void> {
  const row = await trx
    .selectFrom('comment_reactions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('comment_id', '=', commentId)
    .executeTakeFirstOrThrow();
  await trx.updateTable('comments').set({ reaction_count: Number(row.n) }).where('id', '=', commentId).execute();
}

async function commentEvent(
  trx: Kysely<Database>,
  events: EventBus,
  actorId: string,
  action: Schemas['CommentEvent']['action'],
  comment: Comment,
  defaultCommunity: string,
): Promise<GuildEvent> {
  const thread = toThreadSummary(comment.subject, await threadRow(trx, comment.subject), defaultCommunity);
  return events.record(trx, { type: 'comment.changed', occurredAt: now(), actorId, action, comment, thread });
}

export async function createComment(
  { db, events, defaultCommunity }: DiscussionContext,
  author: PersonRow,
  input: Schemas['CommentInput'],
): Promise<Comment> {
  if (input.body.trim() === '') throw emptyBody();
  const mentions = await checkMentions(db, input.mentions);
  const existing = await threadRow(db, input.subject);
  const communityId = existing?.community_id ?? input.community ?? defaultCommunity;
  if (!existing) await getCommunityRow(db, communityId);
  const reader = await readerIn(db, author, communityId);
  if (existing && Number(existing.locked) === 1 && !reader.facilitator) throw threadLocked();
  let parentId: number | null = null;
  if (input.parentId !== undefined) {
    const id = parseCommentId(input.parentId);
    const parent = id === undefined ? undefined : await db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!parent || !(await isShown(db, parent, reader))) throw noSuchComment(input.parentId);
    if (parent.subject !== input.subject) {
      throw problems.unprocessable('parent-elsewhere', 'Reply on another subject', `Comment ${input.parentId} is not on ${input.subject}.`);
    }
    if (parent.state !== 'visible') {
      throw problems.conflict('parent-not-visible', 'Cannot reply here', `Comment ${input.parentId} is ${parent.state}: it takes no replies.`);
    }
    parentId = Number(parent.id);
  }
  const at = now();
  const result = await db.transaction().execute(async (trx) => {
    // Two first comments at once: one creates the thread, both land in it.
    await trx
      .insertInto('threads')
      .values({
        subject: input.subject,
        community_id: communityId,
        mode: input.mode ?? 'discussion',
        locked: 0,
        accepted_comment_id: null,
        created_by: author.id,
        created_at: at,
        last_comment_at: at,
        comment_count: 0,
      })
      .onConflict((oc) => oc.column('subject').doNothing())
      .execute();
    const row = await trx
      .insertInto('comments')
      .values({
        subject: input.subject,
        parent_id: parentId,
        author_id: author.id,
        body: input.body,
        state: 'visible',
        pinned_at: null,
        reaction_count: 0,
        created_at: at,
        edited_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (mentions.length > 0) {
      await trx.insertInto('comment_mentions').values(mentions.map((personId) => ({ comment_id: Number(row.id), person_id: personId }))).execute();
    }
    await trx.updateTable('threads').set({ last_comment_at: at }).where('subject', '=', input.subject).execute();
    await refreshThreadCount(trx, input.subject);
    const event = await commentEvent(trx, events, author.id, 'created', await presentOne(trx, row, ANONYMOUS), defaultCommunity);
    return { row, event };
  });
  events.publish(result.event);
  return presentOne(db, result.row, reader);
}

export async function updateComment(
  { db, events, defaultCommunity }: DiscussionContext,
  actor: PersonRow,
  rawId: string,
  update: Schemas['CommentUpdate'],
): Promise<Comment> {
  const { row, thread, reader } = await commentFor(db, rawId, actor);
  const edits = update.body !== undefined || update.mentions !== undefined;
  const moderates = update.pinned !== undefined || update.hidden !== undefined;
  if (moderates && !reader.facilitator) {
    throw problems.forbidden(`Only facilitators of ${thread.community_id} pin or hide comments.`);
  }
  if (edits && row.author_id !== actor.id) throw problems.forbidden('Only the author of a comment edits it.');
  if (row.state === 'deleted') throw commentDeleted();
  if (edits && row.state === 'hidden' && !reader.facilitator) {
    throw problems.conflict('comment-hidden', 'Comment hidden', 'A facilitator hid this comment: it cannot be edited while hidden.');
  }
  if (update.body !== undefined && update.body.trim() === '') throw emptyBody();
  if (update.pinned === true && row.parent_id !== null) {
    throw problems.unprocessable('not-top-level', 'Only top-level comments are pinned', 'A reply cannot be pinned.');
  }
  const mentions = update.mentions === undefined ? undefined : await checkMentions(db, update.mentions);
  const id = Number(row.id);
  const at = now();
  const changes: { body?: string; edited_at?: string; pinned_at?: string | null; state?: CommentRow['state'] } = {};
  if (update.body !== undefined && update.body !== row.body) Object.assign(changes, { body: update.body, edited_at: at });
  if (update.pinned !== undefined && update.pinned !== (row.pinned_at !== null)) changes.pinned_at = update.pinned ? at : null;
  if (update.hidden !== undefined && update.hidden !== (row.state === 'hidden')) changes.state = update.hidden ? 'hidden' : 'visible';
  const moderated = changes.pinned_at !== undefined || changes.state !== undefined;
  const result = await db.transaction().execute(async (trx) => {
    if (Object.keys(changes).length > 0) await trx.updateTable('comments').set(changes).where('id', '=', id).execute();
    let mentionsChanged = false;
    if (mentions !== undefined) {
      const before = await trx.selectFrom('comment_mentions').select('person_id').where('comment_id', '=', id).execute();
      mentionsChanged = before.length !== mentions.length || before.some((m) => !mentions.includes(m.person_id));
      if (mentionsChanged) {
        await trx.deleteFrom('comment_mentions').where('comment_id', '=', id).execute();
        if (mentions.length > 0) {
          await trx.insertInto('comment_mentions').values(mentions.map((personId) => ({ comment_id: id, person_id: personId }))).execute();
        }
      }
    }
    const recorded: GuildEvent[] = [];
    if (changes.state !== undefined) {
      await refreshThreadCount(trx, row.subject);
      if (changes.state === 'hidden' && thread.accepted_comment_id !== null && Number(thread.accepted_comment_id) === id) {
        recorded.push(...(await clearAccepted(trx, events, actor.id, row.subject, defaultCommunity)));
      }
    }
    const updated = await trx.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const edited = changes.body !== undefined || mentionsChanged;
    if (edited || moderated) {
      const anonymous = await presentOne(trx, updated, ANONYMOUS);
      if (edited) recorded.push(await commentEvent(trx, events, actor.id, 'edited', anonymous, defaultCommunity));
      if (moderated) recorded.push(await commentEvent(trx, events, actor.id, 'moderated', anonymous, defaultCommunity));
    }
    return { updated, recorded };
  });
  for (const event of result.recorded) events.publish(event);
  return presentOne(db, result.updated, reader);
}

/** An accepted answer that is hidden or gone is accepted no more. */
async function clearAccepted(
  trx: Kysely<Database>,
  events: EventBus,
  actorId: string,
  subject: string,
  defaultCommunity: string,
): Promise<GuildEvent[]> {
  await trx.updateTable('threads').set({ accepted_comment_id: null }).where('subject', '=', subject).execute();
  const thread = toThreadSummary(subject, await threadRow(trx, subject), defaultCommunity);
  return [await events.record(trx, { type: 'thread.changed', occurredAt: now(), actorId, action: 'accepted', thread })];
}

async function removeRow(trx: Kysely<Database>, id: number): Promise<void> {
  await trx.deleteFrom('comment_reactions').where('comment_id', '=', id).execute();
  await trx.deleteFrom('comment_mentions').where('comment_id', '=', id).execute();
  await trx.deleteFrom('comment_flags').where('comment_id', '=', id).execute();
  await trx.deleteFrom('comments').where('id', '=', id).execute();
}

export async function deleteComment({ db, events, defaultCommunity }: DiscussionContext, actor: PersonRow, rawId: string): Promise<undefined> {
  // Only the author gets here (server/access.ts); a placeholder is already deleted.
  const id = parseCommentId(rawId);
  const row = id === undefined ? undefined : await db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.state === 'deleted') throw noSuchComment(rawId);
  const recorded = await db.transaction().execute(async (trx) => {
    const out: GuildEvent[] = [];
    const commentId = Number(row.id);
    const thread = await threadRow(trx, row.subject);
    const gone: number[] = [commentId];
    if (await hasReplies(trx, commentId)) {
      await trx.deleteFrom('comment_reactions').where('comment_id', '=', commentId).execute();
      await trx.deleteFrom('comment_mentions').where('comment_id', '=', commentId).execute();
      await trx
        .updateTable('comments')
        .set({ state: 'deleted', body: '', pinned_at: null, reaction_count: 0, edited_at: null })
        .where('id', '=', commentId)
        .execute();
      const placeholder = await trx.selectFrom('comments').selectAll().where('id', '=', commentId).executeTakeFirstOrThrow();
      await refreshThreadCount(trx, row.subject);
      out.push(await commentEvent(trx, events, actor.id, 'deleted', await presentOne(trx, placeholder, ANONYMOUS), defaultCommunity));
    } else {
      await removeRow(trx, commentId);
      const removed = [row];
      // A placeholder is there to hold replies together: when its last reply goes, it goes too.
      let parentId = row.parent_id === null ? undefined : Number(row.parent_id);
      while (parentId !== undefined) {
        const parent = await trx.selectFrom('comments').selectAll().where('id', '=', parentId).executeTakeFirst();
        if (!parent || parent.state !== 'deleted' || (await hasReplies(trx, parentId))) break;
        await removeRow(trx, parentId);
        removed.push(parent);
        gone.push(parentId);
        parentId = parent.parent_id === null ? undefined : Number(parent.parent_id);
      }
      await refreshThreadCount(trx, row.subject);
      for (const comment of removed) {
        out.push(await commentEvent(trx, events, actor.id, 'deleted', removedPlaceholder(comment), defaultCommunity));
      }
    }
    if (thread?.accepted_comment_id != null && gone.includes(Number(thread.accepted_comment_id))) {
      out.push(...(await clearAccepted(trx, events, actor.id, row.subject, defaultCommunity)));
    }
    return out;
  });
  for (const event of recorded) events.publish(event);
  return undefined;
}

// ---- reactions and flags ------------------------------------------------------------------------

/** The allowed emoji `raw` names; a heart without its emoji presentation selector counts as one. */
function allowedEmoji(raw: string): string {
  const found = DEFAULT_REACTIONS.find((emoji) => emoji === raw || emoji === `${raw}\uFE0F`);
  if (!found) {
    throw problems.unprocessable('unknown-emoji', 'Not an allowed reaction', `React with one of ${DEFAULT_REACTIONS.join(' ')}.`);
  }
  return found;
}

export async function setReaction(
  { db, events, defaultCommunity }: DiscussionContext,
  actor: PersonRow,
  rawId: string,
  rawEmoji: string,
  reacted: boolean,
): Promise<Schemas['ReactionList']> {
  const { row, thread, reader } = await commentFor(db, rawId, actor);
  if (Number(thread.locked) === 1 && !reader.facilitator) throw threadLocked();
  if (row.state !== 'visible') {
    throw problems.conflict('comment-not-visible', 'No reactions here', `This comment is ${row.state}: it takes no reactions.`);
  }
  const emoji = allowedEmoji(rawEmoji);
  const id = Number(row.id);
  const result = await db.transaction().execute(async (trx) => {
    const changed = reacted
      ? (
          await trx
            .insertInto('comment_reactions')
            .values({ comment_id: id, person_id: actor.id, emoji, created_at: now() })
            .onConflict((oc) => oc.columns(['comment_id', 'emoji', 'person_id']).doNothing())
            .executeTakeFirst()
        ).numInsertedOrUpdatedRows !== 0n
      : (
          await trx
            .deleteFrom('comment_reactions')
            .where('comment_id', '=', id)
            .where('emoji', '=', emoji)
            .where('person_id', '=', actor.id)
            .executeTakeFirst()
        ).numDeletedRows !== 0n;
    if (!changed) return { event: undefined };
    await refreshReactionCount(trx, id);
    const updated = await trx.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const event = await commentEvent(trx, events, actor.id, 'reacted', await presentOne(trx, updated, ANONYMOUS), defaultCommunity);
    return { event };
  });
  if (result.event) events.publish(result.event);
  const rows = await reactionRows(db, [id], reader);
  return { items: reactionsOf(id, rows, await peopleById(db, rows.recent.map((r) => r.person_id))) };
}

export async function flagComment(
  { db }: DiscussionContext,
  actor: PersonRow,
  rawId: string,
  input: Schemas['FlagInput'],
): Promise<Schemas['Flag']> {
  const { row } = await commentFor(db, rawId, actor);
  if (row.state === 'deleted') throw commentDeleted();
  if (input.reason.trim() === '') {
    throw problems.unprocessable('empty-reason', 'Reason required', 'Say why the facilitators should look at this comment.');
  }
  const flag = await db
    .insertInto('comment_flags')
    .values({ comment_id: Number(row.id), person_id: actor.id, reason: input.reason, created_at: now() })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw problems.conflict('already-flagged', 'Already flagged', 'You already flagged this comment.');
      throw error;
    });
  return { id: String(flag.id), reason: flag.reason, createdAt: flag.created_at };
}
