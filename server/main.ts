import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { buildApp } from './app.js';
import { openSqlite } from './db.js';
import { catchUpAwards } from './handlers/badges.js';
import { ensureCommunity, seedDemo } from './seed.js';

/** Starts the reference server from environment variables; see the README for each one. */
async function main(): Promise<void> {
  const env = process.env;
  const demo = env['GUILD_DEMO'] === '1';
  const port = Number(env['PORT'] ?? 8787);
  const host = env['HOST'] ?? 'localhost';
  const defaultCommunity = env['GUILD_DEFAULT_COMMUNITY'] ?? (demo ? 'new-joiners' : 'general');
  let secret = env['GUILD_JWT_SECRET'];
  if (!secret && !env['GUILD_JWKS_URL']) {
    if (!demo) throw new Error('Set GUILD_JWT_SECRET (shared with the host) or GUILD_JWKS_URL.');
    // Demo tokens only ever come from this process, so a fresh secret per start is enough.
    secret = randomBytes(32).toString('base64url');
  }
  const db = await openSqlite(resolve(env['GUILD_DB'] ?? 'data/guildkit.sqlite'));
  // One server process owns a SQLite file: a key still pending at start belongs to a request that
  // died with the previous process. Released now, its retry runs again instead of waiting out the lease.
  await db.deleteFrom('idempotency_keys').where('state', '=', 'pending').execute();
  if (demo) await seedDemo(db, defaultCommunity);
  else await ensureCommunity(db, defaultCommunity, 'General');
  const publicUrl = env['GUILD_PUBLIC_URL'] ?? `http://${host}:${port}`;
  const { server, context } = await buildApp({
    publicUrl,
    db,
    demo,
    defaultCommunity,
    auth: {
      secret,
      jwksUrl: env['GUILD_JWKS_URL'],
      issuer: env['GUILD_JWT_ISSUER'],
      audience: env['GUILD_JWT_AUDIENCE'],
    },
    corsOrigins: (env['GUILD_CORS_ORIGINS'] ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    cdnDir: env['GUILD_CDN_DIR'] ?? 'dist/cdn',
    logLevel: env['LOG_LEVEL'] ?? 'warn',
    rateLimitPerMinute: Number(env['GUILD_RATE_LIMIT'] ?? 600),
    writeLimitPerMinute: Number(env['GUILD_WRITE_LIMIT'] ?? 120),
    commentLimitPerMinute: Number(env['GUILD_COMMENT_LIMIT'] ?? 20),
    trustProxy: env['GUILD_TRUST_PROXY'] === '1',
  });
  const close = async () => {
    await server.close();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void close());
  process.once('SIGTERM', () => void close());
  // Badges earned while the server was down (or before a badge existed) are awarded now.
  await catchUpAwards(context);
  await server.listen({ port, host });
  const address = `http://${host}:${port}`;
  console.log(demo ? `Guildkit demo: ${address}/` : `Guildkit server: ${address}/api`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
