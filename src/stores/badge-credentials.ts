import type { Connection } from '../api/client.js';
import { unexpectedAnswer } from '../api/errors.js';
import { jwtPayload } from '../api/token-source.js';
import type { JwkSet } from './badges.js';
import { unwrap } from './request.js';

// Only a badge's details read these, so they travel in the details' chunk, not in the wall's.

const credentials = new Map<string, Promise<string>>();

/**
 * An award's signed credential (a VC-JWT), read once per page: the detail dialog verifies it and
 * offers it for download. A failed read is asked again next time.
 */
export function credential(connection: Connection, awardId: string): Promise<string> {
  const key = `${connection.key}\n${awardId}`;
  let found = credentials.get(key);
  if (!found) {
    found = unwrap(
      connection.client.GET('/awards/{awardId}/credential', { params: { path: { awardId } }, parseAs: 'text', headers: { accept: 'application/vc+jwt' } }),
    ).then((text) => text.trim());
    found.catch(() => credentials.delete(key));
    credentials.set(key, found);
  }
  return found;
}

/** The credential as pretty-printed JSON: the VC-JWT's payload is the Open Badges credential itself. */
export async function credentialJson(connection: Connection, awardId: string): Promise<string> {
  const payload = jwtPayload(await credential(connection, awardId));
  if (!payload) throw unexpectedAnswer('The credential is not a signed JSON document.');
  return `${JSON.stringify(payload, null, 2)}\n`;
}

/** The issuer's published public keys (current and retired), to verify its credentials with. */
export function issuerKeys(connection: Connection, communityId: string, signal: AbortSignal): Promise<JwkSet> {
  return unwrap(connection.client.GET('/issuers/{communityId}/jwks', { params: { path: { communityId } }, signal }));
}

/** The issuer's signed revocation list (a VC-JWT), always fresh: a revocation must show at once. */
export async function statusList(connection: Connection, communityId: string, signal: AbortSignal): Promise<string> {
  const text = await unwrap(
    connection.client.GET('/issuers/{communityId}/status-list', { params: { path: { communityId } }, parseAs: 'text', headers: { accept: 'application/vc+jwt' }, signal }),
  );
  return text.trim();
}
