import { map, onMount, type MapStore, type ReadableAtom } from 'nanostores';
import type { Connection } from '../api/client.js';
import { errorFromException, GuildApiError } from '../api/errors.js';
import { jwtPayload } from '../api/token-source.js';
import type { components } from '../api/schema.js';
import { BatchLoader } from './batch.js';
import { communityById } from './communities.js';
import { listenLive, type LiveEvent } from './live.js';
import { unwrap } from './request.js';
import { myId } from './session.js';

export type Achievement = components['schemas']['Achievement'];
export type AchievementMeasure = components['schemas']['AchievementMeasure'];
export type Award = components['schemas']['Award'];
export type BadgeWall = components['schemas']['BadgeWall'];
export type BadgeProgress = components['schemas']['BadgeProgress'];
export type JwkSet = components['schemas']['JwkSet'];

/** A community's badges and who earned one lately. */
export interface Catalogue {
  achievements: Achievement[];
  /** Newest first; revoked awards are left out. */
  recent: Award[];
}

/** An award that arrived live while the page was open, to be celebrated once. */
export interface Celebration {
  award: Award;
  /** `performance.now()` when it arrived: an element mounted later does not celebrate it again. */
  at: number;
}

/** A badge wall or a catalogue as an element shows it. */
export interface BadgeState<T> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: T | undefined;
  error: GuildApiError | undefined;
  /** Labels of the kudos values that measures count, by value id (until they load, the id shows). */
  valueLabels: Record<string, string>;
  celebration: Celebration | undefined;
}

type AwardEvent = Extract<LiveEvent, { type: 'award.changed' }>;

/** Progress re-reads wait this long after the last activity, so a burst costs one request. */
const REREAD_AFTER_MS = 1_000;
/** `listBadgeWalls` takes at most this many people. */
const MAX_WALLS_PER_REQUEST = 50;

const SIGN_IN_REQUIRED = (): GuildApiError => new GuildApiError('http', { type: '/problems/unauthorized', title: 'Sign-in required', status: 401 });
const NO_WALL = (): GuildApiError => new GuildApiError('http', { type: '/problems/not-found', title: 'Not found', status: 404 });

interface ConnectionBadges {
  /** One batch loader per community (`''`: the server's default), as `listBadgeWalls` takes one. */
  loaders: Map<string, BatchLoader<string, BadgeWall | null>>;
  stores: Map<string, MapStore<BadgeState<unknown>>>;
  /** How to read each mounted store again; walls also after activity, in one debounced batch. */
  readers: Map<string, { read: () => void; followsActivity: boolean }>;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const byConnection = new Map<string, ConnectionBadges>();

function badgesFor(connection: Connection): ConnectionBadges {
  let entry = byConnection.get(connection.key);
  if (!entry) {
    entry = { loaders: new Map(), stores: new Map(), readers: new Map(), timer: undefined };
    byConnection.set(connection.key, entry);
  }
  return entry;
}

/** Who `me` is: the token's `sub` (the contract's person id), else the session's answer. */
function meOf(connection: Connection, token: string | null): string | undefined {
  const sub = token ? jwtPayload(token)?.['sub'] : undefined;
  return typeof sub === 'string' ? sub : myId(connection);
}

/**
 * Pairs the asked people with the walls the server sent. People it does not know are left out, so
 * walls are matched by id; `me` by my id, or by position when nobody was left out.
 */
function matchWalls(people: string[], walls: BadgeWall[], me: string | undefined): Map<string, BadgeWall | null> {
  const byId = new Map(walls.map((wall) => [wall.person.id, wall]));
  const result = new Map<string, BadgeWall | null>();
  for (const [index, person] of people.entries()) {
    if (person !== 'me') result.set(person, byId.get(person) ?? null);
    else result.set(person, (me ? byId.get(me) : walls.length === people.length ? walls[index] : undefined) ?? null);
  }
  return result;
}

function wallLoader(connection: Connection, community: string | undefined): BatchLoader<string, BadgeWall | null> {
  const entry = badgesFor(connection);
  const id = community ?? '';
  let loader = entry.loaders.get(id);
  if (!loader) {
    // Five walls on a page (a team page, a cohort): one request.
    loader = new BatchLoader(async (people, signal) => {
      const data = await unwrap(
        connection.client.GET('/badge-walls', { params: { query: { people, ...(community ? { community } : {}) } }, signal }),
      );
      return matchWalls(people, data.items, meOf(connection, await connection.tokens.token()));
    }, MAX_WALLS_PER_REQUEST);
    entry.loaders.set(id, loader);
  }
  return loader;
}

async function readWall(connection: Connection, person: string, community: string | undefined, signal: AbortSignal): Promise<BadgeWall> {
  // Every wall waits for the token the request needs anyway, so walls mounted together still share
  // one batch; and an anonymous visitor's `me` is never asked (the whole batch would answer 401).
  const token = await connection.tokens.token();
  if (person === 'me' && !token) {
    if (!connection.cookies) throw SIGN_IN_REQUIRED();
    // Only the server knows whether the cookies sign someone in: ask alone, so a 401 stays mine.
    return unwrap(
      connection.client.GET('/people/{personId}/badges', { params: { path: { personId: 'me' }, query: community ? { community } : {} }, signal }),
    );
  }
  const wall = await wallLoader(connection, community).get(person, signal);
  if (!wall) throw NO_WALL();
  return wall;
}

/** The labels of the kudos values that measures count (`kudos-received` of one value), by id. */
async function valueLabels(connection: Connection, achievements: Achievement[]): Promise<Record<string, string>> {
  const communities = new Set(achievements.filter((achievement) => achievement.measure?.value).map((achievement) => achievement.communityId));
  const labels: Record<string, string> = {};
  await Promise.all(
    [...communities].map(async (id) => {
      try {
        for (const value of (await communityById(connection, id)).settings.kudosValues) labels[value.id] = value.label;
      } catch {
        // The badges are what matters: without the labels, measures name the value by its id.
      }
    }),
  );
  return labels;
}

function wallAchievements(wall: BadgeWall): Achievement[] {
  return [...wall.earned.map((award) => award.achievement), ...wall.inProgress.map((progress) => progress.achievement), ...wall.locked];
}

/** Whether a live event can move someone's progress: what the server counts toward badges. */
function movesProgress(event: LiveEvent): boolean {
  switch (event.type) {
    case 'comment.changed':
      return event.action === 'created' || event.action === 'deleted' || event.action === 'moderated';
    case 'thread.changed':
      return event.action === 'accepted';
    case 'kudos.changed':
      return true;
    case 'card.changed':
      return event.action === 'created' || event.action === 'verified';
    default:
      return false;
  }
}

/** Reads every mounted wall again shortly after activity, all in the same task: one batched request. */
function scheduleReread(connection: Connection): void {
  const entry = badgesFor(connection);
  clearTimeout(entry.timer);
  entry.timer = setTimeout(() => {
    entry.timer = undefined;
    for (const reader of entry.readers.values()) if (reader.followsActivity) reader.read();
  }, REREAD_AFTER_MS);
}

interface StoreSpec<T> {
  /** Re-read after activity that can move progress (walls); a catalogue changes only with awards. */
  followsActivity: boolean;
  load: (signal: AbortSignal) => Promise<T>;
  achievements: (data: T) => Achievement[];
  /** The data with the award applied, or `undefined` when it is not this view's. */
  applyAward: (data: T, event: AwardEvent) => T | undefined;
  /** Whether the award was already shown (an event replayed after a reconnect is not celebrated twice). */
  shows: (data: T, award: Award) => boolean;
}

/** One view's store (keyed within its connection), live and re-read by `rereadBadges`. */
export function badgeStore<T>(connection: Connection, key: string, spec: StoreSpec<T>): ReadableAtom<BadgeState<T>> {
  const entry = badgesFor(connection);
  const existing = entry.stores.get(key) as MapStore<BadgeState<T>> | undefined;
  if (existing) return existing;
  const $store = map<BadgeState<T>>({ status: 'idle', data: undefined, error: undefined, valueLabels: {}, celebration: undefined });
  let controller: AbortController | undefined;
  const read = async () => {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    if ($store.get().status !== 'ready') $store.set({ ...$store.get(), status: 'loading' });
    try {
      const data = await spec.load(current.signal);
      if (current.signal.aborted) return;
      $store.set({ ...$store.get(), status: 'ready', data, error: undefined });
      const labels = await valueLabels(connection, spec.achievements(data));
      if (!current.signal.aborted && Object.keys(labels).length) $store.setKey('valueLabels', { ...$store.get().valueLabels, ...labels });
    } catch (error) {
      if (!current.signal.aborted) $store.set({ ...$store.get(), status: 'error', error: errorFromException(error) });
    }
  };
  const onEvent = (event: LiveEvent) => {
    if (event.type !== 'award.changed') {
      if (spec.followsActivity && movesProgress(event)) scheduleReread(connection);
      return;
    }
    const data = $store.get().data;
    if (!data) return;
    const isNew = event.action === 'created' && !spec.shows(data, event.award);
    const next = spec.applyAward(data, event);
    if (!next) return;
    $store.set({ ...$store.get(), data: next, celebration: isNew ? { award: event.award, at: performance.now() } : $store.get().celebration });
  };
  onMount($store, () => {
    entry.stores.set(key, $store);
    entry.readers.set(key, { read: () => void read(), followsActivity: spec.followsActivity });
    const stopLive = listenLive(connection, onEvent);
    void read();
    return () => {
      stopLive();
      controller?.abort();
      entry.readers.delete(key);
      if (entry.stores.get(key) === $store) entry.stores.delete(key);
      if (entry.readers.size === 0) clearTimeout(entry.timer);
    };
  });
  entry.stores.set(key, $store);
  return $store;
}

function wallKey(person: string, community: string | undefined): string {
  return `wall\n${person}\n${community ?? ''}`;
}

/** Whether the award is for one of these achievements. */
export function knows(achievements: Achievement[], award: Award): boolean {
  return achievements.some((achievement) => achievement.id === award.achievement.id);
}

/**
 * A person's badges — earned, in progress, locked — in one community (the server's default without
 * one). Walls asked for in the same task share one request; progress follows live activity.
 */
export function badgeWallStore(connection: Connection, person: string, community: string | undefined): ReadableAtom<BadgeState<BadgeWall>> {
  return badgeStore<BadgeWall>(connection, wallKey(person, community), {
    followsActivity: true,
    load: (signal) => readWall(connection, person, community, signal),
    achievements: wallAchievements,
    shows: (wall, award) => wall.earned.some((earned) => earned.id === award.id),
    applyAward: (wall, { action, award }) => {
      if (award.recipient.id !== wall.person.id || !knows(wallAchievements(wall), award)) return undefined;
      if (action === 'revoked') {
        return wall.earned.some((earned) => earned.id === award.id) ? { ...wall, earned: wall.earned.map((earned) => (earned.id === award.id ? award : earned)) } : undefined;
      }
      const other = (achievement: Achievement) => achievement.id !== award.achievement.id;
      return {
        ...wall,
        earned: [award, ...wall.earned.filter((earned) => earned.id !== award.id)],
        inProgress: wall.inProgress.filter((progress) => other(progress.achievement)),
        locked: wall.locked.filter(other),
      };
    },
  });
}

/** Reads one view's store again (after a failure). */
export function rereadBadges(connection: Connection, key: string): void {
  badgesFor(connection).readers.get(key)?.read();
}

/** Reads a wall again (after a failure). */
export function reloadBadgeWall(connection: Connection, person: string, community: string | undefined): void {
  rereadBadges(connection, wallKey(person, community));
}
