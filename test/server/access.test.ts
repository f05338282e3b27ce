import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCESS } from '../../server/access.js';
import { contract } from './helpers.js';

describe('the access table', () => {
  it('names every operation of the contract, and opens to anonymous visitors exactly those the contract does', () => {
    const operations = [...contract().operations.values()];
    assert.deepEqual(Object.keys(ACCESS).sort(), operations.map((op) => op.operationId).sort());
    for (const operation of operations) {
      assert.equal(ACCESS[operation.operationId].who === 'anyone', !operation.requiresAuth, operation.operationId);
    }
  });
});

describe('token lifetime', () => {
  it('refuses a token issued more than 12 hours ago, even if it has not expired', async () => {
    const { SignJWT } = await import('jose');
    const { SECRET, withApp } = await import('./helpers.js');
    await withApp(async (app) => {
      const now = Math.floor(Date.now() / 1000);
      const old = await new SignJWT({ name: 'Ada' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('ada')
        .setIssuedAt(now - 13 * 3600)
        .setExpirationTime(now + 3600)
        .sign(new TextEncoder().encode(SECRET));
      const response = await app.server.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${old}` } });
      assert.equal(response.statusCode, 401);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    });
  });
});
