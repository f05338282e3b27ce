import { map, onMount, type MapStore, type ReadableAtom } from 'nanostores';
import type { Connection } from '../api/client.js';
import { errorFromException, type GuildApiError } from '../api/errors.js';
import type { components } from '../api/schema.js';
import { communityById } from './communities.js';
import { listenLive } from './live.js';
import { idempotencyKey, unwrap } from './request.js';
import { updateMe } from './session.js';

export type Spotlight = components['schemas']['Spotlight'];
export type SpotlightEntry = components['schemas']['SpotlightEntry'];
export type SpotlightPeriod = components['schemas']['SpotlightPeriod'];
export type SpotlightMode = components['schemas']['SpotlightMode'];
export type Kudos = components['schemas']['Kudos'];

export interface Loaded<T> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: T | undefined;
  error: GuildApiError | undefined;
}

/** Changes that can move a spotlight or a feed: re-read shortly after, once per burst. */
const LIVE_TYPES = new Set(['kudos.changed', 'comment.changed', 'thread.changed']);
const RELOAD_AFTER_MS = 400;

const stores = new Map<string, MapStore<Loaded<unknown>>>();

function liveStore<T>(connection: Connection, key: string, load: (signal: AbortSignal) => Promise<T>, types: Set<string>): ReadableAtom<Loaded<T>> {
  const id = `${connection.key}\n${key}`;
  const existing = stores.get(id) as MapStore<Loaded<T>> | undefined;
  if (existing) return existing;
  const $store = map<Loaded<T>>({ status: 'idle', data: undefined, error: undefined });
  let controller: AbortController | undefined;
  const read = async () => {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    if ($store.get().status !== 'ready') $store.set({ ...$store.get(), status: 'loading' });
    try {
      const data = await load(current.signal);
      if (!current.signal.aborted) $store.set({ status: 'ready', data, error: undefined });
    } catch (error) {
      if (!current.signal.aborted) $store.set({ status: 'error', data: $store.get().data, error: errorFromException(error) });
    }
  };
  onMount($store, () => {
    stores.set(id, $store);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopLive = listenLive(connection, (event) => {
      if (!types.has(event.type)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void read(), RELOAD_AFTER_MS);
    });
    void read();
    return () => {
      clearTimeout(timer);
      stopLive();
      controller?.abort();
      if (stores.get(id) === $store) stores.delete(id);
    };
  });
  reloaders.set(id, read);
  stores.set(id, $store);
  return $store;
}

const reloaders = new Map<string, () => Promise<void>>();

/** Reads a spotlight or feed again (after a failure, or after a change of mine). */
export function reload(connection: Connection, key: string): void {
  void reloaders.get(`${connection.key}\n${key}`)?.();
}

export function spotlightKey(community: string, period: SpotlightPeriod, mode: SpotlightMode): string {
  return `spotlight\n${community}\n${period}\n${mode}`;
}

/** Who to celebrate in a community lately; follows live changes. */
export function spotlightStore(connection: Connection, community: string, period: SpotlightPeriod, mode: SpotlightMode): ReadableAtom<Loaded<Spotlight>> {
  return liveStore(
    connection,
    spotlightKey(community, period, mode),
    (signal) => unwrap(connection.client.GET('/communities/{communityId}/spotlight', { params: { path: { communityId: community }, query: { period, mode } }, signal })),
    LIVE_TYPES,
  );
}

export function feedKey(community: string | undefined): string {
  return `feed\n${community ?? ''}`;
}

/** Recent kudos, and the labels of the community's values they name. */
export interface Feed {
  items: Kudos[];
  values: Record<string, string>;
}

/** Recent public kudos with their messages, newest first; follows live changes. */
export function feedStore(connection: Connection, community: string | undefined): ReadableAtom<Loaded<Feed>> {
  return liveStore(
    connection,
    feedKey(community),
    async (signal) => {
      const page = await unwrap(connection.client.GET('/kudos', { params: { query: { limit: 20, ...(community ? { community } : {}) } }, signal }));
      const communityId = community ?? page.items[0]?.communityId;
      const values: Record<string, string> = {};
      if (communityId && page.items.some((kudos) => kudos.value)) {
        try {
          const found = await communityById(connection, communityId);
          for (const value of found.settings.kudosValues) values[value.id] = value.label;
        } catch (error) {
          // The kudos are what matters: without the labels, the values show by their ids.
          if (signal.aborted) throw error;
        }
      }
      return { items: page.items, values };
    },
    new Set(['kudos.changed']),
  );
}

/** Declines a kudos given to me, with an optional message for the giver. */
export async function declineKudos(connection: Connection, kudosId: string, message: string, community: string | undefined): Promise<void> {
  await unwrap(
    connection.client.POST('/kudos/{kudosId}/decline', {
      params: { path: { kudosId }, header: { 'Idempotency-Key': idempotencyKey() } },
      body: message.trim() ? { message: message.trim() } : {},
    }),
  );
  reload(connection, feedKey(community));
}

/** Shows me in spotlights, or not. */
export async function setSpotlightOptOut(connection: Connection, optOut: boolean): Promise<boolean> {
  const preferences = await unwrap(connection.client.PUT('/people/me/preferences', { body: { spotlightOptOut: optOut } }));
  updateMe(connection, (me) => ({ ...me, preferences }));
  return preferences.spotlightOptOut;
}
