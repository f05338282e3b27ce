import type { Connection } from '../api/client.js';
import type { components } from '../api/schema.js';
import { unwrap } from './request.js';

export type Community = components['schemas']['Community'];

const communities = new Map<string, Promise<Community>>();

/**
 * A community and its settings (values, allowance, ranking), read once per page and shared by every
 * element that needs them; a failed read is asked again next time.
 */
export function communityById(connection: Connection, id: string, signal?: AbortSignal): Promise<Community> {
  const key = `${connection.key}\n${id}`;
  let found = communities.get(key);
  if (!found) {
    found = unwrap(connection.client.GET('/communities/{communityId}', { params: { path: { communityId: id } }, ...(signal ? { signal } : {}) }));
    found.catch(() => communities.delete(key));
    communities.set(key, found);
  }
  return found;
}
