import { problems } from '../problems.js';

export const DEFAULT_LIMIT = 20;

export function pageLimit(limit: number | undefined): number {
  return limit ?? DEFAULT_LIMIT;
}

/** Cursors are opaque to clients: the last row's sort key, base64url-encoded. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) throw problems.badRequest('The cursor is not one this server issued.');
  return key;
}

/** A cursor whose key is a whole number (an id, a version, a position). */
export function decodeNumberCursor(cursor: string): number {
  const key = Number(decodeCursor(cursor));
  if (!Number.isSafeInteger(key)) throw problems.badRequest('The cursor is not one this server issued.');
  return key;
}
