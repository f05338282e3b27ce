import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { ensureCommunity, seedDemo } from '../../server/seed.js';
import {
  addPeople,
  call,
  COMMUNITY,
  countRows,
  expectOk,
  expectProblem,
  freshSubject,
  give,
  listCommentPage,
  makeApp,
  postComment,
  withApp,
  writeComment,
  type Schemas,
  type TestApp,
} from './helpers.js';

type Comment = Schemas['Comment'];
type CommentPage = Schemas['CommentPage'];
type ThreadPage = Schemas['ThreadPage'];

const fresh = (prefix = 'pages'): string => freshSubject(prefix);

const AUTHORS = ['linus', 'mei', 'tomas', 'ada', 'grace'];

const write = writeComment;

const listing = listCommentPage;

/** Every page of a listing, following nextCursor; fails on an empty page that promised more. */
async function allPages(app: TestApp, as: string | undefined, query: string): Promise<Comment[][]> {
  const pages: Comment[][] = [];
  let cursor: string | null = null;
  do {
    const page: CommentPage = await listing(app, as, `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    pages.push(page.items);
    assert.ok(page.items.length > 0 || pages.length === 1, 'no empty page after a cursor');
    cursor = page.nextCursor;
    assert.ok(pages.length < 100, 'paging ends');
  } while (cursor);
  return pages;
}

describe('comment order and paging', () => {
  test('the accepted answer, then pinned comments, then the sort; pages never repeat or skip', async () => {
    await withApp(
      async (app) => {
        const subject = fresh('faq');
        const made: Comment[] = [];
        for (let i = 0; i < 23; i += 1) {
          made.push(await write(app, AUTHORS[i % AUTHORS.length]!, { subject, body: `Comment ${i}`, ...(i === 0 ? { mode: 'question' } : {}) }));
        }
        const ids = made.map((c) => c.id);
        // Reactions: comment 3 gets three, 8 and 12 get two each, 15 gets one.
        const reactions: [number, string[]][] = [[3, ['mei', 'tomas', 'ada']], [8, ['linus', 'mei']], [12, ['ada', 'grace']], [15, ['tomas']]];
        for (const [index, people] of reactions) {
          for (const person of people) expectOk(await call(app, person, 'PUT', `/api/comments/${ids[index]!}/reactions/${encodeURIComponent('👍')}`), 'addReaction');
        }
        // Pinned 17 first, then 5; 10 is the accepted answer; 7 is hidden and has no replies.
        for (const index of [17, 5]) {
          expectOk(await call(app, 'ada', 'PATCH', `/api/comments/${ids[index]!}`, { pinned: true }), 'updateComment');
          // Pins are ordered by when they were made, to the millisecond.
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        expectOk(await call(app, 'linus', 'PATCH', `/api/threads?subject=${encodeURIComponent(subject)}`, { acceptedCommentId: ids[10] }), 'updateThread');
        expectOk(await call(app, 'grace', 'PATCH', `/api/comments/${ids[7]!}`, { hidden: true }), 'updateComment');

        const featured = [10, 17, 5];
        const reactionCount = (index: number) => reactions.find(([i]) => i === index)?.[1].length ?? 0;
        const rest = (facilitator: boolean) => made.map((_, i) => i).filter((i) => !featured.includes(i) && (facilitator || i !== 7));
        const expected = {
          oldest: (f: boolean) => rest(f),
          newest: (f: boolean) => rest(f).reverse(),
          reactions: (f: boolean) => rest(f).sort((a, b) => reactionCount(b) - reactionCount(a) || a - b),
        };
        for (const sort of ['oldest', 'newest', 'reactions'] as const) {
          for (const [as, facilitator] of [[undefined, false], ['mei', false], ['ada', true]] as const) {
            for (const limit of [1, 2, 4, 100]) {
              const pages = await allPages(app, as, `subject=${subject}&sort=${sort}&limit=${limit}`);
              const seen = pages.flat().map((c) => c.id);
              const want = [...featured, ...expected[sort](facilitator)].map((i) => ids[i]!);
              assert.deepEqual(seen, want, `${sort}, limit ${limit}, as ${as ?? 'anonymous'}`);
              assert.ok(pages.every((page) => page.length <= limit));
            }
          }
        }
        // Replies are in plain sort order: nothing is featured among them.
        const parent = made[1]!;
        const replies: string[] = [];
        for (let i = 0; i < 7; i += 1) replies.push((await write(app, AUTHORS[i % AUTHORS.length]!, { subject, body: `Reply ${i}`, parentId: parent.id })).id);
        expectOk(await call(app, 'mei', 'PUT', `/api/comments/${replies[4]!}/reactions/${encodeURIComponent('🎉')}`), 'addReaction');
        assert.deepEqual((await allPages(app, undefined, `subject=${subject}&parent=${parent.id}&limit=3`)).flat().map((c) => c.id), replies);
        assert.deepEqual(
          (await allPages(app, undefined, `subject=${subject}&parent=${parent.id}&limit=2&sort=reactions`)).flat().map((c) => c.id),
          [replies[4], ...replies.filter((_, i) => i !== 4)],
        );
        assert.equal(made.find((c) => c.id === parent.id)?.replyCount, 0);
        assert.equal((await listing(app, undefined, `subject=${subject}&limit=100`)).items.find((c) => c.id === parent.id)?.replyCount, 7);
      },
      { commentLimitPerMinute: 1000 },
    );
  });

  test('pages stay whole when comments arrive between them', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const first: string[] = [];
      for (let i = 0; i < 5; i += 1) first.push((await write(app, AUTHORS[i]!, { subject, body: `Early ${i}` })).id);
      const page1 = await listing(app, undefined, `subject=${subject}&limit=3`);
      const late = await write(app, 'linus', { subject, body: 'Late' });
      const page2 = await listing(app, undefined, `subject=${subject}&limit=3&cursor=${encodeURIComponent(page1.nextCursor ?? '')}`);
      assert.deepEqual([...page1.items, ...page2.items].map((c) => c.id), [...first, late.id]);
      assert.equal(page2.nextCursor, null);
    });
  });

  test('cursors are opaque, tied to their sort; a parent must be a comment of the subject', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      for (let i = 0; i < 3; i += 1) await write(app, AUTHORS[i]!, { subject, body: `C${i}` });
      const other = await write(app, 'linus', { subject: fresh(), body: 'Elsewhere' });
      const page = await listing(app, undefined, `subject=${subject}&limit=1`);
      assert.ok(page.nextCursor);
      expectProblem(await call(app, undefined, 'GET', `/api/comments?subject=${subject}&sort=newest&cursor=${page.nextCursor}`), 400, 'invalid-request', 'listComments');
      for (const bad of ['abc', Buffer.from('["r","oldest"]').toString('base64url'), Buffer.from('{"id":1}').toString('base64url')]) {
        expectProblem(await call(app, undefined, 'GET', `/api/comments?subject=${subject}&cursor=${bad}`), 400, 'invalid-request', 'listComments');
      }
      expectProblem(await call(app, undefined, 'GET', `/api/comments?subject=${subject}&parent=${other.id}`), 404, 'not-found', 'listComments');
      expectProblem(await call(app, undefined, 'GET', `/api/comments?subject=${subject}&parent=123456`), 404, 'not-found', 'listComments');
      expectProblem(await call(app, undefined, 'GET', `/api/comments?subject=${subject}&sort=best`), 400, 'invalid-request', 'listComments');
    });
  });

  test('a subject nobody wrote on yet is an empty page with an empty thread', async () => {
    await withApp(async (app) => {
      const subject = fresh();
      const page = await listing(app, undefined, `subject=${subject}`);
      assert.deepEqual(page, {
        thread: {
          subject,
          community: COMMUNITY,
          commentCount: 0,
          locked: false,
          mode: 'discussion',
          acceptedCommentId: null,
          allowedReactions: ['👍', '🎉', '💡', '❤️', '👀', '🙏'],
        },
        items: [],
        nextCursor: null,
      });
    });
  });
});

/** Counts the queries the app sends to the database. */
class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count += 1;
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

describe('bounded queries', () => {
  test('a page costs the same number of queries for 2 comments as for 60 with reactions, replies and mentions', async () => {
    const counter = new QueryCounter();
    // What a read costs the database, so without the page cache that spares most reads.
    const app = await makeApp({ commentLimitPerMinute: 1000, cachePages: false }, (db) => db.withPlugin(counter));
    try {
      const small = fresh('bounded');
      const large = fresh('bounded');
      for (let i = 0; i < 2; i += 1) await write(app, 'linus', { subject: small, body: `Small ${i}` });
      for (let i = 0; i < 60; i += 1) {
        const comment = await write(app, AUTHORS[i % AUTHORS.length]!, { subject: large, body: `Large ${i}`, mentions: [AUTHORS[(i + 1) % AUTHORS.length]!] });
        if (i % 3 === 0) await write(app, 'mei', { subject: large, body: 'Reply', parentId: comment.id });
        if (i % 4 === 0) expectOk(await call(app, 'tomas', 'PUT', `/api/comments/${comment.id}/reactions/${encodeURIComponent('💡')}`), 'addReaction');
      }
      expectOk(await call(app, 'ada', 'PATCH', `/api/comments/${(await listing(app, undefined, `subject=${large}&limit=1`)).items[0]!.id}`, { pinned: true }), 'updateComment');
      const cost = async (subject: string, as: string | undefined) => {
        await listing(app, as, `subject=${subject}&limit=100`);
        const before = counter.count;
        const page = await listing(app, as, `subject=${subject}&limit=100`);
        return { queries: counter.count - before, items: page.items.length };
      };
      for (const as of [undefined, 'mei', 'ada']) {
        const few = await cost(small, as);
        const many = await cost(large, as);
        assert.equal(many.items, 60);
        assert.equal(many.queries, few.queries, `as ${as ?? 'anonymous'}: ${few.queries} queries for 2, ${many.queries} for 60`);
      }
    } finally {
      await app.close();
    }
  });
});

describe('pages kept in memory', () => {
  test('a change shows at once, my own reactions are mine, and facilitators still read hidden text', async () => {
    const counter = new QueryCounter();
    const app = await makeApp({ commentLimitPerMinute: 1000 }, (db) => db.withPlugin(counter));
    try {
      const subject = fresh('cached');
      const first = await write(app, 'linus', { subject, body: 'First' });
      await listing(app, undefined, `subject=${subject}`);
      const before = counter.count;
      const again = await listing(app, undefined, `subject=${subject}`);
      assert.equal(counter.count, before, 'a second anonymous read of an unchanged page asks the database nothing');
      assert.deepEqual(again.items.map((c) => c.body), ['First']);

      await write(app, 'mei', { subject, body: 'Second' });
      assert.deepEqual((await listing(app, undefined, `subject=${subject}`)).items.map((c) => c.body), ['First', 'Second'], 'a new comment shows at once');

      expectOk(await call(app, 'mei', 'PUT', `/api/comments/${first.id}/reactions/${encodeURIComponent('👍')}`), 'addReaction');
      const asMei = await listing(app, 'mei', `subject=${subject}`);
      const asTomas = await listing(app, 'tomas', `subject=${subject}`);
      const asNobody = await listing(app, undefined, `subject=${subject}`);
      assert.equal(asMei.items[0]!.reactions[0]!.reactedByMe, true);
      assert.equal(asTomas.items[0]!.reactions[0]!.reactedByMe, false);
      assert.equal(asNobody.items[0]!.reactions[0]!.reactedByMe, false);
      assert.equal(asNobody.items[0]!.reactions[0]!.count, 1);

      expectOk(await call(app, 'ada', 'PATCH', `/api/comments/${first.id}`, { hidden: true }), 'updateComment');
      assert.deepEqual((await listing(app, 'tomas', `subject=${subject}`)).items.map((c) => c.body), ['Second'], 'hidden at once for members');
      const asFacilitator = await listing(app, 'ada', `subject=${subject}`);
      assert.deepEqual(asFacilitator.items.map((c) => [c.body, c.state]), [['First', 'hidden'], ['Second', 'visible']]);
    } finally {
      await app.close();
    }
  });
});

describe('filtered thread lists', () => {
  test('community is required without subjects, and the two forms do not mix', async () => {
    await withApp(async (app) => {
      const missing = expectProblem(await call(app, undefined, 'GET', '/api/threads'), 400, 'invalid-request', 'listThreads');
      assert.deepEqual(missing.errors?.map((e) => e.pointer), ['/query/community']);
      expectProblem(await call(app, undefined, 'GET', '/api/threads?mode=question'), 400, 'invalid-request', 'listThreads');
      expectProblem(await call(app, undefined, 'GET', `/api/threads?subjects=a&community=${COMMUNITY}`), 400, 'invalid-request', 'listThreads');
      expectProblem(await call(app, undefined, 'GET', '/api/threads?subjects=a&answered=false'), 400, 'invalid-request', 'listThreads');
      expectProblem(await call(app, undefined, 'GET', '/api/threads?community=nowhere'), 404, 'not-found', 'listThreads');
      expectProblem(await call(app, undefined, 'GET', `/api/threads?community=${COMMUNITY}&answered=maybe`), 400, 'invalid-request', 'listThreads');
      expectProblem(await call(app, undefined, 'GET', `/api/threads?community=${COMMUNITY}&cursor=nonsense`), 400, 'invalid-request', 'listThreads');
    });
  });

  test('open and answered questions of a community, newest activity first, paged', async () => {
    await withApp(async (app) => {
      await ensureCommunity(app.db, 'q-guild', 'Questions');
      const subjects = { q1: fresh('q'), q2: fresh('q'), d1: fresh('d'), q3: fresh('q'), q4: fresh('q') };
      await write(app, 'linus', { subject: subjects.q1, body: 'Q1?', community: 'q-guild', mode: 'question' });
      const q2 = await write(app, 'mei', { subject: subjects.q2, body: 'Q2?', community: 'q-guild', mode: 'question' });
      await write(app, 'tomas', { subject: subjects.d1, body: 'Chat', community: 'q-guild' });
      await write(app, 'linus', { subject: subjects.q3, body: 'Q3?', community: 'q-guild', mode: 'question' });
      await write(app, 'mei', { subject: subjects.q4, body: 'Q4?', community: 'q-guild', mode: 'question' });
      // Activity an hour ago, a minute apart (so no two threads tie), oldest first: q1, q2, d1, q3.
      const hourAgo = Date.now() - 3_600_000;
      for (const [i, subject] of [subjects.q1, subjects.q2, subjects.d1, subjects.q3].entries()) {
        await app.db.updateTable('threads').set({ last_comment_at: new Date(hourAgo + i * 60_000).toISOString() }).where('subject', '=', subject).execute();
      }
      // Fresh activity on q1 moves it to the top; q2 is answered; q4 in another community is not here.
      await write(app, 'ada', { subject: subjects.q1, body: 'An answer' });
      expectOk(await call(app, 'mei', 'PATCH', `/api/threads?subject=${encodeURIComponent(subjects.q2)}`, { acceptedCommentId: q2.id }), 'updateThread');
      await app.db.updateTable('threads').set({ community_id: COMMUNITY }).where('subject', '=', subjects.q4).execute();

      const page = async (query: string) => expectOk<ThreadPage>(await call(app, undefined, 'GET', `/api/threads?${query}`), 'listThreads');
      const subjectsOf = async (query: string) => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const result: ThreadPage = await page(`${query}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          seen.push(...result.items.map((t) => t.subject));
          cursor = result.nextCursor;
        } while (cursor);
        return seen;
      };
      assert.deepEqual(await subjectsOf('community=q-guild&mode=question&answered=false'), [subjects.q1, subjects.q3]);
      assert.deepEqual(await subjectsOf('community=q-guild&mode=question&answered=true'), [subjects.q2]);
      assert.deepEqual(await subjectsOf('community=q-guild&mode=question'), [subjects.q1, subjects.q3, subjects.q2]);
      assert.deepEqual(await subjectsOf('community=q-guild'), [subjects.q1, subjects.q3, subjects.d1, subjects.q2]);
      const open = await page('community=q-guild&mode=question&answered=false');
      assert.deepEqual(open.items.map((t) => [t.mode, t.acceptedCommentId, t.community]), [['question', null, 'q-guild'], ['question', null, 'q-guild']]);
      assert.equal(open.nextCursor, null);
      // The seeded open question is among the default community's open questions.
      const general = await page(`community=${COMMUNITY}&mode=question&answered=false`);
      assert.deepEqual(general.items.map((t) => t.subject).sort(), ['course-101/faq/git-setup', subjects.q4].sort());
    });
  });
});

describe('the posting limit', () => {
  test('posting comments has its own per-person limit: 429 with Retry-After, nobody else slowed', async () => {
    await withApp(
      async (app) => {
        const subject = fresh('limited');
        const first = await write(app, 'linus', { subject, body: 'One' });
        await write(app, 'linus', { subject, body: 'Two' });
        const flooded = await postComment(app, 'linus', { subject, body: 'Three' });
        const problem = expectProblem(flooded, 429, 'rate-limited', 'createComment');
        assert.match(problem.detail ?? '', /try again/);
        assert.match(String(flooded.headers['retry-after']), /^\d+$/);
        assert.ok(Number(flooded.headers['retry-after']) >= 1);
        assert.equal((await listing(app, undefined, `subject=${subject}`)).thread.commentCount, 2);
        // Others still post; Linus still reacts, edits and gives kudos.
        await write(app, 'mei', { subject, body: 'Mine' });
        expectOk(await call(app, 'linus', 'PUT', `/api/comments/${first.id}/reactions/${encodeURIComponent('👍')}`), 'addReaction');
        expectOk(await call(app, 'linus', 'PATCH', `/api/comments/${first.id}`, { body: 'One, edited' }), 'updateComment');
        expectOk(await give(app, 'linus', { subject, recipientId: 'mei' }), 'giveKudos', 201);
      },
      { commentLimitPerMinute: 2 },
    );
  });
});

describe('the demo seed', () => {
  test('a lively week-1 thread and an open question, seeded once however often seeding runs', async () => {
    await withApp(async (app) => {
      const week = await listing(app, undefined, 'subject=course-101/week-1');
      assert.equal(week.thread.commentCount, 8);
      assert.equal(week.thread.community, COMMUNITY);
      const [pinned] = week.items;
      assert.deepEqual([pinned?.pinned, pinned?.author?.id], [true, 'grace']);
      assert.ok(week.items.some((c) => c.reactions.length > 0));
      // Four levels deep: follow the first reply down.
      let depth = 1;
      let parent = week.items.find((c) => c.replyCount > 0);
      while (parent) {
        const replies = await listing(app, undefined, `subject=course-101/week-1&parent=${parent.id}`);
        depth += 1;
        parent = replies.items.find((c) => c.replyCount > 0);
      }
      assert.equal(depth, 4);

      const faq = await listing(app, undefined, 'subject=course-101/faq/git-setup');
      assert.deepEqual([faq.thread.mode, faq.thread.acceptedCommentId, faq.thread.createdBy, faq.items.length], ['question', null, 'linus', 4]);
      const answer = faq.items.find((c) => c.author?.id === 'ada');
      assert.ok(answer);

      const before = await Promise.all((['threads', 'comments', 'comment_reactions'] as const).map((table) => countRows(app.db, table)));
      await seedDemo(app.db, COMMUNITY);
      const after = await Promise.all((['threads', 'comments', 'comment_reactions'] as const).map((table) => countRows(app.db, table)));
      assert.deepEqual(after, before);

      // The person who asked can accept an answer in the demo.
      const accepted = expectOk<Schemas['ThreadSummary']>(
        await call(app, 'linus', 'PATCH', '/api/threads?subject=course-101/faq/git-setup', { acceptedCommentId: answer.id }),
        'updateThread',
      );
      assert.equal(accepted.acceptedCommentId, answer.id);
    });
  });

  test('a demo database seeded before discussions existed gets the threads on the next start', async () => {
    await withApp(async (app) => {
      await app.db.deleteFrom('comment_reactions').execute();
      await app.db.deleteFrom('comment_mentions').execute();
      await app.db.updateTable('comments').set({ parent_id: null }).execute();
      await app.db.deleteFrom('comments').execute();
      await app.db.deleteFrom('threads').execute();
      await addPeople(app.db, ['someone-new']);
      await seedDemo(app.db, COMMUNITY);
      assert.equal(await countRows(app.db, 'threads'), 2);
      assert.equal(await countRows(app.db, 'comments'), 12);
    });
  });
});
