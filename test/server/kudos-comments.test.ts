import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeApp } from './helpers.js';

describe('kudos on a comment', () => {
  test('go to its author without naming them, who sees it as theirs and cannot thank themselves', async () => {
    const app = await makeApp({});
    try {
      const subject = `kudos-comment-${Math.random().toString(36).slice(2)}`;
      const posted = await app.server.inject({
        method: 'POST',
        url: '/api/comments',
        headers: { ...(await app.as('mei')), 'idempotency-key': `post-${subject}` },
        payload: { subject, body: 'A comment worth thanking' },
      });
      assert.equal(posted.statusCode, 201, posted.body);
      const commentSubject = `comment:${posted.json<{ id: string }>().id}`;

      const before = await app.server.inject({ method: 'GET', url: `/api/kudos/summaries?subjects=${encodeURIComponent(commentSubject)}` });
      const summary = before.json<{ items: { recipient?: { id: string }; count: number }[] }>().items[0];
      assert.equal(summary?.recipient?.id, 'mei', 'the summary names the author before anyone gave');
      assert.equal(summary?.count, 0);

      const given = await app.server.inject({
        method: 'POST',
        url: '/api/kudos',
        headers: { ...(await app.as('linus')), 'idempotency-key': `give-${subject}` },
        payload: { subject: commentSubject },
      });
      assert.equal(given.statusCode, 201, given.body);
      assert.equal(given.json<{ kudos: { recipient: { id: string } } }>().kudos.recipient.id, 'mei');

      const self = await app.server.inject({
        method: 'POST',
        url: '/api/kudos',
        headers: { ...(await app.as('mei')), 'idempotency-key': `self-${subject}` },
        payload: { subject: commentSubject },
      });
      assert.equal(self.statusCode, 422, self.body);
      assert.match(self.json<{ type: string }>().type, /self-kudos$/);
    } finally {
      await app.close();
    }
  });
});
