import { base64url, compactVerify, createLocalJWKSet, decodeProtectedHeader, errors, type JWTVerifyGetKey } from 'jose';
import type { Award, JwkSet } from '../../stores/badges.js';

/**
 * Where the verification reads from: the badge wall hands in its store's readers, so this chunk
 * carries the cryptography and nothing that talks to the API itself.
 */
export interface CredentialSource {
  /** The award's credential, a VC-JWT. */
  credential(awardId: string): Promise<string>;
  /** The issuer's published keys (a JWK Set). */
  issuerKeys(communityId: string, signal: AbortSignal): Promise<JwkSet>;
  /** The issuer's revocation list, a VC-JWT. */
  statusList(communityId: string, signal: AbortSignal): Promise<string>;
}

/** Why a credential could not be verified. */
export type VerificationFailure =
  | { reason: 'unreachable'; error: unknown }
  | { reason: 'status-unreachable'; error: unknown }
  | { reason: 'malformed' }
  | { reason: 'algorithm'; alg: string }
  | { reason: 'unknown-key' }
  | { reason: 'signature' }
  | { reason: 'issuer' }
  | { reason: 'not-a-badge' }
  | { reason: 'other-award' }
  | { reason: 'not-yet-valid'; validFrom: string }
  | { reason: 'status-list' };

export type VerificationOutcome =
  | { status: 'verified'; validUntil: string | undefined }
  | { status: 'expired'; validUntil: string }
  | { status: 'revoked' }
  | ({ status: 'invalid' } & VerificationFailure);

/** The only algorithm Open Badges credentials from a Guildkit issuer are signed with (Ed25519). */
const ALGORITHM = 'EdDSA';
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Narrows parsed JSON to an object whose fields can be read. Local on purpose: importing
 * `internal/is-record.js` from this lazy chunk makes the bundler move that entry code (and what
 * shares its chunk group) into a third chunk every element would then have to load.
 */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

class Failed extends Error {
  constructor(readonly failure: VerificationFailure) {
    super(failure.reason);
  }
}

function fail(failure: VerificationFailure): never {
  throw new Failed(failure);
}

/**
 * Checks the compact form and the protected header before any key is touched: `none`, HS256 and
 * friends stop here. Every problem with the revocation list reads as one failure.
 */
function checkHeader(jws: string, statusList: boolean): void {
  function failWith(failure: VerificationFailure): never {
    fail(statusList ? { reason: 'status-list' } : failure);
  }
  if (!COMPACT_JWS.test(jws)) failWith({ reason: 'malformed' });
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    failWith({ reason: 'malformed' });
  }
  if (header.alg !== ALGORITHM) failWith({ reason: 'algorithm', alg: String(header.alg ?? 'none') });
  if (typeof header.kid !== 'string' || !header.kid) failWith({ reason: 'unknown-key' });
}

/** Verifies the signature with the issuer's keys and returns the signed JSON payload. */
async function verifiedPayload(jws: string, keys: JWTVerifyGetKey, statusList: boolean): Promise<Record<string, unknown>> {
  function failWith(failure: VerificationFailure): never {
    fail(statusList ? { reason: 'status-list' } : failure);
  }
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, keys, { algorithms: [ALGORITHM] }));
  } catch (error) {
    failWith(error instanceof errors.JWKSNoMatchingKey ? { reason: 'unknown-key' } : { reason: 'signature' });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    failWith({ reason: 'malformed' });
  }
  return isRecord(parsed) ? parsed : failWith({ reason: 'malformed' });
}

function idOf(value: unknown): unknown {
  return isRecord(value) ? value['id'] : value;
}

function types(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function time(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

/** Multibase base64url (a leading `u`) to bytes. */
function multibase(value: string): Uint8Array<ArrayBuffer> {
  if (!value.startsWith('u') || !/^[A-Za-z0-9_-]*$/.test(value.slice(1))) fail({ reason: 'status-list' });
  return new Uint8Array(base64url.decode(value.slice(1)));
}

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  try {
    return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  } catch {
    fail({ reason: 'status-list' });
  }
}

/**
 * Whether the award is revoked, per the W3C Bitstring Status List the credential points to: the
 * list's own signature is checked with the same keys, then bit `statusListIndex` is read (bit 0 is
 * the most significant bit of the first byte).
 */
async function isRevoked(entry: unknown, issuerId: string, communityId: string, keys: JWTVerifyGetKey, source: CredentialSource, signal: AbortSignal): Promise<boolean> {
  if (
    !isRecord(entry) ||
    entry['type'] !== 'BitstringStatusListEntry' ||
    entry['statusPurpose'] !== 'revocation' ||
    typeof entry['statusListIndex'] !== 'string' ||
    !/^\d{1,9}$/.test(entry['statusListIndex']) ||
    typeof entry['statusListCredential'] !== 'string'
  ) {
    fail({ reason: 'status-list' });
  }
  let jws: string;
  try {
    jws = await source.statusList(communityId, signal);
  } catch (error) {
    fail({ reason: 'status-unreachable', error });
  }
  checkHeader(jws, true);
  const list = await verifiedPayload(jws, keys, true);
  const subject = list['credentialSubject'];
  if (
    list['id'] !== entry['statusListCredential'] ||
    idOf(list['issuer']) !== issuerId ||
    !types(list['type']).includes('BitstringStatusListCredential') ||
    !isRecord(subject) ||
    subject['statusPurpose'] !== 'revocation' ||
    typeof subject['encodedList'] !== 'string'
  ) {
    fail({ reason: 'status-list' });
  }
  const bits = await gunzip(multibase(subject['encodedList']));
  const index = Number(entry['statusListIndex']);
  const byte = bits[index >> 3];
  if (byte === undefined) fail({ reason: 'status-list' });
  return ((byte >> (7 - (index & 7))) & 1) === 1;
}

async function verify(award: Award, source: CredentialSource, signal: AbortSignal, now: number): Promise<VerificationOutcome> {
  const communityId = award.achievement.communityId;
  let jws: string;
  let keySet: JwkSet;
  try {
    [jws, keySet] = await Promise.all([source.credential(award.id), source.issuerKeys(communityId, signal)]);
  } catch (error) {
    fail({ reason: 'unreachable', error });
  }
  checkHeader(jws, false);
  const keys = createLocalJWKSet(keySet);
  const credential = await verifiedPayload(jws, keys, false);

  // The signature holds: now whether it says what this award claims.
  if (idOf(credential['issuer']) !== award.issuer.id) fail({ reason: 'issuer' });
  if (!types(credential['type']).includes('OpenBadgeCredential')) fail({ reason: 'not-a-badge' });
  if (credential['id'] !== `urn:uuid:${award.id}`) fail({ reason: 'other-award' });
  const validFrom = credential['validFrom'];
  if (typeof validFrom !== 'string' || Number.isNaN(time(validFrom))) fail({ reason: 'malformed' });
  if (time(validFrom) > now) fail({ reason: 'not-yet-valid', validFrom });

  if (credential['credentialStatus'] !== undefined && (await isRevoked(credential['credentialStatus'], award.issuer.id, communityId, keys, source, signal))) {
    return { status: 'revoked' };
  }
  const validUntil = credential['validUntil'];
  if (validUntil === undefined) return { status: 'verified', validUntil: undefined };
  if (typeof validUntil !== 'string' || Number.isNaN(time(validUntil))) fail({ reason: 'malformed' });
  return time(validUntil) > now ? { status: 'verified', validUntil } : { status: 'expired', validUntil };
}

/**
 * Verifies an award's Open Badges 3.0 credential in the page: the VC-JWT's Ed25519 signature against
 * the issuer's published keys, that it is this award's credential from this issuer, its validity
 * dates and its revocation status.
 */
export async function verifyAward(award: Award, source: CredentialSource, signal: AbortSignal, now = Date.now()): Promise<VerificationOutcome> {
  try {
    return await verify(award, source, signal, now);
  } catch (error) {
    if (error instanceof Failed) return { status: 'invalid', ...error.failure };
    throw error;
  }
}
