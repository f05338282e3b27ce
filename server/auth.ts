import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Kysely } from 'kysely';
import { now, type Database, type PersonRow } from './db.js';
import { problems } from './problems.js';

export interface AuthOptions {
  /** HS256 shared secret with the host application. */
  secret?: string | undefined;
  /** Or a JWKS URL publishing the host's signing keys. */
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
}

export interface Authenticator {
  /** Verifies a bearer token and returns the person it names, provisioned on first sight. */
  authenticate(token: string): Promise<PersonRow>;
  /** Signs a token for a person (demo mode and tests; needs the shared secret). */
  sign(claims: { sub: string; name: string; title?: string | undefined }, expiresIn?: string): Promise<string>;
}

const ALGORITHMS = ['HS256', 'EdDSA', 'ES256', 'RS256'];

function claimString(payload: JWTPayload, name: string, max: number): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value.length > 0 ? value.slice(0, max) : undefined;
}

export function createAuthenticator(db: Kysely<Database>, options: AuthOptions): Authenticator {
  const secret = options.secret ? new TextEncoder().encode(options.secret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined;
  if (!secret && !jwks) throw new Error('Set GUILD_JWT_SECRET or GUILD_JWKS_URL so the server can verify tokens.');

  async function verify(token: string): Promise<JWTPayload> {
    const verifyOptions = {
      algorithms: secret ? ['HS256'] : ALGORITHMS.filter((alg) => alg !== 'HS256'),
      // Tokens are short-lived by design: one that never expires, or lives longer than a working day, is refused.
      requiredClaims: ['sub', 'exp', 'iat'],
      maxTokenAge: '12h',
      ...(options.issuer ? { issuer: options.issuer } : {}),
      ...(options.audience ? { audience: options.audience } : {}),
    };
    try {
      const result = secret ? await jwtVerify(token, secret, verifyOptions) : await jwtVerify(token, jwks!, verifyOptions);
      return result.payload;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw problems.unauthorized('The token has expired.');
      if (error instanceof joseErrors.JWTClaimValidationFailed) {
        throw problems.unauthorized(`The token's ${error.claim} claim is ${error.reason === 'missing' ? 'missing' : 'not acceptable'}.`);
      }
      if (error instanceof joseErrors.JOSEError) throw problems.unauthorized(`The token is not valid: ${error.code}.`);
      throw error;
    }
  }

  // Provisioning writes only when what the token says of a person changed since we last saw them.
  const seen = new Map<string, { claims: string; person: PersonRow }>();

  return {
    async authenticate(token) {
      const payload = await verify(token);
      const id = payload.sub;
      if (!id || !/^[A-Za-z0-9_.@:-]{1,128}$/.test(id) || id === 'me') {
        throw problems.unauthorized('The token has no usable `sub` claim.');
      }
      const name = claimString(payload, 'name', 200) ?? id;
      const title = claimString(payload, 'title', 200) ?? null;
      const picture = claimString(payload, 'picture', 2000);
      const avatarUrl = picture && /^https?:\/\//.test(picture) ? picture : null;
      const claims = [name, title, avatarUrl].join('\n');
      const known = seen.get(id);
      if (known?.claims === claims) return known.person;
      // Provision on first sight, and keep the profile in step with what the host says now.
      await db
        .insertInto('people')
        .values({ id, name, title, avatar_url: avatarUrl, created_at: now() })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name, title, avatar_url: avatarUrl }))
        .execute();
      const person = await db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      if (seen.size > 10_000) seen.clear();
      seen.set(id, { claims, person });
      return person;
    },
    async sign(claims, expiresIn = '15m') {
      if (!secret) throw new Error('Signing needs GUILD_JWT_SECRET.');
      const jwt = new SignJWT({ name: claims.name, ...(claims.title ? { title: claims.title } : {}) })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.sub)
        .setIssuedAt()
        .setExpirationTime(expiresIn);
      if (options.issuer) jwt.setIssuer(options.issuer);
      if (options.audience) jwt.setAudience(options.audience);
      return jwt.sign(secret);
    },
  };
}
