import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectProblem, give, withApp } from './helpers.js';

describe('abuse limits', () => {
  it('limits writes per person, with 429 and Retry-After, without slowing anyone else', async () => {
    await withApp(
      async (app) => {
        assert.equal((await give(app, 'linus', { subject: 'limits/a', recipientId: 'ada' })).statusCode, 201);
        assert.equal((await give(app, 'linus', { subject: 'limits/b', recipientId: 'ada' })).statusCode, 201);
        const flooded = await give(app, 'linus', { subject: 'limits/c', recipientId: 'ada' });
        expectProblem(flooded, 429, 'rate-limited', 'giveKudos');
        assert.match(String(flooded.headers['retry-after']), /^\d+$/);
        // Another person, and Linus's own reads, are unaffected.
        assert.equal((await give(app, 'mei', { subject: 'limits/c', recipientId: 'ada' })).statusCode, 201);
        const read = await app.server.inject({ method: 'GET', url: '/api/kudos/summaries?subjects=limits/c', headers: await app.as('linus') });
        assert.equal(read.statusCode, 200);
      },
      { writeLimitPerMinute: 2 },
    );
  });

  it('limits all requests per person, or per address when signed out', async () => {
    await withApp(
      async (app) => {
        for (let i = 0; i < 3; i += 1) {
          assert.equal((await app.server.inject({ method: 'GET', url: '/api/communities' })).statusCode, 200);
        }
        const flooded = await app.server.inject({ method: 'GET', url: '/api/communities' });
        expectProblem(flooded, 429, 'rate-limited', 'listCommunities');
        const signedIn = await app.server.inject({ method: 'GET', url: '/api/communities', headers: await app.as('mei') });
        assert.equal(signedIn.statusCode, 200);
      },
      { rateLimitPerMinute: 3 },
    );
  });

  it('refuses a body over the size limit with 413 problem+json and writes nothing', async () => {
    await withApp(async (app) => {
      const response = await app.server.inject({
        method: 'POST',
        url: '/api/kudos',
        headers: { ...(await app.as('linus')), 'idempotency-key': 'key-oversize', 'content-type': 'application/json' },
        payload: JSON.stringify({ subject: 'x', message: 'a'.repeat(300 * 1024) }),
      });
      assert.equal(response.statusCode, 413);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    });
  });
});

describe('idempotency keys over time', () => {
  it('serves a key whose first request never finished (the server stopped mid-write) as a new request', async () => {
    await withApp(async (app) => {
      await app.db
        .insertInto('idempotency_keys')
        .values({
          person_id: 'linus',
          key: 'key-abandoned',
          fingerprint: 'whatever',
          state: 'pending',
          status_code: null,
          content_type: null,
          response_body: null,
          created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
        })
        .execute();
      const response = await give(app, 'linus', { subject: 'lease/a', recipientId: 'ada' }, 'key-abandoned');
      assert.equal(response.statusCode, 201);
      const replay = await give(app, 'linus', { subject: 'lease/a', recipientId: 'ada' }, 'key-abandoned');
      assert.equal(replay.headers['idempotent-replayed'], 'true');
    });
  });

});
