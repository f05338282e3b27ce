/**
 * The discussion's write actions: posting, editing, moderating, deleting, reacting, flagging, thread
 * changes, mention search and drafting a card from an answer. Only the thread's lazily loaded parts
 * import this module, so a page that only reads a discussion never loads it.
 */
import type { Connection } from '../api/client.js';
import { errorFromException, GuildApiError } from '../api/errors.js';
import type { components } from '../api/schema.js';
// Types only: the thread hands over what these actions need of its stores and the session (`ThreadInternals`);
// importing those here would make the bundler split shared code into a chunk every page loads.
import type { Comment, Person, Reaction, ThreadInternals, ThreadSummary, WrittenCard } from './discussions.js';
import { idempotencyKey, unwrap } from './request.js';

export interface NewComment {
  body: string;
  parentId?: string | undefined;
  mentions?: string[] | undefined;
  /** Used only by the first comment, which creates the thread. */
  community?: string | undefined;
  mode?: 'discussion' | 'question' | undefined;
}

/** Flags a comment for the facilitators. */
export async function flagComment(connection: Connection, id: string, reason: string, key = idempotencyKey()): Promise<void> {
  await unwrap(connection.client.POST('/comments/{commentId}/flags', { params: { path: { commentId: id }, header: { 'Idempotency-Key': key } }, body: { reason } }));
}

/** Members of `community` (everyone, without it) whose name or id starts with `prefix`, for `@mentions`. */
export async function searchPeople(connection: Connection, prefix: string, signal: AbortSignal, community?: string): Promise<Person[]> {
  const page = await unwrap(connection.client.GET('/people', { params: { query: { query: prefix, limit: 8, ...(community ? { community } : {}) } }, signal }));
  return page.items;
}

/** Creates a draft card from an accepted answer; `key` identifies the intention (a retry never makes two). */
export async function draftCardFromAnswer(connection: Connection, input: components['schemas']['CardInput'], key = idempotencyKey()): Promise<WrittenCard> {
  return unwrap(connection.client.POST('/cards', { params: { header: { 'Idempotency-Key': key } }, body: { ...input, status: 'draft' } }));
}

/**
 * Whether a card can still be read: a draft deleted elsewhere cannot (404, or 403 once it is not
 * mine to see), and must not be offered again.
 */
export async function cardStillThere(connection: Connection, id: string): Promise<boolean> {
  try {
    await unwrap(connection.client.GET('/cards/{cardId}', { params: { path: { cardId: id } } }));
    return true;
  } catch (error) {
    if (error instanceof GuildApiError && (error.status === 404 || error.status === 403)) return false;
    throw error;
  }
}

/**
 * The actions that change what a thread shows, working on the thread stores `threads` gives access to
 * (this module loads later, in a chunk of its own, and must not import those stores itself).
 */
export function threadActions(threads: ThreadInternals) {
  const { TOP, storeOf, reveal, bumpReplies, withCount, removeComment, replace, loadThread, readSummary, signedInPerson } = threads;

  /**
   * Posts a comment. It shows at once (marked as sending); the server's answer replaces it. One
   * `Idempotency-Key` per intention, so a double click or a retry creates exactly one comment.
   * Returns the created comment, or throws the error after putting the page back as it was.
   */
  async function postComment(connection: Connection, subject: string, input: NewComment, key = idempotencyKey()): Promise<Comment> {
    const $store = storeOf(connection, subject);
    if (!$store) throw new GuildApiError('aborted', { type: 'about:blank', title: 'The thread is not shown', status: 499 });
    const me = signedInPerson(connection);
    const localId = `local:${key}`;
    const now = new Date().toISOString();
    const optimistic: Comment = {
      id: localId,
      subject,
      parentId: input.parentId ?? null,
      author: me ?? null,
      body: input.body,
      createdAt: now,
      editedAt: null,
      state: 'visible',
      pinned: false,
      replyCount: 0,
      reactions: [],
      mentions: [],
    };
    const before = $store.get();
    if (!before.sending[localId]) {
      const shown = reveal(before, optimistic, true);
      $store.set({ ...shown, sending: { ...before.sending, [localId]: { error: undefined } } });
    }
    try {
      const created = await unwrap(
        connection.client.POST('/comments', {
          params: { header: { 'Idempotency-Key': key } },
          body: {
            subject,
            body: input.body,
            ...(input.parentId ? { parentId: input.parentId } : {}),
            ...(input.mentions?.length ? { mentions: input.mentions } : {}),
            ...(input.community ? { community: input.community } : {}),
            ...(input.mode ? { mode: input.mode } : {}),
          },
        }),
      );
      const state = $store.get();
      const parent = created.parentId ?? TOP;
      const alreadyLive = Boolean(state.comments[created.id]);
      const comments = { ...state.comments, [created.id]: created };
      delete comments[localId];
      const sending = { ...state.sending };
      delete sending[localId];
      const branch = state.branches[parent];
      const branches = branch
        ? {
            ...state.branches,
            [parent]: {
              ...branch,
              ids: alreadyLive ? branch.ids.filter((id) => id !== localId) : branch.ids.map((id) => (id === localId ? created.id : id)),
            },
          }
        : state.branches;
      $store.set({
        ...state,
        comments: alreadyLive ? comments : bumpReplies(comments, created.parentId, 1),
        branches,
        sending,
        incoming: state.incoming.filter((c) => c.id !== created.id),
        thread: alreadyLive ? state.thread : withCount(state.thread ?? undefined, 1),
      });
      if (!state.thread || state.thread.commentCount === 0) void refreshSummary(connection, subject);
      return created;
    } catch (error) {
      const failure = errorFromException(error);
      const state = $store.get();
      const comments = { ...state.comments };
      delete comments[localId];
      const sending = { ...state.sending };
      delete sending[localId];
      const parent = input.parentId ?? TOP;
      const branch = state.branches[parent];
      $store.set({
        ...state,
        comments,
        sending,
        branches: branch ? { ...state.branches, [parent]: { ...branch, ids: branch.ids.filter((id) => id !== localId) } } : state.branches,
      });
      throw failure;
    }
  }

  async function refreshSummary(connection: Connection, subject: string): Promise<void> {
    const $store = storeOf(connection, subject);
    if (!$store) return;
    try {
      const summary = await readSummary(connection, subject);
      $store.setKey('thread', summary);
    } catch {
      // The summary refreshes with the next change; the comments themselves are in place.
    }
  }

  /** Saves a new text for my comment. */
  async function editComment(connection: Connection, subject: string, id: string, body: string, mentions: string[] = []): Promise<Comment> {
    const updated = await unwrap(
      connection.client.PATCH('/comments/{commentId}', { params: { path: { commentId: id } }, body: { body, ...(mentions.length ? { mentions } : {}) } }),
    );
    replace(connection, subject, updated);
    return updated;
  }

  /** Pins, unpins, hides or unhides a comment (facilitators). */
  async function moderateComment(connection: Connection, subject: string, id: string, change: { pinned?: boolean; hidden?: boolean }): Promise<Comment> {
    const updated = await unwrap(connection.client.PATCH('/comments/{commentId}', { params: { path: { commentId: id } }, body: change }));
    replace(connection, subject, updated);
    return updated;
  }

  /** Deletes my comment: it disappears, or stays as a placeholder when others replied to it. */
  async function deleteComment(connection: Connection, subject: string, id: string): Promise<void> {
    await unwrap(connection.client.DELETE('/comments/{commentId}', { params: { path: { commentId: id } } }).then((result) => ({ ...result, data: result.response.ok ? {} : undefined })));
    const $store = storeOf(connection, subject);
    if (!$store) return;
    const state = $store.get();
    const comment = state.comments[id];
    if (!comment) return;
    if (comment.replyCount > 0) {
      $store.set({
        ...state,
        comments: { ...state.comments, [id]: { ...comment, state: 'deleted', body: '', author: null, reactions: [], mentions: [] } },
        thread: withCount(state.thread, -1),
      });
    } else {
      $store.set(removeComment(state, id));
    }
  }

  /** Reacts with `emoji`, or takes my reaction back. Optimistic, rolled back if the server refuses. */
  async function toggleReaction(connection: Connection, subject: string, id: string, emoji: string): Promise<void> {
    const $store = storeOf(connection, subject);
    const before = $store?.get();
    const comment = before?.comments[id];
    if (!$store || !before || !comment || before.busy[id]) return;
    const mine = comment.reactions.find((r) => r.emoji === emoji)?.reactedByMe ?? false;
    const me = signedInPerson(connection);
    const reactions = mine
      ? comment.reactions
          .map((r) => (r.emoji === emoji ? { ...r, count: r.count - 1, reactedByMe: false, people: r.people.filter((p) => p.id !== me?.id) } : r))
          .filter((r) => r.count > 0)
      : comment.reactions.some((r) => r.emoji === emoji)
        ? comment.reactions.map((r) => (r.emoji === emoji ? { ...r, count: r.count + 1, reactedByMe: true, people: me ? [me, ...r.people].slice(0, 10) : r.people } : r))
        : [...comment.reactions, { emoji, count: 1, reactedByMe: true, people: me ? [me] : [] }];
    $store.set({ ...before, comments: { ...before.comments, [id]: { ...comment, reactions } }, busy: { ...before.busy, [id]: true } });
    const settle = (next: Reaction[]) => {
      const state = $store.get();
      const busy = { ...state.busy };
      delete busy[id];
      const current = state.comments[id];
      $store.set({ ...state, busy, comments: current ? { ...state.comments, [id]: { ...current, reactions: next } } : state.comments });
    };
    try {
      const path = { params: { path: { commentId: id, emoji } } };
      const answer = await unwrap(mine ? connection.client.DELETE('/comments/{commentId}/reactions/{emoji}', path) : connection.client.PUT('/comments/{commentId}/reactions/{emoji}', path));
      settle(answer.items);
    } catch (error) {
      settle(comment.reactions);
      throw errorFromException(error);
    }
  }

  /** Locks or unlocks the thread, changes its mode, or accepts an answer. */
  async function updateThread(
    connection: Connection,
    subject: string,
    change: components['schemas']['ThreadUpdate'],
  ): Promise<ThreadSummary> {
    const thread = await unwrap(connection.client.PATCH('/threads', { params: { query: { subject } }, body: change }));
    const $store = storeOf(connection, subject);
    if ($store) {
      const state = $store.get();
      const accepted = change.acceptedCommentId !== undefined && thread.acceptedCommentId !== state.thread?.acceptedCommentId;
      $store.setKey('thread', thread);
      // The accepted answer moves to the top: the list is read again in the server's order.
      if (accepted) void loadThread(connection, subject);
    }
    return thread;
  }

  return { postComment, editComment, moderateComment, deleteComment, toggleReaction, updateThread };
}
