import type { Connection } from '../api/client.js';
import type { components } from '../api/schema.js';
import { unwrap } from './request.js';

export type KudosAllowance = components['schemas']['KudosAllowance'];
export type Community = components['schemas']['Community'];
export type KudosValue = components['schemas']['KudosValue'];

/** What the kudos popover needs: the community's values and how many kudos I may still give. */
export interface GivingContext {
  allowance: KudosAllowance;
  community: Community;
}

const communities = new Map<string, Promise<Community>>();

function community(connection: Connection, id: string, signal: AbortSignal): Promise<Community> {
  const key = `${connection.key}\n${id}`;
  let found = communities.get(key);
  if (!found) {
    found = unwrap(connection.client.GET('/communities/{communityId}', { params: { path: { communityId: id } }, signal }));
    // A failed read is asked again next time; a community's values rarely change within a page view.
    found.catch(() => communities.delete(key));
    communities.set(key, found);
  }
  return found;
}

/**
 * My allowance this week (always fresh: it changes with every kudos I give) and the community's
 * values (read once per page). Without `communityId`, the server's default community.
 */
export async function givingContext(connection: Connection, communityId: string | undefined, signal: AbortSignal): Promise<GivingContext> {
  const allowance = await unwrap(
    connection.client.GET('/kudos/allowance', { params: { query: communityId ? { community: communityId } : {} }, signal }),
  );
  return { allowance, community: await community(connection, allowance.communityId, signal) };
}
