import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { assertMatchesContract, assertMatchesSchema } from './contract-check.js';
import {
  call,
  expectOk,
  expectProblem,
  freshSubject,
  listCommentPage,
  withApp,
  writeComment,
  type Schemas,
  type TestApp,
} from './helpers.js';

type Comment = Schemas['Comment'];
type GuildEvent = Schemas['Event'];

const fresh = (prefix = 'seen'): string => freshSubject(prefix);

const write = writeComment;

const listing = listCommentPage;

async function hide(app: TestApp, id: string, hidden = true): Promise<Comment> {
  return expectOk<Comment>(await call(app, 'ada', 'PATCH', `/api/comments/${id}`, { hidden }), 'updateComment');
}

/** Every event recorded after `afterId`, each checked against the contract's `Event`. */
async function eventsAfter(app: TestApp, afterId: number): Promise<GuildEvent[]> {
  const events = await app.events.replayAfter(afterId);
  for (const event of events) assertMatchesSchema('Event', event);
  return events;
}

function commentEvents(events: GuildEvent[]): Schemas['CommentEvent'][] {
  return events.flatMap((event) => (event.type === 'comment.changed' ? [event] : []));
}

const SECRET = 'the-secret-words';
const MEMBERS_AND_VISITORS = [undefined, 'mei', 'linus'] as const;

describe('hidden content reaches facilitators only', () => {
  test('a hidden comment without replies is neither listed nor served to members, its author or visitors', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const keep = await write(app, 'mei', { subject, body: 'Fine' });
      const bad = await write(app, 'linus', { subject, body: SECRET, mentions: ['ada'] });
      await call(app, 'tomas', 'PUT', `/api/comments/${bad.id}/reactions/${encodeURIComponent('👍')}`);
      const hidden = await hide(app, bad.id);
      assert.deepEqual([hidden.state, hidden.body, hidden.author?.id], ['hidden', SECRET, 'linus']);

      for (const as of MEMBERS_AND_VISITORS) {
        const page = await listing(app, as, `subject=${subject}`);
        assert.deepEqual(page.items.map((c) => c.id), [keep.id], `listed for ${as ?? 'anonymous'}`);
        assert.equal(page.thread.commentCount, 1);
        expectProblem(await call(app, as, 'GET', `/api/comments/${bad.id}`), 404, 'not-found', 'getComment');
        assert.doesNotMatch(JSON.stringify(page), new RegExp(SECRET));
      }
      for (const as of ['ada', 'grace']) {
        const page = await listing(app, as, `subject=${subject}`);
        const seen = page.items.find((c) => c.id === bad.id);
        assert.deepEqual([seen?.state, seen?.body, seen?.author?.id, seen?.mentions.map((p) => p.id), seen?.reactions.length], ['hidden', SECRET, 'linus', ['ada'], 1]);
        const read = expectOk<Comment>(await call(app, as, 'GET', `/api/comments/${bad.id}`), 'getComment');
        assert.equal(read.body, SECRET);
      }

      await hide(app, bad.id, false);
      const back = expectOk<Comment>(await call(app, 'mei', 'GET', `/api/comments/${bad.id}`), 'getComment');
      assert.deepEqual([back.state, back.body], ['visible', SECRET]);
      assert.equal((await listing(app, undefined, `subject=${subject}`)).thread.commentCount, 2);
    });
  });

  test('a hidden comment with replies is a placeholder for members and visitors, in the list and alone', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const root = await write(app, 'linus', { subject, body: SECRET, mentions: ['mei'] });
      await call(app, 'tomas', 'PUT', `/api/comments/${root.id}/reactions/${encodeURIComponent('🎉')}`);
      const reply = await write(app, 'mei', { subject, body: 'A reply', parentId: root.id });
      await hide(app, root.id);

      for (const as of MEMBERS_AND_VISITORS) {
        const placeholder = expectOk<Comment>(await call(app, as, 'GET', `/api/comments/${root.id}`), 'getComment');
        assert.deepEqual(
          [placeholder.state, placeholder.body, placeholder.author, placeholder.mentions, placeholder.reactions, placeholder.editedAt, placeholder.replyCount],
          ['hidden', '', null, [], [], null, 1],
        );
        const page = await listing(app, as, `subject=${subject}`);
        assert.deepEqual(page.items, [placeholder]);
        const replies = await listing(app, as, `subject=${subject}&parent=${root.id}`);
        assert.deepEqual(replies.items.map((c) => c.id), [reply.id]);
        assert.doesNotMatch(JSON.stringify([page, replies]), new RegExp(SECRET));
      }
      const full = expectOk<Comment>(await call(app, 'grace', 'GET', `/api/comments/${root.id}`), 'getComment');
      assert.deepEqual([full.body, full.author?.id, full.reactions.length, full.mentions.length], [SECRET, 'linus', 1, 1]);
    });
  });

  test('replyCount counts the replies the reader would get', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const root = await write(app, 'linus', { subject, body: 'Root' });
      await write(app, 'mei', { subject, body: 'One', parentId: root.id });
      const hiddenLeaf = await write(app, 'tomas', { subject, body: 'Two', parentId: root.id });
      const hiddenBranch = await write(app, 'tomas', { subject, body: 'Three', parentId: root.id });
      await write(app, 'mei', { subject, body: 'Under three', parentId: hiddenBranch.id });
      await hide(app, hiddenLeaf.id);
      await hide(app, hiddenBranch.id);

      const counts = async (as: string | undefined) => {
        const read = expectOk<Comment>(await call(app, as, 'GET', `/api/comments/${root.id}`), 'getComment');
        const replies = await listing(app, as, `subject=${subject}&parent=${root.id}`);
        assert.equal(read.replyCount, replies.items.length, 'replyCount matches the listing');
        return read.replyCount;
      };
      assert.equal(await counts(undefined), 2, 'the visible reply and the placeholder that holds a reply');
      assert.equal(await counts('mei'), 2);
      assert.equal(await counts('ada'), 3);
    });
  });
});

describe('discussion events', () => {
  test('each change is one event, recorded with the change, as an anonymous visitor sees the comment', async () => {
    await withApp(async (app) => {
      const start = await app.events.newestId();
      const subject = fresh('events');
      const root = await write(app, 'linus', { subject, body: SECRET });
      await write(app, 'mei', { subject, body: 'Reply', parentId: root.id });
      expectOk(await call(app, 'mei', 'PUT', `/api/comments/${root.id}/reactions/${encodeURIComponent('👍')}`), 'addReaction');
      expectOk(await call(app, 'linus', 'PATCH', `/api/comments/${root.id}`, { body: `${SECRET}, edited` }), 'updateComment');
      await hide(app, root.id);
      // Nobody may change a hidden comment's body, but a pin is a change the stream still reports.
      expectOk(await call(app, 'grace', 'PATCH', `/api/comments/${root.id}`, { pinned: true }), 'updateComment');

      const events = await eventsAfter(app, start);
      const changes = commentEvents(events);
      assert.deepEqual(
        changes.map((e) => [e.action, e.actorId, e.comment.id === root.id ? 'root' : 'reply']),
        [
          ['created', 'linus', 'root'],
          ['created', 'mei', 'reply'],
          ['reacted', 'mei', 'root'],
          ['edited', 'linus', 'root'],
          ['moderated', 'ada', 'root'],
          ['moderated', 'grace', 'root'],
        ],
      );
      const reacted = changes[2]!;
      assert.deepEqual(reacted.comment.reactions.map((r) => [r.emoji, r.count, r.reactedByMe]), [['👍', 1, false]], 'reactedByMe is false in events');
      assert.equal(changes[0]!.thread.commentCount, 1);
      assert.equal(changes[1]!.thread.commentCount, 2);
      assert.equal(changes[4]!.thread.commentCount, 1, 'hiding takes the comment out of the count');

      // Once hidden, the stream carries only the placeholder.
      for (const event of changes.slice(4)) {
        assert.deepEqual([event.comment.state, event.comment.body, event.comment.author, event.comment.reactions], ['hidden', '', null, []]);
        assert.doesNotMatch(JSON.stringify(event), new RegExp(SECRET));
      }
      assert.equal(changes[5]!.comment.pinned, true);
    });
  });

  test('deletions: a placeholder when replies remain, a removed comment otherwise', async () => {
    await withApp(async (app) => {
      const subject = fresh('events');
      const root = await write(app, 'linus', { subject, body: 'Root' });
      const reply = await write(app, 'mei', { subject, body: 'Reply', parentId: root.id });
      const start = await app.events.newestId();
      assert.equal((await call(app, 'linus', 'DELETE', `/api/comments/${root.id}`)).statusCode, 204);
      assert.equal((await call(app, 'mei', 'DELETE', `/api/comments/${reply.id}`)).statusCode, 204);
      const changes = commentEvents(await eventsAfter(app, start));
      assert.deepEqual(
        changes.map((e) => [e.action, e.comment.id, e.comment.state, e.comment.replyCount, e.comment.body, e.thread.commentCount]),
        [
          ['deleted', root.id, 'deleted', 1, '', 1],
          ['deleted', reply.id, 'deleted', 0, '', 0],
          // The placeholder held nothing together any more, and went with its last reply.
          ['deleted', root.id, 'deleted', 0, '', 0],
        ],
      );
    });
  });

  test('thread changes are thread.changed events with the summary', async () => {
    await withApp(async (app) => {
      const subject = fresh('events');
      await write(app, 'linus', { subject, body: 'Question?', mode: 'question' });
      const answer = await write(app, 'mei', { subject, body: 'Answer.' });
      const start = await app.events.newestId();
      const patch = (as: string, payload: object) => call(app, as, 'PATCH', `/api/threads?subject=${encodeURIComponent(subject)}`, payload);
      expectOk(await patch('linus', { acceptedCommentId: answer.id }), 'updateThread');
      expectOk(await patch('ada', { locked: true }), 'updateThread');
      expectOk(await patch('ada', { locked: true }), 'updateThread');
      expectOk(await patch('ada', { locked: false, mode: 'discussion' }), 'updateThread');
      const threadEvents = (await eventsAfter(app, start)).flatMap((e) => (e.type === 'thread.changed' ? [e] : []));
      assert.deepEqual(
        threadEvents.map((e) => [e.action, e.actorId, e.thread.locked, e.thread.mode, e.thread.acceptedCommentId]),
        [
          ['accepted', 'linus', false, 'question', answer.id],
          ['locked', 'ada', true, 'question', answer.id],
          // Locking again changes nothing and says nothing.
          ['unlocked', 'ada', false, 'discussion', null],
          ['mode', 'ada', false, 'discussion', null],
        ],
      );
    });
  });

  test('open streams receive comment events after commit, hidden ones as placeholders', async () => {
    await withApp(async (app) => {
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.server.address() as AddressInfo;
      const controller = new AbortController();
      const response = await fetch(`http://127.0.0.1:${port}/api/events`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
      assert.ok(response.body);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      const until = async (predicate: (text: string) => boolean) => {
        const deadline = Date.now() + 3000;
        while (!predicate(buffer)) {
          assert.ok(Date.now() < deadline, `the stream did not deliver in time: ${buffer}`);
          const chunk = await reader.read();
          if (chunk.done) assert.fail('the stream ended');
          buffer += decoder.decode(chunk.value, { stream: true });
        }
      };
      try {
        await until((text) => text.includes(': connected'));
        const subject = fresh('live');
        const comment = await write(app, 'linus', { subject, body: SECRET });
        await hide(app, comment.id);
        await until((text) => text.split('event: comment.changed').length >= 3);
        const payloads = buffer
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => JSON.parse(line.slice(6)) as Schemas['Event'])
          // The first comment may also earn a badge (an `award.changed` event): only comments matter here.
          .filter((payload): payload is Schemas['CommentEvent'] => payload.type === 'comment.changed');
        for (const payload of payloads) assertMatchesContract('streamEvents', 200, payload, 'text/event-stream');
        assert.deepEqual(payloads.map((p) => [p.action, p.comment.state, p.comment.body]), [['created', 'visible', SECRET], ['moderated', 'hidden', '']]);
      } finally {
        controller.abort();
        await reader.cancel().catch(() => undefined);
      }
    });
  });
});
