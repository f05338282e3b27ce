import type { Connection } from '../api/client.js';
import type { components } from '../api/schema.js';
import { communityById, type Community } from './communities.js';
import { unwrap } from './request.js';

export type KudosAllowance = components['schemas']['KudosAllowance'];
export type KudosValue = components['schemas']['KudosValue'];

/** What the kudos popover needs: the community's values and how many kudos I may still give. */
export interface GivingContext {
  allowance: KudosAllowance;
  community: Community;
}

/**
 * My allowance this week (always fresh: it changes with every kudos I give) and the community's
 * values (read once per page). Without `communityId`, the server's default community.
 */
export async function givingContext(connection: Connection, communityId: string | undefined, signal: AbortSignal): Promise<GivingContext> {
  const allowance = await unwrap(
    connection.client.GET('/kudos/allowance', { params: { query: communityId ? { community: communityId } : {} }, signal }),
  );
  return { allowance, community: await communityById(connection, allowance.communityId) };
}
