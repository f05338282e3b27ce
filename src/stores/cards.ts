import { map, onMount, type MapStore, type ReadableAtom } from 'nanostores';
import type { Connection } from '../api/client.js';
import { errorFromException, GuildApiError } from '../api/errors.js';
import type { components } from '../api/schema.js';
import { BatchLoader } from './batch.js';
import { listenLive, type LiveEvent } from './live.js';
import { unwrap } from './request.js';
import { myId } from './session.js';

export type Card = components['schemas']['Card'];
export type CardInput = components['schemas']['CardInput'];
export type CardUpdate = components['schemas']['CardUpdate'];
export type CardVersion = components['schemas']['CardVersion'];
export type TrustState = components['schemas']['TrustState'];
export type CardEvent = components['schemas']['CardEvent'];
export type CardPerson = components['schemas']['Person'];

/** A change someone made to a card while it was on screen (from the event stream). */
export interface CardChange {
  action: CardEvent['action'];
  actorId: string;
  /** The event's id: an element tells one change from the next by it. */
  id: string;
  /** `performance.now()` when it arrived: an element mounted later does not announce it. */
  at: number;
}

/** One card as an element shows it. */
export interface CardState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: Card | undefined;
  error: GuildApiError | undefined;
  /** The last change someone made while the card was shown. */
  change: CardChange | undefined;
}

/** A list of cards (by tag, drafts, related, written from a discussion). */
export interface CardListState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  items: Card[];
  error: GuildApiError | undefined;
}

/** What a list shows: one of the contract's `listCards` filters. */
export interface CardQuery {
  tag?: string;
  related?: string;
  status?: 'published' | 'draft';
  community?: string;
  limit?: number;
}

/** `listCards` takes at most this many ids. */
const MAX_IDS_PER_REQUEST = 100;

const NOT_FOUND = (): GuildApiError => new GuildApiError('http', { type: '/problems/not-found', title: 'Not found', status: 404 });

interface ConnectionCards {
  loader: BatchLoader<string, Card | null>;
  stores: Map<string, MapStore<CardState>>;
  lists: Map<string, MapStore<CardListState>>;
  readers: Map<string, () => void>;
  viewed: Set<string>;
}

const byConnection = new Map<string, ConnectionCards>();

function cardsFor(connection: Connection): ConnectionCards {
  let entry = byConnection.get(connection.key);
  if (!entry) {
    entry = {
      // Twenty cards on a page (a course page, an LMS block list): one request.
      loader: new BatchLoader(async (ids, signal) => {
        const data = await unwrap(connection.client.GET('/cards', { params: { query: { ids, limit: Math.min(ids.length, MAX_IDS_PER_REQUEST) } }, signal }));
        const found = new Map<string, Card | null>(ids.map((id) => [id, null]));
        for (const card of data.items) found.set(card.id, card);
        return found;
      }, MAX_IDS_PER_REQUEST),
      stores: new Map(),
      lists: new Map(),
      readers: new Map(),
      viewed: new Set(),
    };
    byConnection.set(connection.key, entry);
  }
  return entry;
}

async function readCard(connection: Connection, id: string, signal: AbortSignal): Promise<Card> {
  const batched = await cardsFor(connection).loader.get(id, signal);
  if (batched) return batched;
  // The batch lists published cards; a draft (or a card the list leaves out) is asked for alone, so
  // its author, experts and facilitators see it, and anyone else gets the server's own 403 or 404.
  const alone = await unwrap(connection.client.GET('/cards/{cardId}', { params: { path: { cardId: id } }, signal }));
  if (alone.id !== id) throw NOT_FOUND();
  return alone;
}

/**
 * A card the server sent live: its counts are everyone's, its `myVote` is not necessarily mine, so
 * my own vote is kept unless I am the one who voted.
 */
function merged(current: Card | undefined, incoming: Card, actorId: string, me: string | undefined): Card {
  if (!current || (me && actorId === me)) return incoming;
  return { ...incoming, helpful: { ...incoming.helpful, myVote: current.helpful.myVote } };
}

/**
 * Hands a card the server confirmed to the stores. The write actions (`card-edits.ts`,
 * `card-reviews.ts`) take one from the card element: they are loaded lazily, and importing this
 * module's code would split it out of the card's own chunk.
 */
export type CardPublisher = (card: Card) => void;

/** Applies a card the server confirmed to every store that shows it (a card just created gets its store, so showing it needs no read). */
export function publishCard(connection: Connection, card: Card): void {
  const entry = cardsFor(connection);
  const $card = storeOf(connection, card.id);
  $card.set({ ...$card.get(), status: 'ready', data: card, error: undefined });
  for (const $list of entry.lists.values()) {
    const list = $list.get();
    if (list.items.some((item) => item.id === card.id)) $list.setKey('items', list.items.map((item) => (item.id === card.id ? card : item)));
  }
}

function storeOf(connection: Connection, id: string): MapStore<CardState> {
  const entry = cardsFor(connection);
  const existing = entry.stores.get(id);
  if (existing) return existing;
  const $card = map<CardState>({ status: 'idle', data: undefined, error: undefined, change: undefined });
  let controller: AbortController | undefined;
  const read = async () => {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    if ($card.get().status !== 'ready') $card.set({ ...$card.get(), status: 'loading', error: undefined });
    try {
      const card = await readCard(connection, id, current.signal);
      if (!current.signal.aborted) $card.set({ ...$card.get(), status: 'ready', data: card, error: undefined });
    } catch (error) {
      if (!current.signal.aborted) $card.set({ ...$card.get(), status: 'error', error: errorFromException(error) });
    }
  };
  const onEvent = (event: LiveEvent) => {
    if (event.type !== 'card.changed' || event.card.id !== id) return;
    const state = $card.get();
    // A card I may not see any more (unpublished never happens; a draft never travels) is left alone.
    const card = merged(state.data, event.card, event.actorId, myId(connection));
    $card.set({ ...state, status: 'ready', data: card, error: undefined, change: { action: event.action, actorId: event.actorId, id: event.id, at: performance.now() } });
  };
  onMount($card, () => {
    entry.stores.set(id, $card);
    entry.readers.set(`card\n${id}`, () => void read());
    const stopLive = listenLive(connection, onEvent);
    void read();
    return () => {
      stopLive();
      controller?.abort();
      entry.readers.delete(`card\n${id}`);
    };
  });
  entry.stores.set(id, $card);
  return $card;
}

/**
 * One card, latest version. Cards asked for in the same task share one `listCards?ids=` request;
 * changes from the event stream update it in place.
 */
export function cardStore(connection: Connection, id: string): ReadableAtom<CardState> {
  return storeOf(connection, id);
}

/** Reads a card again (after a failure). */
export function reloadCard(connection: Connection, id: string): void {
  cardsFor(connection).readers.get(`card\n${id}`)?.();
}

function listKey(query: CardQuery): string {
  return JSON.stringify([query.tag ?? '', query.related ?? '', query.status ?? '', query.community ?? '', query.limit ?? 0]);
}

/** Whether a card belongs in a list (for a card that arrives live). */
function matches(query: CardQuery, card: Card): boolean {
  if (card.status !== (query.status ?? 'published')) return false;
  if (query.tag && !card.tags.includes(query.tag)) return false;
  if (query.community && card.communityId !== query.community) return false;
  return !query.related;
}

/**
 * Cards by tag, related to a card, or drafts, as the server lists them; follows the event stream
 * (changed cards update, new cards with the tag join the list).
 */
export function cardListStore(connection: Connection, query: CardQuery): ReadableAtom<CardListState> {
  const entry = cardsFor(connection);
  const key = listKey(query);
  const existing = entry.lists.get(key);
  if (existing) return existing;
  const $list = map<CardListState>({ status: 'idle', items: [], error: undefined });
  let controller: AbortController | undefined;
  const read = async () => {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    if ($list.get().status !== 'ready') $list.set({ ...$list.get(), status: 'loading', error: undefined });
    try {
      const { tag, related, status, community, limit } = query;
      const data = await unwrap(
        connection.client.GET('/cards', {
          params: { query: { ...(tag ? { tag } : {}), ...(related ? { related } : {}), ...(status ? { status } : {}), ...(community ? { community } : {}), limit: limit ?? 20 } },
          signal: current.signal,
        }),
      );
      if (!current.signal.aborted) $list.set({ status: 'ready', items: data.items, error: undefined });
    } catch (error) {
      if (!current.signal.aborted) $list.set({ ...$list.get(), status: 'error', error: errorFromException(error) });
    }
  };
  const onEvent = (event: LiveEvent) => {
    if (event.type !== 'card.changed') return;
    const list = $list.get();
    const listed = list.items.some((item) => item.id === event.card.id);
    if (listed) {
      const items = list.items.map((item) => (item.id === event.card.id ? merged(item, event.card, event.actorId, myId(connection)) : item));
      $list.setKey('items', items.filter((item) => !!query.related || matches(query, item)));
    } else if (event.action === 'created' && matches(query, event.card) && list.status === 'ready') {
      $list.setKey('items', [event.card, ...list.items]);
    }
  };
  onMount($list, () => {
    entry.lists.set(key, $list);
    entry.readers.set(`list\n${key}`, () => void read());
    const stopLive = listenLive(connection, onEvent);
    void read();
    return () => {
      stopLive();
      controller?.abort();
      entry.readers.delete(`list\n${key}`);
    };
  });
  entry.lists.set(key, $list);
  return $list;
}

/** Reads a list again (after a failure). */
export function reloadCardList(connection: Connection, query: CardQuery): void {
  cardsFor(connection).readers.get(`list\n${listKey(query)}`)?.();
}

/** My helpful-or-not vote with the counts it implies, before the server confirms. */
function withVote(card: Card, helpful: boolean): Card {
  const { yes, no, myVote } = card.helpful;
  const counts = { yes: yes - (myVote === true ? 1 : 0) + (helpful ? 1 : 0), no: no - (myVote === false ? 1 : 0) + (helpful ? 0 : 1) };
  return { ...card, helpful: { yes: Math.max(0, counts.yes), no: Math.max(0, counts.no), myVote: helpful } };
}

const voting = new Map<string, Promise<Card>>();

/**
 * Says whether the card helped: shown at once, confirmed by the server, rolled back visibly if it
 * fails. Voting again while a vote is in flight waits for it (a double click sends one request).
 */
export async function voteCard(connection: Connection, id: string, helpful: boolean): Promise<Card> {
  const $card = storeOf(connection, id);
  const key = `${connection.key}\n${id}`;
  const pending = voting.get(key);
  if (pending) await pending.catch(() => undefined);
  const before = $card.get().data;
  if (!before) throw NOT_FOUND();
  if (before.helpful.myVote === helpful) return before;
  publishCard(connection, withVote(before, helpful));
  const request = unwrap(connection.client.PUT('/cards/{cardId}/vote', { params: { path: { cardId: id } }, body: { helpful } }));
  voting.set(key, request);
  try {
    const card = await request;
    publishCard(connection, card);
    return card;
  } catch (error) {
    // Back to what the server last said, counts included.
    const latest = $card.get().data;
    if (latest) publishCard(connection, { ...latest, helpful: before.helpful });
    throw errorFromException(error);
  } finally {
    if (voting.get(key) === request) voting.delete(key);
  }
}

/**
 * Counts my view of a card, once per page load (the server counts once per person and day);
 * anonymous views are not counted, so they are not sent.
 */
export async function recordCardView(connection: Connection, id: string): Promise<void> {
  const entry = cardsFor(connection);
  if (entry.viewed.has(id)) return;
  entry.viewed.add(id);
  try {
    const { views } = await unwrap(connection.client.POST('/cards/{cardId}/views', { params: { path: { cardId: id } } }));
    const card = entry.stores.get(id)?.get().data;
    if (card && card.views !== views) publishCard(connection, { ...card, views });
  } catch {
    // A view that was not counted costs the reader nothing; it is not asked again on this page.
  }
}
