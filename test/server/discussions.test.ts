import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ensureCommunity } from '../../server/seed.js';
import {
  addPeople,
  call,
  COMMUNITY,
  countEvents,
  countRows,
  expectOk,
  expectProblem,
  freshSubject,
  listCommentPage,
  newKey,
  postComment,
  withApp,
  writeComment,
  type Schemas,
  type TestApp,
} from './helpers.js';

type Comment = Schemas['Comment'];
type ThreadSummary = Schemas['ThreadSummary'];
type ReactionList = Schemas['ReactionList'];

/*
 * Cast (the seed's community `general`): ada and grace facilitate it; linus, mei and tomas are
 * members. Each rule is tried by the right person, the wrong person and an anonymous visitor.
 */

const fresh = (prefix = 'talk'): string => freshSubject(prefix);

const write = writeComment;

async function thread(app: TestApp, subject: string): Promise<ThreadSummary> {
  const list = expectOk<Schemas['ThreadList']>(await call(app, undefined, 'GET', `/api/threads?subjects=${encodeURIComponent(subject)}`), 'listThreads');
  const [summary] = list.items;
  assert.ok(summary);
  return summary;
}

const listing = listCommentPage;

async function patchComment(app: TestApp, as: string | undefined, id: string, payload: object) {
  return call(app, as, 'PATCH', `/api/comments/${id}`, payload);
}

async function patchThread(app: TestApp, as: string | undefined, subject: string, payload: object) {
  return call(app, as, 'PATCH', `/api/threads?subject=${encodeURIComponent(subject)}`, payload);
}

function react(app: TestApp, as: string | undefined, id: string, emoji: string, method: 'PUT' | 'DELETE' = 'PUT') {
  return call(app, as, method, `/api/comments/${id}/reactions/${encodeURIComponent(emoji)}`);
}

describe('threads are created by their first comment', () => {
  test('the first comment creates the thread in the default community; later ones join it', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const empty = await thread(app, subject);
      assert.deepEqual(empty, {
        subject,
        community: COMMUNITY,
        commentCount: 0,
        locked: false,
        mode: 'discussion',
        acceptedCommentId: null,
        allowedReactions: ['👍', '🎉', '💡', '❤️', '👀', '🙏'],
      });

      const first = await write(app, 'linus', { subject, body: 'Hello **guild**' });
      assert.equal(first.subject, subject);
      assert.equal(first.author?.id, 'linus');
      assert.equal(first.body, 'Hello **guild**');
      assert.deepEqual([first.state, first.pinned, first.replyCount, first.parentId, first.editedAt], ['visible', false, 0, null, null]);
      await write(app, 'mei', { subject, body: 'Hi!', mode: 'question', community: 'nowhere' });

      const summary = await thread(app, subject);
      assert.equal(summary.commentCount, 2);
      assert.equal(summary.createdBy, 'linus');
      assert.equal(summary.mode, 'discussion', 'mode and community only count when the thread is created');
      assert.equal(summary.community, COMMUNITY);
      assert.ok(summary.lastCommentAt);
    });
  });

  test('community and mode are taken from the first comment; an unknown community is 404', async () => {
    await withApp(async (app) => {
      await ensureCommunity(app.db, 'rust-guild', 'Rust Guild');
      const subject = fresh('rust');
      expectProblem(await postComment(app, 'linus', { subject, body: 'Hi', community: 'no-such-guild' }), 404, 'not-found', 'createComment');
      assert.equal(await countRows(app.db, 'threads'), 2, 'only the two seeded threads');
      await write(app, 'linus', { subject, body: 'How do lifetimes work?', community: 'rust-guild', mode: 'question' });
      const summary = await thread(app, subject);
      assert.deepEqual([summary.community, summary.mode, summary.createdBy], ['rust-guild', 'question', 'linus']);
    });
  });

  test('listThreads answers a batch in request order', async () => {
    await withApp(async (app) => {
      const [a, b] = [fresh(), fresh()];
      await write(app, 'mei', { subject: b, body: 'On b' });
      const list = expectOk<Schemas['ThreadList']>(await call(app, undefined, 'GET', `/api/threads?subjects=${b},${a},${b}`), 'listThreads');
      assert.deepEqual(list.items.map((t) => [t.subject, t.commentCount]), [[b, 1], [a, 0], [b, 1]]);
    });
  });

  test('posting needs a signed-in person and writes nothing otherwise', async () => {
    await withApp(async (app) => {
      const before = await countRows(app.db, 'comments');
      expectProblem(await postComment(app, undefined, { subject: fresh(), body: 'Anonymous' }), 401, 'unauthorized', 'createComment');
      assert.equal(await countRows(app.db, 'comments'), before);
    });
  });

  test('the same Idempotency-Key twice makes one comment and one event', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const key = newKey();
      const events = await countEvents(app.db, 'comment.changed');
      const first = expectOk<Comment>(await postComment(app, 'linus', { subject, body: 'Once' }, key), 'createComment', 201);
      const again = await postComment(app, 'linus', { subject, body: 'Once' }, key);
      assert.equal(again.statusCode, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal((JSON.parse(again.body) as Comment).id, first.id);
      const page = await listing(app, undefined, `subject=${subject}`);
      assert.deepEqual(page.items.map((c) => c.id), [first.id]);
      assert.equal(page.thread.commentCount, 1);
      assert.equal(await countEvents(app.db, 'comment.changed'), events + 1);
      expectProblem(await postComment(app, 'linus', { subject, body: 'Other body' }, key), 422, 'idempotency-key-reused', 'createComment');
    });
  });
});

describe('bodies, replies and mentions', () => {
  test('a body must have text besides white space (422) and at most 20000 characters (400)', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const blank = expectProblem(await postComment(app, 'linus', { subject, body: ' \n\t ' }), 422, 'empty-body', 'createComment');
      assert.match(blank.detail ?? '', /white space/);
      expectProblem(await postComment(app, 'linus', { subject, body: 'x'.repeat(20001) }), 400, 'invalid-request', 'createComment');
      expectProblem(await postComment(app, 'linus', { subject, body: '' }), 400, 'invalid-request', 'createComment');
      assert.equal((await thread(app, subject)).commentCount, 0, 'nothing written');
      const longest = await write(app, 'linus', { subject, body: 'x'.repeat(20000) });
      assert.equal(longest.body.length, 20000);
      expectProblem(await patchComment(app, 'linus', longest.id, { body: '   ' }), 422, 'empty-body', 'updateComment');
    });
  });

  test('a reply needs a visible parent on the same subject', async () => {
    await withApp(async (app) => {
      const [subject, elsewhere] = [fresh(), fresh()];
      const root = await write(app, 'linus', { subject, body: 'Root' });
      const other = await write(app, 'mei', { subject: elsewhere, body: 'Elsewhere' });
      const reply = await write(app, 'mei', { subject, body: 'Reply', parentId: root.id });
      assert.equal(reply.parentId, root.id);
      assert.equal((await thread(app, subject)).commentCount, 2);

      expectProblem(await postComment(app, 'mei', { subject, body: 'x', parentId: '999999' }), 404, 'not-found', 'createComment');
      expectProblem(await postComment(app, 'mei', { subject, body: 'x', parentId: 'abc' }), 404, 'not-found', 'createComment');
      expectProblem(await postComment(app, 'mei', { subject, body: 'x', parentId: other.id }), 422, 'parent-elsewhere', 'createComment');

      // A deleted parent (kept as a placeholder for its reply) takes no more replies.
      assert.equal((await call(app, 'linus', 'DELETE', `/api/comments/${root.id}`)).statusCode, 204);
      expectProblem(await postComment(app, 'mei', { subject, body: 'x', parentId: root.id }), 409, 'parent-not-visible', 'createComment');
      // A hidden parent without replies is invisible to members: 404, not 409.
      const lonely = await write(app, 'tomas', { subject, body: 'Lonely' });
      expectOk(await patchComment(app, 'ada', lonely.id, { hidden: true }), 'updateComment');
      expectProblem(await postComment(app, 'mei', { subject, body: 'x', parentId: lonely.id }), 404, 'not-found', 'createComment');
      expectProblem(await postComment(app, 'ada', { subject, body: 'x', parentId: lonely.id }), 409, 'parent-not-visible', 'createComment');
    });
  });

  test('mentions must name known people; comments carry them as people', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const unknown = expectProblem(
        await postComment(app, 'linus', { subject, body: 'Hi @nobody', mentions: ['ada', 'nobody'] }),
        422,
        'unknown-mention',
        'createComment',
      );
      assert.match(unknown.detail ?? '', /nobody/);
      assert.equal((await thread(app, subject)).commentCount, 0);
      const comment = await write(app, 'linus', { subject, body: 'Thanks @ada and @grace', mentions: ['grace', 'ada', 'ada'] });
      assert.deepEqual(comment.mentions.map((p) => p.id), ['ada', 'grace']);
      assert.equal(comment.mentions[0]?.name, 'Ada Okafor');

      const edited = expectOk<Comment>(await patchComment(app, 'linus', comment.id, { mentions: ['mei'] }), 'updateComment');
      assert.deepEqual(edited.mentions.map((p) => p.id), ['mei']);
      expectProblem(await patchComment(app, 'linus', comment.id, { mentions: ['ghost'] }), 422, 'unknown-mention', 'updateComment');
      const listed = await listing(app, undefined, `subject=${subject}`);
      assert.deepEqual(listed.items[0]?.mentions.map((p) => p.id), ['mei']);
    });
  });
});

describe('editing and deleting are for the author', () => {
  test('only the author edits the body: not another member, not a facilitator, not anonymous', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const comment = await write(app, 'linus', { subject, body: 'Frist' });
      expectProblem(await patchComment(app, 'mei', comment.id, { body: 'Hacked' }), 403, 'forbidden', 'updateComment');
      expectProblem(await patchComment(app, 'ada', comment.id, { body: 'Hacked' }), 403, 'forbidden', 'updateComment');
      expectProblem(await patchComment(app, undefined, comment.id, { body: 'Hacked' }), 401, 'unauthorized', 'updateComment');
      expectProblem(await patchComment(app, 'linus', '424242', { body: 'x' }), 404, 'not-found', 'updateComment');
      const edited = expectOk<Comment>(await patchComment(app, 'linus', comment.id, { body: 'First' }), 'updateComment');
      assert.equal(edited.body, 'First');
      assert.ok(edited.editedAt);
      const read = expectOk<Comment>(await call(app, undefined, 'GET', `/api/comments/${comment.id}`), 'getComment');
      assert.equal(read.body, 'First');
    });
  });

  test('only the author deletes; a comment without replies is gone and the counts drop', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const keep = await write(app, 'mei', { subject, body: 'Stays' });
      const comment = await write(app, 'linus', { subject, body: 'Oops' });
      expectOk(await react(app, 'mei', comment.id, '👍'), 'addReaction');
      expectProblem(await call(app, 'mei', 'DELETE', `/api/comments/${comment.id}`), 403, 'forbidden', 'deleteComment');
      expectProblem(await call(app, 'ada', 'DELETE', `/api/comments/${comment.id}`), 403, 'forbidden', 'deleteComment');
      expectProblem(await call(app, undefined, 'DELETE', `/api/comments/${comment.id}`), 401, 'unauthorized', 'deleteComment');
      assert.equal((await thread(app, subject)).commentCount, 2);

      const deleted = await call(app, 'linus', 'DELETE', `/api/comments/${comment.id}`);
      assert.equal(deleted.statusCode, 204);
      expectProblem(await call(app, undefined, 'GET', `/api/comments/${comment.id}`), 404, 'not-found', 'getComment');
      expectProblem(await call(app, 'linus', 'DELETE', `/api/comments/${comment.id}`), 404, 'not-found', 'deleteComment');
      const page = await listing(app, undefined, `subject=${subject}`);
      assert.deepEqual(page.items.map((c) => c.id), [keep.id]);
      assert.equal(page.thread.commentCount, 1);
    });
  });

  test('a comment with replies stays as a placeholder; it goes when its last reply goes', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const root = await write(app, 'linus', { subject, body: 'Root with a secret', mentions: ['ada'] });
      expectOk(await react(app, 'mei', root.id, '🎉'), 'addReaction');
      const reply = await write(app, 'mei', { subject, body: 'Reply', parentId: root.id });
      assert.equal((await thread(app, subject)).commentCount, 2);

      assert.equal((await call(app, 'linus', 'DELETE', `/api/comments/${root.id}`)).statusCode, 204);
      for (const as of [undefined, 'mei', 'ada', 'linus']) {
        const placeholder = expectOk<Comment>(await call(app, as, 'GET', `/api/comments/${root.id}`), 'getComment');
        assert.deepEqual(
          [placeholder.state, placeholder.body, placeholder.author, placeholder.reactions, placeholder.mentions, placeholder.replyCount],
          ['deleted', '', null, [], [], 1],
        );
        const page = await listing(app, as, `subject=${subject}`);
        assert.deepEqual(page.items.map((c) => [c.id, c.state]), [[root.id, 'deleted']]);
      }
      assert.equal((await thread(app, subject)).commentCount, 1);
      expectProblem(await patchComment(app, 'linus', root.id, { body: 'Back' }), 409, 'comment-deleted', 'updateComment');
      expectProblem(await react(app, 'mei', root.id, '👍'), 409, 'comment-not-visible', 'addReaction');
      expectProblem(await call(app, 'mei', 'POST', `/api/comments/${root.id}/flags`, { reason: 'spam' }), 409, 'comment-deleted', 'flagComment');

      assert.equal((await call(app, 'mei', 'DELETE', `/api/comments/${reply.id}`)).statusCode, 204);
      expectProblem(await call(app, undefined, 'GET', `/api/comments/${root.id}`), 404, 'not-found', 'getComment');
      const page = await listing(app, undefined, `subject=${subject}`);
      assert.deepEqual(page.items, []);
      assert.equal(page.thread.commentCount, 0);
      assert.equal(await app.db.selectFrom('comments').select('id').where('subject', '=', subject).executeTakeFirst(), undefined);
    });
  });
});

describe('moderation is for facilitators of the thread’s community', () => {
  test('pin and hide: facilitators only; not the author, not another member, not anonymous, not another community’s facilitator', async () => {
    await withApp(async (app) => {
      await ensureCommunity(app.db, 'other-guild', 'Other');
      await addPeople(app.db, ['olga']);
      await app.db.insertInto('memberships').values({ community_id: 'other-guild', person_id: 'olga', role: 'facilitator', since: new Date().toISOString() }).execute();
      const subject = fresh();
      const comment = await write(app, 'linus', { subject, body: 'Pin me' });
      for (const change of [{ pinned: true }, { hidden: true }]) {
        expectProblem(await patchComment(app, 'linus', comment.id, change), 403, 'forbidden', 'updateComment');
        expectProblem(await patchComment(app, 'mei', comment.id, change), 403, 'forbidden', 'updateComment');
        expectProblem(await patchComment(app, 'olga', comment.id, change), 403, 'forbidden', 'updateComment');
        expectProblem(await patchComment(app, undefined, comment.id, change), 401, 'unauthorized', 'updateComment');
      }
      const pinned = expectOk<Comment>(await patchComment(app, 'grace', comment.id, { pinned: true }), 'updateComment');
      assert.equal(pinned.pinned, true);
      const hidden = expectOk<Comment>(await patchComment(app, 'ada', comment.id, { hidden: true }), 'updateComment');
      assert.deepEqual([hidden.state, hidden.body, hidden.author?.id], ['hidden', 'Pin me', 'linus'], 'facilitators see what they hid');
      expectProblem(await patchComment(app, 'mei', comment.id, { hidden: false }), 404, 'not-found', 'updateComment');
      const back = expectOk<Comment>(await patchComment(app, 'ada', comment.id, { hidden: false, pinned: false }), 'updateComment');
      assert.deepEqual([back.state, back.pinned], ['visible', false]);
      // A facilitator's body edit of someone else's comment is still refused.
      expectProblem(await patchComment(app, 'ada', comment.id, { body: 'Mine now', pinned: true }), 403, 'forbidden', 'updateComment');
    });
  });

  test('only top-level comments are pinned; the author may not edit a comment while it is hidden', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const root = await write(app, 'linus', { subject, body: 'Root' });
      const reply = await write(app, 'mei', { subject, body: 'Reply', parentId: root.id });
      expectProblem(await patchComment(app, 'ada', reply.id, { pinned: true }), 422, 'not-top-level', 'updateComment');
      expectOk(await patchComment(app, 'ada', root.id, { hidden: true }), 'updateComment');
      expectProblem(await patchComment(app, 'linus', root.id, { body: 'Sneaky' }), 409, 'comment-hidden', 'updateComment');
    });
  });

  test('locking: facilitators only; in a locked thread only facilitators post and react', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const comment = await write(app, 'linus', { subject, body: 'Before the lock' });
      expectProblem(await patchThread(app, 'linus', subject, { locked: true }), 403, 'forbidden', 'updateThread');
      expectProblem(await patchThread(app, 'mei', subject, { locked: true }), 403, 'forbidden', 'updateThread');
      expectProblem(await patchThread(app, undefined, subject, { locked: true }), 401, 'unauthorized', 'updateThread');
      expectProblem(await patchThread(app, 'ada', fresh(), { locked: true }), 404, 'not-found', 'updateThread');
      const locked = expectOk<ThreadSummary>(await patchThread(app, 'ada', subject, { locked: true }), 'updateThread');
      assert.equal(locked.locked, true);

      const refused = expectProblem(await postComment(app, 'linus', { subject, body: 'After' }), 403, 'thread-locked', 'createComment');
      assert.match(refused.detail ?? '', /locked/);
      expectProblem(await postComment(app, 'mei', { subject, body: 'Reply', parentId: comment.id }), 403, 'thread-locked', 'createComment');
      expectProblem(await react(app, 'mei', comment.id, '👍'), 403, 'thread-locked', 'addReaction');
      expectProblem(await react(app, 'mei', comment.id, '👍', 'DELETE'), 403, 'thread-locked', 'removeReaction');
      expectProblem(await postComment(app, undefined, { subject, body: 'After' }), 401, 'unauthorized', 'createComment');
      await write(app, 'grace', { subject, body: 'Facilitators may still post' });
      expectOk(await react(app, 'ada', comment.id, '👍'), 'addReaction');

      expectProblem(await patchThread(app, 'linus', subject, { locked: false }), 403, 'forbidden', 'updateThread');
      const unlocked = expectOk<ThreadSummary>(await patchThread(app, 'grace', subject, { locked: false }), 'updateThread');
      assert.equal(unlocked.locked, false);
      await write(app, 'linus', { subject, body: 'Open again' });
    });
  });

  test('changing mode: facilitators only', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      await write(app, 'linus', { subject, body: 'Is this a question?' });
      expectProblem(await patchThread(app, 'linus', subject, { mode: 'question' }), 403, 'forbidden', 'updateThread');
      expectProblem(await patchThread(app, 'mei', subject, { mode: 'question' }), 403, 'forbidden', 'updateThread');
      expectProblem(await patchThread(app, undefined, subject, { mode: 'question' }), 401, 'unauthorized', 'updateThread');
      const changed = expectOk<ThreadSummary>(await patchThread(app, 'ada', subject, { mode: 'question' }), 'updateThread');
      assert.equal(changed.mode, 'question');
    });
  });

  test('accepting an answer: the question’s author or a facilitator; a visible comment of this question', async () => {
    await withApp(async (app) => {
      const subject = fresh('faq');
      await write(app, 'linus', { subject, body: 'How do I rebase?', mode: 'question' });
      const answer = await write(app, 'mei', { subject, body: '`git rebase -i`' });
      const other = await write(app, 'tomas', { subject, body: 'Ask Ada' });
      const foreign = await write(app, 'tomas', { subject: fresh(), body: 'Elsewhere' });

      expectProblem(await patchThread(app, 'mei', subject, { acceptedCommentId: answer.id }), 403, 'forbidden', 'updateThread');
      expectProblem(await patchThread(app, 'tomas', subject, { acceptedCommentId: answer.id }), 403, 'forbidden', 'updateThread');
      expectProblem(await patchThread(app, undefined, subject, { acceptedCommentId: answer.id }), 401, 'unauthorized', 'updateThread');
      expectProblem(await patchThread(app, 'linus', subject, { acceptedCommentId: foreign.id }), 422, 'invalid-answer', 'updateThread');
      expectProblem(await patchThread(app, 'linus', subject, { acceptedCommentId: '99999' }), 422, 'invalid-answer', 'updateThread');
      expectProblem(await patchThread(app, 'linus', subject, { acceptedCommentId: 'x' }), 422, 'invalid-answer', 'updateThread');
      // The asker may accept, but not lock or change mode.
      expectProblem(await patchThread(app, 'linus', subject, { acceptedCommentId: answer.id, locked: true }), 403, 'forbidden', 'updateThread');

      const accepted = expectOk<ThreadSummary>(await patchThread(app, 'linus', subject, { acceptedCommentId: answer.id }), 'updateThread');
      assert.equal(accepted.acceptedCommentId, answer.id);
      const byFacilitator = expectOk<ThreadSummary>(await patchThread(app, 'grace', subject, { acceptedCommentId: other.id }), 'updateThread');
      assert.equal(byFacilitator.acceptedCommentId, other.id);
      const cleared = expectOk<ThreadSummary>(await patchThread(app, 'linus', subject, { acceptedCommentId: null }), 'updateThread');
      assert.equal(cleared.acceptedCommentId, null);

      // Hidden comments are not answers; hiding or deleting the accepted one clears it.
      expectOk(await patchThread(app, 'linus', subject, { acceptedCommentId: answer.id }), 'updateThread');
      expectOk(await patchComment(app, 'ada', answer.id, { hidden: true }), 'updateComment');
      assert.equal((await thread(app, subject)).acceptedCommentId, null);
      expectProblem(await patchThread(app, 'linus', subject, { acceptedCommentId: answer.id }), 422, 'invalid-answer', 'updateThread');
      expectOk(await patchThread(app, 'linus', subject, { acceptedCommentId: other.id }), 'updateThread');
      assert.equal((await call(app, 'tomas', 'DELETE', `/api/comments/${other.id}`)).statusCode, 204);
      assert.equal((await thread(app, subject)).acceptedCommentId, null);
    });
  });

  test('a discussion has no accepted answer; leaving question mode clears it', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      await write(app, 'linus', { subject, body: 'Just chatting' });
      const reply = await write(app, 'mei', { subject, body: 'Indeed' });
      expectProblem(await patchThread(app, 'ada', subject, { acceptedCommentId: reply.id }), 422, 'not-a-question', 'updateThread');
      const both = expectOk<ThreadSummary>(await patchThread(app, 'ada', subject, { mode: 'question', acceptedCommentId: reply.id }), 'updateThread');
      assert.deepEqual([both.mode, both.acceptedCommentId], ['question', reply.id]);
      const back = expectOk<ThreadSummary>(await patchThread(app, 'ada', subject, { mode: 'discussion' }), 'updateThread');
      assert.deepEqual([back.mode, back.acceptedCommentId], ['discussion', null]);
    });
  });
});

describe('reactions', () => {
  test('are idempotent, per emoji, from the allowed set, and need a signed-in person', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const comment = await write(app, 'linus', { subject, body: 'React to me' });
      const once = expectOk<ReactionList>(await react(app, 'mei', comment.id, '👍'), 'addReaction');
      const twice = expectOk<ReactionList>(await react(app, 'mei', comment.id, '👍'), 'addReaction');
      assert.deepEqual(once, twice);
      assert.deepEqual(twice.items, [{ emoji: '👍', count: 1, reactedByMe: true, people: [{ id: 'mei', name: 'Mei Tanaka', title: 'Product Manager' }] }]);
      // A heart typed without its emoji presentation selector is the same heart.
      const heart = expectOk<ReactionList>(await react(app, 'ada', comment.id, '\u2764'), 'addReaction');
      assert.deepEqual(heart.items.map((r) => [r.emoji, r.count, r.reactedByMe]), [['👍', 1, false], ['❤️', 1, true]]);

      const unknown = expectProblem(await react(app, 'mei', comment.id, '🤡'), 422, 'unknown-emoji', 'addReaction');
      assert.match(unknown.detail ?? '', /👍/);
      expectProblem(await react(app, undefined, comment.id, '👍'), 401, 'unauthorized', 'addReaction');
      expectProblem(await react(app, undefined, comment.id, '👍', 'DELETE'), 401, 'unauthorized', 'removeReaction');
      expectProblem(await react(app, 'mei', '987654', '👍'), 404, 'not-found', 'addReaction');

      const removed = expectOk<ReactionList>(await react(app, 'mei', comment.id, '👍', 'DELETE'), 'removeReaction');
      assert.deepEqual(removed.items.map((r) => r.emoji), ['❤️']);
      expectOk(await react(app, 'mei', comment.id, '👍', 'DELETE'), 'removeReaction');
      const read = expectOk<Comment>(await call(app, 'ada', 'GET', `/api/comments/${comment.id}`), 'getComment');
      assert.deepEqual(read.reactions.map((r) => [r.emoji, r.count, r.reactedByMe]), [['❤️', 1, true]]);
    });
  });

  test('name at most ten people, most recent first, and count them all', async () => {
    await withApp(async (app) => {
      const comment = await write(app, 'linus', { subject: fresh(), body: 'Popular' });
      const ids = Array.from({ length: 12 }, (_, i) => `fan-${String(i).padStart(2, '0')}`);
      await addPeople(app.db, ids);
      for (const id of ids) expectOk(await react(app, id, comment.id, '🎉'), 'addReaction');
      const read = expectOk<Comment>(await call(app, undefined, 'GET', `/api/comments/${comment.id}`), 'getComment');
      const [party] = read.reactions;
      assert.equal(party?.count, 12);
      assert.equal(party?.reactedByMe, false);
      assert.equal(party?.people.length, 10);
    });
  });

  test('hidden and deleted comments take no reactions', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const root = await write(app, 'linus', { subject, body: 'Root' });
      await write(app, 'mei', { subject, body: 'Reply', parentId: root.id });
      expectOk(await patchComment(app, 'ada', root.id, { hidden: true }), 'updateComment');
      const refused = expectProblem(await react(app, 'mei', root.id, '👍'), 409, 'comment-not-visible', 'addReaction');
      assert.match(refused.detail ?? '', /hidden/);
      expectProblem(await react(app, 'ada', root.id, '👍'), 409, 'comment-not-visible', 'addReaction');
    });
  });
});

describe('flags', () => {
  test('one flag per person per comment, with a reason; anonymous visitors cannot flag', async () => {
    await withApp(async (app) => {
      const comment = await write(app, 'linus', { subject: fresh(), body: 'Questionable' });
      const url = `/api/comments/${comment.id}/flags`;
      expectProblem(await call(app, undefined, 'POST', url, { reason: 'Spam' }), 401, 'unauthorized', 'flagComment');
      expectProblem(await call(app, 'mei', 'POST', url, { reason: '   ' }), 422, 'empty-reason', 'flagComment');
      expectProblem(await call(app, 'mei', 'POST', url, {}), 400, 'invalid-request', 'flagComment');
      const flag = expectOk<Schemas['Flag']>(await call(app, 'mei', 'POST', url, { reason: 'Spam' }), 'flagComment', 201);
      assert.equal(flag.reason, 'Spam');
      expectProblem(await call(app, 'mei', 'POST', url, { reason: 'Still spam' }), 409, 'already-flagged', 'flagComment');
      expectOk(await call(app, 'tomas', 'POST', url, { reason: 'Off topic' }), 'flagComment', 201);
      expectProblem(await call(app, 'tomas', 'POST', '/api/comments/777777/flags', { reason: 'x' }), 404, 'not-found', 'flagComment');
      assert.equal(await countRows(app.db, 'comment_flags'), 2);
    });
  });
});
