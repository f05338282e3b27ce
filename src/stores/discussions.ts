import { map, onMount, type MapStore, type ReadableAtom } from 'nanostores';
import type { Connection } from '../api/client.js';
import { errorFromException, GuildApiError } from '../api/errors.js';
import type { components } from '../api/schema.js';
import { BatchLoader } from './batch.js';
import { isValidSubject } from './subject.js';
import { listenLive, type LiveEvent } from './live.js';
import { unwrap } from './request.js';
import { isFacilitator, myId, sessionStore } from './session.js';

export type Comment = components['schemas']['Comment'];
export type ThreadSummary = components['schemas']['ThreadSummary'];
export type Reaction = components['schemas']['Reaction'];
export type Person = components['schemas']['Person'];
export type CommentSort = 'oldest' | 'newest' | 'reactions';

/** The top level of a thread in `ThreadState.branches`; every other branch is keyed by its parent's id. */
export const TOP = '';

/** How many comments one page brings: a first screen and a little more. */
const PAGE_SIZE = 20;

/** One list of comments: the top level, or the replies to one comment, as far as it is loaded. */
export interface Branch {
  ids: string[];
  nextCursor: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: GuildApiError | undefined;
}

/** A comment of mine on its way to the server. */
export interface Sending {
  error: GuildApiError | undefined;
}

export interface ThreadState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  loadError: GuildApiError | undefined;
  thread: ThreadSummary | undefined;
  sort: CommentSort;
  /** Every comment loaded so far, by id (mine being sent have ids starting with `local:`). */
  comments: Record<string, Comment>;
  branches: Record<string, Branch>;
  /** Comments others wrote since the page loaded, offered as "N new comments" instead of moving the page. */
  incoming: Comment[];
  /** My comments being sent, by their local id. */
  sending: Record<string, Sending>;
  /** The reaction or moderation change in flight per comment id, so a double click sends one. */
  busy: Record<string, true>;
}

export type ThreadStore = ReadableAtom<ThreadState>;

interface ConnectionThreads {
  stores: Map<string, MapStore<ThreadState>>;
  counts: Map<string, MapStore<CountState>>;
  countLoader: BatchLoader<string, ThreadSummary>;
}

const byConnection = new Map<string, ConnectionThreads>();

function threadsFor(connection: Connection): ConnectionThreads {
  let entry = byConnection.get(connection.key);
  if (!entry) {
    entry = {
      stores: new Map(),
      counts: new Map(),
      // A list of 30 pages with comment counts: one request.
      countLoader: new BatchLoader(async (subjects, signal) => {
        const data = await unwrap(connection.client.GET('/threads', { params: { query: { subjects } }, signal }));
        const items = 'items' in data ? data.items : [];
        return new Map(items.map((summary) => [summary.subject, summary]));
      }),
    };
    byConnection.set(connection.key, entry);
  }
  return entry;
}

function invalidSubject(subject: string): GuildApiError {
  const detail = `"${subject.slice(0, 80)}" is not a valid subject: at most 512 characters, no spaces, commas or control characters.`;
  console.warn(`Guildkit: ${detail}`);
  return new GuildApiError('invalid-input', { type: '/problems/invalid-subject', title: 'Invalid subject', status: 400, detail });
}

const emptyBranch = (): Branch => ({ ids: [], nextCursor: null, status: 'idle', error: undefined });

/**
 * The discussion on one subject. Loading starts when the first element subscribes; live changes
 * arrive through the page's one event stream; everything stops when nothing listens.
 */
export function threadStore(connection: Connection, subject: string): ThreadStore {
  const entry = threadsFor(connection);
  const existing = entry.stores.get(subject);
  if (existing) return existing;
  const $store = map<ThreadState>({
    status: 'idle',
    loadError: undefined,
    thread: undefined,
    sort: 'oldest',
    comments: {},
    branches: {},
    incoming: [],
    sending: {},
    busy: {},
  });
  onMount($store, () => {
    entry.stores.set(subject, $store);
    const stopSession = sessionStore(connection).listen(() => undefined);
    const stopLive = listenLive(connection, (event) => applyLiveEvent(connection, subject, $store, event));
    if ($store.get().status !== 'ready') void loadThread(connection, subject);
    return () => {
      stopLive();
      stopSession();
      if (entry.stores.get(subject) === $store) entry.stores.delete(subject);
    };
  });
  entry.stores.set(subject, $store);
  return $store;
}

function storeOf(connection: Connection, subject: string): MapStore<ThreadState> | undefined {
  return threadsFor(connection).stores.get(subject);
}

async function fetchPage(connection: Connection, subject: string, parent: string, sort: CommentSort, cursor: string | null) {
  return unwrap(
    connection.client.GET('/comments', {
      params: {
        query: {
          subject,
          sort,
          limit: PAGE_SIZE,
          ...(parent === TOP ? {} : { parent }),
          ...(cursor ? { cursor } : {}),
        },
      },
    }),
  );
}

function withComments(state: ThreadState, comments: Comment[]): Record<string, Comment> {
  const next = { ...state.comments };
  for (const comment of comments) next[comment.id] = comment;
  return next;
}

/** Loads (or reloads, e.g. after a sort change) the first page of top-level comments. */
export async function loadThread(connection: Connection, subject: string, sort?: CommentSort): Promise<void> {
  const $store = storeOf(connection, subject);
  if (!$store) return;
  if (!isValidSubject(subject)) {
    $store.set({ ...$store.get(), status: 'error', loadError: invalidSubject(subject) });
    return;
  }
  const order = sort ?? $store.get().sort;
  $store.set({ ...$store.get(), status: 'loading', loadError: undefined, sort: order });
  try {
    const page = await fetchPage(connection, subject, TOP, order, null);
    const state = $store.get();
    if (state.sort !== order) return;
    $store.set({
      ...state,
      status: 'ready',
      thread: page.thread,
      comments: withComments({ ...state, comments: {} }, page.items),
      branches: { [TOP]: { ids: page.items.map((c) => c.id), nextCursor: page.nextCursor, status: 'ready', error: undefined } },
      incoming: [],
    });
  } catch (error) {
    $store.set({ ...$store.get(), status: 'error', loadError: errorFromException(error) });
  }
}

/** Loads the next page of the top level (`parent` omitted) or of one comment's replies. */
export async function loadMore(connection: Connection, subject: string, parent: string = TOP): Promise<void> {
  const $store = storeOf(connection, subject);
  if (!$store) return;
  const before = $store.get();
  const branch = before.branches[parent] ?? emptyBranch();
  if (branch.status === 'loading' || (branch.status === 'ready' && !branch.nextCursor)) return;
  $store.setKey('branches', { ...before.branches, [parent]: { ...branch, status: 'loading', error: undefined } });
  try {
    const page = await fetchPage(connection, subject, parent, before.sort, branch.nextCursor);
    const state = $store.get();
    if (state.sort !== before.sort) return;
    const current = state.branches[parent] ?? branch;
    const known = new Set(current.ids);
    $store.set({
      ...state,
      thread: page.thread,
      comments: withComments(state, page.items),
      branches: {
        ...state.branches,
        [parent]: {
          ids: [...current.ids, ...page.items.map((c) => c.id).filter((id) => !known.has(id))],
          nextCursor: page.nextCursor,
          status: 'ready',
          error: undefined,
        },
      },
    });
  } catch (error) {
    const state = $store.get();
    $store.setKey('branches', { ...state.branches, [parent]: { ...(state.branches[parent] ?? branch), status: 'error', error: errorFromException(error) } });
  }
}

function placeAmong(state: ThreadState, parent: string, id: string): string[] {
  const ids = (state.branches[parent]?.ids ?? []).filter((existing) => existing !== id);
  // The reader's own new comment shows where they will look for it: at the end of an oldest-first
  // list, at the top of a newest-first one (below what is pinned or accepted).
  if (parent === TOP && state.sort === 'newest') {
    const firstRegular = ids.findIndex((other) => !state.comments[other]?.pinned && other !== state.thread?.acceptedCommentId);
    const at = firstRegular === -1 ? ids.length : firstRegular;
    return [...ids.slice(0, at), id, ...ids.slice(at)];
  }
  return [...ids, id];
}

function bumpReplies(comments: Record<string, Comment>, parentId: string | null, by: number): Record<string, Comment> {
  if (!parentId || !comments[parentId]) return comments;
  const parent = comments[parentId];
  return { ...comments, [parentId]: { ...parent, replyCount: Math.max(0, parent.replyCount + by) } };
}

function withCount(thread: ThreadSummary | undefined, by: number): ThreadSummary | undefined {
  return thread ? { ...thread, commentCount: Math.max(0, thread.commentCount + by) } : thread;
}

/**
 * Adds a comment to what the reader sees, under its parent (or at the top level). A reply whose
 * parent's replies are not open yet only counts, unless it is the reader's own (`open`): then it
 * shows, and the rest of the replies still load on request.
 */
function reveal(state: ThreadState, comment: Comment, open = false): ThreadState {
  if (state.comments[comment.id] && (state.branches[comment.parentId ?? TOP]?.ids ?? []).includes(comment.id)) return state;
  const parent = comment.parentId ?? TOP;
  const branch = state.branches[parent];
  const comments = { ...state.comments, [comment.id]: comment };
  if (parent !== TOP && !branch && !open) return { ...state, comments };
  return {
    ...state,
    comments,
    branches: { ...state.branches, [parent]: { ...(branch ?? emptyBranch()), status: branch?.status ?? (parent === TOP ? 'ready' : 'idle'), ids: placeAmong(state, parent, comment.id) } },
  };
}

function replace(connection: Connection, subject: string, comment: Comment): void {
  const $store = storeOf(connection, subject);
  if (!$store) return;
  const state = $store.get();
  if (!state.comments[comment.id]) return;
  $store.setKey('comments', { ...state.comments, [comment.id]: comment });
}

function removeComment(state: ThreadState, id: string): ThreadState {
  const comment = state.comments[id];
  if (!comment) return state;
  const parent = comment.parentId ?? TOP;
  const branch = state.branches[parent];
  const comments = bumpReplies({ ...state.comments }, comment.parentId, -1);
  delete comments[id];
  return {
    ...state,
    comments,
    branches: branch ? { ...state.branches, [parent]: { ...branch, ids: branch.ids.filter((other) => other !== id) } } : state.branches,
    thread: withCount(state.thread, -1),
  };
}

/** Shows the comments others wrote since the page loaded. */
export function showIncoming(connection: Connection, subject: string): void {
  const $store = storeOf(connection, subject);
  if (!$store) return;
  let state = $store.get();
  for (const comment of state.incoming) state = reveal(state, comment);
  $store.set({ ...state, incoming: [] });
}

/** Reads one comment again as I may see it (a facilitator sees hidden text; events carry the placeholder). */
async function reread(connection: Connection, subject: string, id: string): Promise<void> {
  try {
    const comment = await unwrap(connection.client.GET('/comments/{commentId}', { params: { path: { commentId: id } } }));
    replace(connection, subject, comment);
  } catch {
    // Hidden from me or gone: the event's version stands.
  }
}

type CommentChanged = Extract<LiveEvent, { type: 'comment.changed' }>;

/** Keeps which reactions are mine: events are written for everyone, so they never say. */
function keepMine(next: Comment, previous: Comment | undefined): Comment {
  if (!previous) return next;
  const mine = new Set(previous.reactions.filter((r) => r.reactedByMe).map((r) => r.emoji));
  return mine.size ? { ...next, reactions: next.reactions.map((r) => (mine.has(r.emoji) ? { ...r, reactedByMe: true } : r)) } : next;
}

function applyLiveEvent(connection: Connection, subject: string, $store: MapStore<ThreadState>, event: LiveEvent): void {
  if (event.type === 'thread.changed') {
    if (event.thread.subject !== subject) return;
    const before = $store.get().thread?.acceptedCommentId;
    $store.setKey('thread', event.thread);
    if (event.thread.acceptedCommentId && event.thread.acceptedCommentId !== before && event.actorId !== myId(connection)) void loadThread(connection, subject);
    return;
  }
  if (event.type !== 'comment.changed' || event.comment.subject !== subject) return;
  const state = $store.get();
  if (state.status !== 'ready') return;
  applyCommentEvent(connection, subject, $store, state, event);
}

function applyCommentEvent(connection: Connection, subject: string, $store: MapStore<ThreadState>, state: ThreadState, event: CommentChanged): void {
  const { comment } = event;
  const known = state.comments[comment.id];
  const fromMe = event.actorId === myId(connection);
  switch (event.action) {
    case 'created': {
      if (known || state.incoming.some((c) => c.id === comment.id)) return;
      // My own comment being sent from this tab is already shown; its answer will put it in place.
      // (The same words under the same parent; a comment of mine from another tab still shows.)
      const mineInFlight = fromMe && Object.keys(state.sending).some((id) => {
        const local = state.comments[id];
        return local && local.parentId === comment.parentId && local.body.trim() === comment.body.trim();
      });
      if (mineInFlight) return;
      const counted = { ...state, thread: withCount(state.thread, 1), comments: bumpReplies(state.comments, comment.parentId, 1) };
      if (fromMe) {
        $store.set(reveal(counted, comment, true));
        return;
      }
      $store.set({ ...counted, incoming: [...state.incoming, comment] });
      return;
    }
    case 'deleted': {
      const pendingIncoming = state.incoming.filter((c) => c.id !== comment.id);
      if (!known) {
        if (pendingIncoming.length !== state.incoming.length) $store.set({ ...state, incoming: pendingIncoming, thread: withCount(state.thread, -1) });
        return;
      }
      if (known.state === 'deleted' || (known.state !== 'visible' && comment.state === 'deleted')) {
        $store.set({ ...state, comments: { ...state.comments, [comment.id]: comment } });
        return;
      }
      const next = known.replyCount > 0 || comment.replyCount > 0 ? { ...state, comments: { ...state.comments, [comment.id]: comment }, thread: withCount(state.thread, -1) } : removeComment(state, comment.id);
      $store.set({ ...next, incoming: pendingIncoming });
      return;
    }
    case 'moderated': {
      if (!known) return;
      if (isFacilitator(sessionStore(connection).get(), state.thread?.community)) {
        $store.setKey('comments', { ...state.comments, [comment.id]: keepMine(comment, known) });
        // Hidden text reaches facilitators only by asking as themselves.
        if (comment.state === 'hidden' || known.state === 'hidden') void reread(connection, subject, comment.id);
        return;
      }
      // Members never see hidden text: a hidden comment nobody answered leaves the page.
      if (comment.state === 'hidden' && comment.replyCount === 0) $store.set(removeComment(state, comment.id));
      else $store.setKey('comments', { ...state.comments, [comment.id]: keepMine(comment, known) });
      return;
    }
    default: {
      if (!known || state.busy[comment.id]) return;
      $store.setKey('comments', { ...state.comments, [comment.id]: keepMine(comment, known) });
    }
  }
}

/** A subject's comment count, for `view="count"`. */
export interface CountState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  thread: ThreadSummary | undefined;
  error: GuildApiError | undefined;
}

/** The comment count on one subject; twenty counts on one page share one request, and follow live changes. */
export function countStore(connection: Connection, subject: string): ReadableAtom<CountState> {
  const entry = threadsFor(connection);
  const existing = entry.counts.get(subject);
  if (existing) return existing;
  const $count = map<CountState>({ status: 'idle', thread: undefined, error: undefined });
  const load = async (signal: AbortSignal) => {
    if (!isValidSubject(subject)) {
      $count.set({ status: 'error', thread: undefined, error: invalidSubject(subject) });
      return;
    }
    if ($count.get().status !== 'ready') $count.setKey('status', 'loading');
    try {
      const thread = await entry.countLoader.get(subject, signal);
      $count.set({ status: 'ready', thread, error: undefined });
    } catch (error) {
      if (!signal.aborted) $count.set({ status: 'error', thread: $count.get().thread, error: errorFromException(error) });
    }
  };
  onMount($count, () => {
    entry.counts.set(subject, $count);
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopLive = listenLive(connection, (event) => {
      const changed = event.type === 'comment.changed' ? event.comment.subject : event.type === 'thread.changed' ? event.thread.subject : undefined;
      if (changed !== subject || (event.type === 'comment.changed' && event.action !== 'created' && event.action !== 'deleted' && event.action !== 'moderated')) return;
      // A burst of comments becomes one re-read.
      clearTimeout(timer);
      timer = setTimeout(() => void load(controller.signal), 250);
    });
    void load(controller.signal);
    return () => {
      clearTimeout(timer);
      controller.abort();
      stopLive();
      if (entry.counts.get(subject) === $count) entry.counts.delete(subject);
    };
  });
  entry.counts.set(subject, $count);
  return $count;
}

/** Reads the count again after a failure. */
export function reloadCount(connection: Connection, subject: string): void {
  const $count = threadsFor(connection).counts.get(subject);
  if (!$count) return;
  void threadsFor(connection)
    .countLoader.get(subject, new AbortController().signal)
    .then(
      (thread) => $count.set({ status: 'ready', thread, error: undefined }),
      (error: unknown) => $count.set({ status: 'error', thread: undefined, error: errorFromException(error) }),
    );
}

/** Who is signed in, as comments and reactions name them. */
function signedInPerson(connection: Connection): Person | undefined {
  const session = sessionStore(connection).get();
  return session.status === 'ready' ? session.data?.person : undefined;
}

/** The summary of one thread, read through the same batch as the counts. */
function readSummary(connection: Connection, subject: string): Promise<ThreadSummary> {
  return threadsFor(connection).countLoader.get(subject, new AbortController().signal);
}

/**
 * What the write actions (`discussion-actions.ts`) need of the thread stores. They load later, in a
 * chunk of their own, and must not import this module (a module two lazily loaded chunks share
 * becomes a third chunk), so the thread hands them this. Elements use the read-only stores above.
 */
export const threadInternals = { TOP, storeOf, reveal, bumpReplies, withCount, removeComment, replace, loadThread, readSummary, signedInPerson };
export type ThreadInternals = typeof threadInternals;

// ---------------------------------------------------------------------------------------------
// From discussion to card: the thread's own small part of the cards API (the card store stays in
// the card's chunk; a thread needs only to list the cards written from it, and, in
// `discussion-actions.ts`, to create a draft).

export type WrittenCard = components['schemas']['Card'];

/** The published cards written from a discussion, as the thread links to them. */
export interface SourceCardsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  items: WrittenCard[];
}

const sourceCards = new Map<string, MapStore<SourceCardsState>>();

/** The published cards written from `subject` (`listCards?sourceSubject=`); follows cards published live. */
export function sourceCardsStore(connection: Connection, subject: string): ReadableAtom<SourceCardsState> {
  const key = `${connection.key}\n${subject}`;
  const existing = sourceCards.get(key);
  if (existing) return existing;
  const $cards = map<SourceCardsState>({ status: 'idle', items: [] });
  onMount($cards, () => {
    const controller = new AbortController();
    const stopLive = listenLive(connection, (event) => {
      if (event.type !== 'card.changed' || event.card.sourceSubject !== subject || event.card.status !== 'published') return;
      const items = $cards.get().items;
      $cards.setKey('items', items.some((card) => card.id === event.card.id) ? items.map((card) => (card.id === event.card.id ? event.card : card)) : [...items, event.card]);
    });
    if ($cards.get().status !== 'ready') $cards.setKey('status', 'loading');
    void unwrap(connection.client.GET('/cards', { params: { query: { sourceSubject: subject, limit: 5 } }, signal: controller.signal })).then(
      (page) => $cards.set({ status: 'ready', items: page.items }),
      // The link back is a convenience: a thread whose cards cannot be listed shows none.
      () => {
        if (!controller.signal.aborted) $cards.set({ status: 'error', items: [] });
      },
    );
    return () => {
      controller.abort();
      stopLive();
    };
  });
  sourceCards.set(key, $cards);
  return $cards;
}
