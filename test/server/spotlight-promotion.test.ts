import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMMUNITY, makeApp } from './helpers.js';

describe('new facilitators in the spotlight', () => {
  test('a member of long standing promoted today is a new facilitator; a member who only joins is not', async () => {
    const app = await makeApp({});
    try {
      // Mei joined long ago.
      const joined = await app.server.inject({ method: 'PUT', url: `/api/communities/${COMMUNITY}/members/me`, headers: await app.as('mei'), payload: { role: 'member' } });
      assert.equal(joined.statusCode, 200, joined.body);
      await app.db.updateTable('memberships').set({ since: '2025-01-01T00:00:00.000Z' }).where('person_id', '=', 'mei').execute();
      const read = async () => {
        const answer = await app.server.inject({ method: 'GET', url: `/api/communities/${COMMUNITY}/spotlight?period=week` });
        assert.equal(answer.statusCode, 200, answer.body);
        return answer.json<{ entries: { kind: string; person: { id: string } }[] }>().entries;
      };
      assert.equal((await read()).some((e) => e.kind === 'facilitator' && e.person.id === 'mei'), false);

      // A member cannot promote themselves; a facilitator can.
      const self = await app.server.inject({ method: 'PUT', url: `/api/communities/${COMMUNITY}/members/mei`, headers: await app.as('mei'), payload: { role: 'facilitator' } });
      assert.equal(self.statusCode, 403, self.body);
      const promoted = await app.server.inject({ method: 'PUT', url: `/api/communities/${COMMUNITY}/members/mei`, headers: await app.as('ada'), payload: { role: 'facilitator' } });
      assert.equal(promoted.statusCode, 200, promoted.body);
      assert.equal(promoted.json<{ since: string }>().since, '2025-01-01T00:00:00.000Z', 'membership keeps its start');

      assert.equal((await read()).some((e) => e.kind === 'facilitator' && e.person.id === 'mei'), true);
    } finally {
      await app.close();
    }
  });
});
