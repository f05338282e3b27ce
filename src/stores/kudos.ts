import { map, onMount, type MapStore, type ReadableAtom } from 'nanostores';
import type { Connection } from '../api/client.js';
import { errorFromException, GuildApiError } from '../api/errors.js';
import type { components } from '../api/schema.js';
import { BatchLoader } from './batch.js';
import { listenLive, type LiveEvent } from './live.js';
import { idempotencyKey, unwrap } from './request.js';
import { myId, sessionStore } from './session.js';
import { isValidSubject } from './subject.js';

export type KudosSummary = components['schemas']['KudosSummary'];

/** A subject's kudos as one element shows them. */
export interface KudosState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  summary: KudosSummary | undefined;
  /** Why loading failed (`status: 'error'`). */
  loadError: GuildApiError | undefined;
  /** A give or take-back is on its way to the server. */
  pending: boolean;
  /** The last give or take-back that failed and was rolled back. */
  writeError: { action: 'give' | 'withdraw'; error: GuildApiError } | undefined;
}

export type KudosStore = ReadableAtom<KudosState>;

interface ConnectionKudos {
  stores: Map<string, MapStore<KudosState>>;
  /** The newest event for a subject that arrived while my own write on it was in flight. */
  deferred: Map<string, KudosChangedEvent>;
  loader: BatchLoader<string, KudosSummary>;
  stopLive: (() => void) | undefined;
}

const byConnection = new Map<string, ConnectionKudos>();

function kudosFor(connection: Connection): ConnectionKudos {
  let entry = byConnection.get(connection.key);
  if (!entry) {
    entry = {
      stores: new Map(),
      deferred: new Map(),
      // Twenty buttons on twenty subjects: one request.
      loader: new BatchLoader(async (subjects, signal) => {
        const data = await unwrap(
          connection.client.GET('/kudos/summaries', { params: { query: { subjects } }, signal }),
        );
        return new Map(data.items.map((summary) => [summary.subject, summary]));
      }),
      stopLive: undefined,
    };
    byConnection.set(connection.key, entry);
  }
  return entry;
}

type KudosChangedEvent = Extract<LiveEvent, { type: 'kudos.changed' }>;

/** Merges another person's change into what I see, keeping what only I know (whether I gave). */
function applyLiveEvent(connection: Connection, entry: ConnectionKudos, event: LiveEvent): void {
  if (event.type !== 'kudos.changed') return;
  const subject = event.summary.subject;
  const $store = entry.stores.get(subject);
  if (!$store) return;
  const state = $store.get();
  // While my own write is in flight its answer is the truth; the newest event is applied after it.
  if (state.pending) {
    entry.deferred.set(subject, event);
    return;
  }
  // The event carries the actor's view: mine if I acted (perhaps in another tab), else keep my own.
  const fromMe = event.actorId === myId(connection);
  const mine = state.summary;
  $store.setKey(
    'summary',
    fromMe
      ? event.summary
      : { ...event.summary, givenByMe: mine?.givenByMe ?? false, myKudosId: mine?.myKudosId ?? null },
  );
  if (state.status !== 'ready') $store.setKey('status', 'ready');
}

/**
 * The kudos on one subject. Loading starts when the first element subscribes, shares one batched
 * request with every other subject asked for in the same task, and stops when nothing listens.
 */
export function kudosStore(connection: Connection, subject: string): KudosStore {
  const entry = kudosFor(connection);
  const existing = entry.stores.get(subject);
  if (existing) return existing;
  const $store = map<KudosState>({
    status: 'idle',
    summary: undefined,
    loadError: undefined,
    pending: false,
    writeError: undefined,
  });
  onMount($store, () => {
    // Registered again on every mount: an element taken off the page and put back finds its store.
    entry.stores.set(subject, $store);
    const controller = new AbortController();
    const stopSession = sessionStore(connection).listen(() => undefined);
    const stopLive = listenLive(connection, (event) => applyLiveEvent(connection, entry, event));
    void load(entry, $store, subject, controller.signal);
    return () => {
      controller.abort();
      stopLive();
      stopSession();
      if (entry.stores.get(subject) === $store) entry.stores.delete(subject);
    };
  });
  entry.stores.set(subject, $store);
  return $store;
}

export { isValidSubject };

async function load(entry: ConnectionKudos, $store: MapStore<KudosState>, subject: string, signal: AbortSignal) {
  if (!isValidSubject(subject)) {
    const detail = `"${subject.slice(0, 80)}" is not a valid subject: at most 512 characters, no spaces, commas or control characters.`;
    console.warn(`Guildkit: ${detail}`);
    $store.set({ ...$store.get(), status: 'error', loadError: new GuildApiError('invalid-input', { type: '/problems/invalid-subject', title: 'Invalid subject', status: 400, detail }) });
    return;
  }
  if ($store.get().status !== 'ready') $store.set({ ...$store.get(), status: 'loading', loadError: undefined });
  try {
    const summary = await entry.loader.get(subject, signal);
    $store.set({ ...$store.get(), status: 'ready', summary });
  } catch (error) {
    if (signal.aborted) return;
    $store.set({ ...$store.get(), status: 'error', loadError: errorFromException(error) });
  }
}

/** Loads a subject's kudos again after a failure. */
export function reloadKudos(connection: Connection, subject: string): void {
  const entry = kudosFor(connection);
  const $store = entry.stores.get(subject);
  if (!$store) return;
  void load(entry, $store, subject, new AbortController().signal);
}

/**
 * Others changed the subject while my write was in flight. Their event may be older or newer than
 * my write, so neither answer is surely the latest: ask the server once more.
 */
function catchUp(connection: Connection, subject: string): void {
  const entry = kudosFor(connection);
  if (entry.deferred.delete(subject)) reloadKudos(connection, subject);
}

function outcomeUnknown(error: GuildApiError): boolean {
  return error.kind === 'network' || error.kind === 'timeout' || error.kind === 'unexpected-response' || error.code === 'contract-violation';
}

export interface KudosTarget {
  recipientId?: string | undefined;
  communityId?: string | undefined;
  /** A few words of thanks (giving only). */
  message?: string | undefined;
  /** One of the community's values, e.g. `mentoring` (giving only). */
  value?: string | undefined;
}

/**
 * Gives kudos on a subject, or takes mine back if I already gave. Optimistic: the count changes at
 * once and rolls back if the server refuses. Returns the state the server confirmed, or `undefined`
 * when nothing was done (a write already in flight) or the write failed.
 */
export async function toggleKudos(
  connection: Connection,
  subject: string,
  target: KudosTarget = {},
): Promise<KudosSummary | undefined> {
  const $store = kudosFor(connection).stores.get(subject);
  const before = $store?.get();
  if (!$store || !before?.summary || before.pending) return undefined;
  const previous = before.summary;
  const giving = !previous.givenByMe;
  $store.set({
    ...before,
    pending: true,
    writeError: undefined,
    summary: {
      ...previous,
      count: Math.max(0, previous.count + (giving ? 1 : -1)),
      givenByMe: giving,
    },
  });
  try {
    const receipt = giving
      ? await unwrap(
          connection.client.POST('/kudos', {
            params: { header: { 'Idempotency-Key': idempotencyKey() } },
            body: {
              subject,
              ...(target.recipientId ? { recipientId: target.recipientId } : {}),
              ...(target.communityId ? { communityId: target.communityId } : {}),
              ...(target.message?.trim() ? { message: target.message.trim() } : {}),
              ...(target.value ? { value: target.value } : {}),
            },
          }),
        )
      : await unwrap(
          connection.client.DELETE('/kudos/{kudosId}', { params: { path: { kudosId: previous.myKudosId ?? '' } } }),
        );
    $store.set({ ...$store.get(), pending: false, summary: receipt.summary });
    catchUp(connection, subject);
    return receipt.summary;
  } catch (thrown) {
    catchUp(connection, subject);
    const error = errorFromException(thrown);
    // The answer was lost or unreadable: the write may well have happened. Ask before saying no.
    if (outcomeUnknown(error)) {
      const fresh = await kudosFor(connection)
        .loader.get(subject, new AbortController().signal)
        .catch(() => undefined);
      if (fresh) {
        const done = fresh.givenByMe === giving;
        $store.set({
          ...$store.get(),
          pending: false,
          summary: fresh,
          writeError: done ? undefined : { action: giving ? 'give' : 'withdraw', error },
        });
        return done ? fresh : undefined;
      }
    }
    $store.set({
      ...$store.get(),
      pending: false,
      summary: previous,
      writeError: { action: giving ? 'give' : 'withdraw', error },
    });
    // A conflict means the server knows better (given in another tab, say): show what it has.
    if (error.status === 409 || error.status === 404) reloadKudos(connection, subject);
    return undefined;
  }
}
