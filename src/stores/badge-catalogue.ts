import type { ReadableAtom } from 'nanostores';
import type { Connection } from '../api/client.js';
import { badgeStore, knows, rereadBadges, type Achievement, type BadgeState, type Catalogue } from './badges.js';
import { unwrap } from './request.js';

// Only the catalogue view reads these, so they travel in its chunk, not in a person's wall's.

const RECENT_AWARDS = 12;
const CATALOGUE_PAGE = 100;
const CATALOGUE_MAX_PAGES = 10;

async function readCatalogue(connection: Connection, community: string | undefined, signal: AbortSignal): Promise<Catalogue> {
  const scope = community ? { community } : {};
  const achievements = async () => {
    const all: Achievement[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < CATALOGUE_MAX_PAGES; page += 1) {
      const found = await unwrap(
        connection.client.GET('/achievements', { params: { query: { ...scope, limit: CATALOGUE_PAGE, ...(cursor ? { cursor } : {}) } }, signal }),
      );
      all.push(...found.items);
      if (!found.nextCursor) break;
      cursor = found.nextCursor;
    }
    return all;
  };
  const recent = unwrap(connection.client.GET('/awards', { params: { query: { ...scope, limit: RECENT_AWARDS } }, signal }));
  const [list, awards] = await Promise.all([achievements(), recent]);
  return { achievements: list, recent: awards.items };
}

function catalogueKey(community: string | undefined): string {
  return `catalogue\n${community ?? ''}`;
}

/** A community's badge catalogue with how many earned each, and its recent awards; follows live awards. */
export function catalogueStore(connection: Connection, community: string | undefined): ReadableAtom<BadgeState<Catalogue>> {
  return badgeStore<Catalogue>(connection, catalogueKey(community), {
    followsActivity: false,
    load: (signal) => readCatalogue(connection, community, signal),
    achievements: (data) => data.achievements,
    shows: (data, award) => data.recent.some((recent) => recent.id === award.id),
    applyAward: (data, { action, award }) => {
      if (!knows(data.achievements, award)) return undefined;
      const listed = data.recent.some((recent) => recent.id === award.id);
      const change = action === 'created' ? (listed ? 0 : 1) : listed ? -1 : 0;
      return {
        achievements: data.achievements.map((achievement) =>
          achievement.id === award.achievement.id ? { ...achievement, earnedCount: Math.max(0, achievement.earnedCount + change) } : achievement,
        ),
        recent: action === 'created' ? [award, ...data.recent.filter((recent) => recent.id !== award.id)].slice(0, RECENT_AWARDS) : data.recent.filter((recent) => recent.id !== award.id),
      };
    },
  });
}

/** Reads a catalogue again (after a failure). */
export function reloadCatalogue(connection: Connection, community: string | undefined): void {
  rereadBadges(connection, catalogueKey(community));
}
