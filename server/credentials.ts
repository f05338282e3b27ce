import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { calculateJwkThumbprint, CompactSign, compactVerify, createLocalJWKSet } from 'jose';
import type { Kysely } from 'kysely';
import type { components } from '../src/api/schema.js';
import { clock, now, type Database } from './db.js';

type JwkSet = components['schemas']['JwkSet'];

/** The contexts every Open Badges 3.0 credential starts with (VC data model 2.0, then OB 3.0). */
export const CREDENTIAL_CONTEXT = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
] as const;

/**
 * The Bitstring Status List's smallest list: 16 KB of bits, so that one award's index says little
 * about how many awards exist (herd privacy, W3C Bitstring Status List §6.1).
 */
const MIN_STATUS_BITS = 131_072;
const STATUS_LIST_TTL_MS = 60_000;

interface SigningKey {
  kid: string;
  key: KeyObject;
}

/**
 * The issuer side of Open Badges 3.0 for every community of this server: one Ed25519 key pair kept
 * in the database (created on first use; older keys stay published), credentials signed as VC-JWT
 * (Open Badges 3.0 §8.2: the payload is the credential itself), and each community's revocation list
 * as a signed Bitstring Status List credential.
 */
export class CredentialIssuer {
  #signing: Promise<SigningKey> | undefined;
  #publicKeys: { thumbprint: string; x: string }[] | undefined;
  readonly #statusLists = new Map<string, { jwt: string; at: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    /** The server's public origin, e.g. `https://guild.example.com`; every URL in a credential starts with it. */
    readonly publicUrl: string,
  ) {}

  issuerId(communityId: string): string {
    return `${this.publicUrl}/api/issuers/${encodeURIComponent(communityId)}`;
  }

  statusListUrl(communityId: string): string {
    return `${this.issuerId(communityId)}/status-list`;
  }

  credentialUrl(awardId: string): string {
    return `${this.publicUrl}/api/awards/${encodeURIComponent(awardId)}/credential`;
  }

  verificationUrl(awardId: string): string {
    return `${this.publicUrl}/badges/${encodeURIComponent(awardId)}`;
  }

  personUrl(personId: string): string {
    return `${this.publicUrl}/api/people/${encodeURIComponent(personId)}`;
  }

  /** A path on this server becomes an absolute URL; anything else is returned as it is. */
  absolute(url: string): string {
    return url.startsWith('/') ? `${this.publicUrl}${url}` : url;
  }

  /**
   * The `kid` of a key as one community's issuer publishes it: a URI that resolves to the key (Open
   * Badges 3.0 §8.2.3), its issuer's key set with the key's JWK thumbprint as the fragment.
   */
  keyId(communityId: string, thumbprint: string): string {
    return `${this.issuerId(communityId)}/jwks#${thumbprint}`;
  }

  /**
   * Loads (or creates) the signing key. Call it before a transaction that signs: on SQLite the
   * transaction holds the one connection the key would be read through.
   */
  async ready(): Promise<void> {
    await this.#signingKey();
  }

  /** Signs `payload` as a VC-JWT of `communityId`'s issuer. */
  async sign(payload: Record<string, unknown>, communityId: string): Promise<string> {
    const { kid, key } = await this.#signingKey();
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: this.keyId(communityId, kid) })
      .sign(key);
  }

  /** Checks a JWS against `communityId`'s published keys; throws jose's error when it does not verify. */
  async verify(jws: string, communityId: string): Promise<Record<string, unknown>> {
    const keys = createLocalJWKSet((await this.publicKeys(communityId)));
    const { payload } = await compactVerify(jws, keys, { algorithms: ['EdDSA'] });
    const parsed = JSON.parse(new TextDecoder().decode(payload)) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('The payload is not a JSON object.');
    return parsed as Record<string, unknown>;
  }

  /** Every key this server has signed with, as `communityId`'s issuer publishes them. */
  async publicKeys(communityId: string): Promise<JwkSet> {
    if (!this.#publicKeys) {
      await this.#signingKey();
      const rows = await this.db.selectFrom('signing_keys').select(['kid', 'public_jwk']).orderBy('created_at').execute();
      this.#publicKeys = rows.map((row) => ({ thumbprint: row.kid, x: (JSON.parse(row.public_jwk) as { x: string }).x }));
    }
    return {
      keys: this.#publicKeys.map(({ thumbprint, x }) => ({
        kty: 'OKP' as const,
        crv: 'Ed25519' as const,
        x,
        kid: this.keyId(communityId, thumbprint),
        alg: 'EdDSA' as const,
        use: 'sig' as const,
      })),
    };
  }

  /** The revocation list of one community's awards, signed; rebuilt after a change or a minute. */
  async statusList(communityId: string): Promise<string> {
    const cached = this.#statusLists.get(communityId);
    if (cached && clock.nowMs() - cached.at < STATUS_LIST_TTL_MS) return cached.jwt;
    const [highest, revoked] = await Promise.all([
      this.db.selectFrom('awards').select((eb) => eb.fn.max('seq').as('max')).executeTakeFirst(),
      this.db.selectFrom('awards').select('seq').where('community_id', '=', communityId).where('revoked_at', 'is not', null).execute(),
    ]);
    const bits = Math.max(MIN_STATUS_BITS, Math.ceil((Number(highest?.max ?? 0) + 1) / 8) * 8);
    const list = new Uint8Array(bits / 8);
    for (const { seq } of revoked) {
      const index = Number(seq);
      list[index >> 3] = (list[index >> 3] ?? 0) | (0x80 >> (index & 7));
    }
    const url = this.statusListUrl(communityId);
    const issued = now();
    const jwt = await this.sign({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: this.issuerId(communityId),
      validFrom: issued,
      credentialSubject: {
        id: `${url}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        // Multibase: `u` says base64url without padding.
        encodedList: `u${gzipSync(list).toString('base64url')}`,
      },
      iss: this.issuerId(communityId),
      jti: url,
      nbf: Math.floor(Date.parse(issued) / 1000),
    }, communityId);
    this.#statusLists.set(communityId, { jwt, at: clock.nowMs() });
    return jwt;
  }

  /** Drops a community's cached list, after an award there was revoked. */
  forgetStatusList(communityId: string): void {
    this.#statusLists.delete(communityId);
  }

  #signingKey(): Promise<SigningKey> {
    this.#signing ??= this.#loadOrCreateKey().catch((error: unknown) => {
      this.#signing = undefined;
      throw error;
    });
    return this.#signing;
  }

  async #loadOrCreateKey(): Promise<SigningKey> {
    const newest = () =>
      this.db.selectFrom('signing_keys').select(['kid', 'private_jwk']).orderBy('created_at', 'desc').orderBy('kid').executeTakeFirst();
    let row = await newest();
    if (!row) {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const publicJwk = publicKey.export({ format: 'jwk' });
      const kid = await calculateJwkThumbprint(publicJwk);
      await this.db
        .insertInto('signing_keys')
        .values({
          kid,
          private_jwk: JSON.stringify(privateKey.export({ format: 'jwk' })),
          public_jwk: JSON.stringify(publicJwk),
          created_at: now(),
        })
        .onConflict((oc) => oc.column('kid').doNothing())
        .execute();
      // Another process may have created one at the same moment: everyone signs with the same newest.
      row = await newest();
      if (!row) throw new Error('No signing key could be stored.');
    }
    return { kid: row.kid, key: createPrivateKey({ key: JSON.parse(row.private_jwk) as import('node:crypto').JsonWebKey, format: 'jwk' }) };
  }
}
