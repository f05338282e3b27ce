import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CODE_REVIEW,
  COMMUNITY,
  countRows,
  DEV_ENV,
  expectOk,
  expectProblem,
  give,
  kudosRows,
  withApp,
  type TestApp,
} from './helpers.js';

interface Person {
  id: string;
  name: string;
  title?: string;
}
interface Summary {
  subject: string;
  count: number;
  givenByMe: boolean;
  myKudosId: string | null;
  recipient?: Person;
  recentGivers: Person[];
}
interface Kudos {
  id: string;
  subject: string;
  giver: Person;
  recipient: Person;
  communityId: string;
  message?: string;
  value?: string;
  status: string;
  createdAt: string;
}
interface Receipt {
  kudos: Kudos;
  summary: Summary;
}

async function summaries(app: TestApp, subjects: string[], as?: string): Promise<Summary[]> {
  const response = await app.server.inject({
    method: 'GET',
    url: `/api/kudos/summaries?subjects=${subjects.map(encodeURIComponent).join(',')}`,
    headers: as ? await app.as(as) : {},
  });
  return expectOk<{ items: Summary[] }>(response, 'listKudosSummaries').items;
}

test('listKudosSummaries answers a batch in request order, with counts and recent givers', async () => {
  await withApp(async (app) => {
    const items = await summaries(app, [CODE_REVIEW, 'nobody/wrote/this', DEV_ENV]);
    assert.deepEqual(items.map((s) => [s.subject, s.count]), [
      [CODE_REVIEW, 1],
      ['nobody/wrote/this', 0],
      [DEV_ENV, 2],
    ]);
    const [codeReview, empty, devEnv] = items;
    assert.equal(codeReview?.recipient?.id, 'ada');
    assert.deepEqual(codeReview?.recentGivers.map((p) => p.id), ['linus']);
    assert.deepEqual(empty, { subject: 'nobody/wrote/this', count: 0, givenByMe: false, myKudosId: null, recentGivers: [] });
    assert.deepEqual(devEnv?.recipient, { id: 'grace', name: 'Grace Lindqvist', title: 'Learning Designer' });
    assert.deepEqual(devEnv?.recentGivers.map((p) => p.id), ['mei', 'linus'], 'newest first');
  });
});

test('listKudosSummaries: givenByMe and myKudosId are the caller’s, and false/null for anonymous callers', async () => {
  await withApp(async (app) => {
    const anonymous = await summaries(app, [DEV_ENV, CODE_REVIEW]);
    assert.deepEqual(anonymous.map((s) => [s.givenByMe, s.myKudosId]), [
      [false, null],
      [false, null],
    ]);

    const [linusDev, linusReview] = await summaries(app, [DEV_ENV, CODE_REVIEW], 'linus');
    const [meiDev, meiReview] = await summaries(app, [DEV_ENV, CODE_REVIEW], 'mei');
    const ids = (await kudosRows(app.db)).map((row) => ({ id: String(row.id), giver: row.giver_id, subject: row.subject }));
    const idOf = (giver: string, subject: string) => ids.find((k) => k.giver === giver && k.subject === subject)?.id;

    assert.equal(linusDev?.givenByMe, true);
    assert.equal(linusDev?.myKudosId, idOf('linus', DEV_ENV));
    assert.equal(linusReview?.givenByMe, true);
    assert.equal(linusReview?.myKudosId, idOf('linus', CODE_REVIEW));
    assert.equal(meiDev?.givenByMe, true);
    assert.equal(meiDev?.myKudosId, idOf('mei', DEV_ENV));
    assert.notEqual(meiDev?.myKudosId, linusDev?.myKudosId);
    assert.deepEqual([meiReview?.givenByMe, meiReview?.myKudosId], [false, null]);
    assert.equal(meiDev?.count, 2, 'counts do not depend on the viewer');
  });
});

test('listKudosSummaries names at most five recent givers, newest first', async () => {
  await withApp(async (app) => {
    const subject = 'talks/2024/lightning';
    const givers = ['grace', 'linus', 'mei', 'tomas', 'ravi', 'sun'];
    for (const giver of givers) {
      expectOk(await give(app, giver, { subject, recipientId: 'ada' }), 'giveKudos', 201);
    }
    const [summary] = await summaries(app, [subject]);
    assert.equal(summary?.count, 6);
    assert.deepEqual(summary?.recentGivers.map((p) => p.id), ['sun', 'ravi', 'tomas', 'mei', 'linus']);
  });
});

test('listKudosSummaries rejects a missing, oversized or malformed subject list', async () => {
  await withApp(async ({ server }) => {
    const bad = [
      '/api/kudos/summaries',
      '/api/kudos/summaries?subjects=',
      `/api/kudos/summaries?subjects=${Array.from({ length: 101 }, (_, i) => `s${i}`).join(',')}`,
      `/api/kudos/summaries?subjects=${'x'.repeat(513)}`,
      '/api/kudos/summaries?subjects=has%20space',
    ];
    for (const url of bad) {
      const problem = expectProblem(await server.inject({ method: 'GET', url }), 400, 'invalid-request', 'listKudosSummaries');
      assert.ok(problem.errors?.some((e) => e.pointer.startsWith('/query/subjects')), `${url}: ${JSON.stringify(problem.errors)}`);
    }
  });
});

test('giveKudos creates kudos (201) and returns the subject summary from the giver’s view', async () => {
  await withApp(async (app) => {
    const response = await give(app, 'mei', {
      subject: CODE_REVIEW,
      recipientId: 'ada',
      message: 'Thanks for the thorough review!',
      value: 'mentoring',
    });
    const receipt = expectOk<Receipt>(response, 'giveKudos', 201);
    const { kudos, summary } = receipt;
    assert.equal(kudos.subject, CODE_REVIEW);
    assert.equal(kudos.giver.id, 'mei');
    assert.equal(kudos.recipient.id, 'ada');
    assert.equal(kudos.communityId, COMMUNITY);
    assert.equal(kudos.message, 'Thanks for the thorough review!');
    assert.equal(kudos.value, 'mentoring');
    assert.equal(kudos.status, 'given');
    assert.ok(Math.abs(Date.parse(kudos.createdAt) - Date.now()) < 60_000);
    assert.deepEqual(
      { ...summary, recipient: summary.recipient?.id, recentGivers: summary.recentGivers.map((p) => p.id) },
      { subject: CODE_REVIEW, count: 2, givenByMe: true, myKudosId: kudos.id, recipient: 'ada', recentGivers: ['mei', 'linus'] },
    );

    const rows = await kudosRows(app.db);
    assert.equal(rows.length, 4);
    assert.equal(String(rows.at(-1)?.id), kudos.id);
    assert.equal(await countRows(app.db, 'events'), 1);

    const [seenByOthers] = await summaries(app, [CODE_REVIEW], 'tomas');
    assert.equal(seenByOthers?.count, 2);
    assert.equal(seenByOthers?.givenByMe, false);
  });
});

test('giveKudos credits the subject’s earlier recipient when none is named', async () => {
  await withApp(async (app) => {
    const receipt = expectOk<Receipt>(await give(app, 'tomas', { subject: DEV_ENV }), 'giveKudos', 201);
    assert.equal(receipt.kudos.recipient.id, 'grace');
    assert.equal(receipt.summary.count, 3);
  });
});

test('giveKudos business rules answer 422/409/404 problems and write nothing', async () => {
  await withApp(async (app) => {
    const cases: { giver: string; body: Record<string, unknown>; status: number; code: string }[] = [
      { giver: 'ada', body: { subject: 'brand/new/subject' }, status: 422, code: 'recipient-required' },
      { giver: 'ada', body: { subject: 'brand/new/subject', recipientId: 'ada' }, status: 422, code: 'self-kudos' },
      { giver: 'ada', body: { subject: 'brand/new/subject', recipientId: 'me' }, status: 422, code: 'self-kudos' },
      // The implied recipient of this subject is grace herself.
      { giver: 'grace', body: { subject: DEV_ENV }, status: 422, code: 'self-kudos' },
      { giver: 'ada', body: { subject: 'brand/new/subject', recipientId: 'nobody' }, status: 422, code: 'unknown-recipient' },
      { giver: 'ada', body: { subject: DEV_ENV, value: 'bravery' }, status: 422, code: 'unknown-value' },
      { giver: 'ada', body: { subject: DEV_ENV, communityId: 'nope' }, status: 404, code: 'not-found' },
      { giver: 'linus', body: { subject: DEV_ENV }, status: 409, code: 'already-given' },
      { giver: 'linus', body: { subject: DEV_ENV, recipientId: 'mei' }, status: 409, code: 'already-given' },
    ];
    const before = await kudosRows(app.db);
    for (const { giver, body, status, code } of cases) {
      const problem = expectProblem(await give(app, giver, body), status, code, 'giveKudos');
      assert.equal(problem.instance, '/api/kudos');
      assert.ok(problem.detail, `${code} explains itself`);
    }
    assert.deepEqual(await kudosRows(app.db), before);
    assert.equal(await countRows(app.db, 'events'), 0);
    const [summary] = await summaries(app, [DEV_ENV]);
    assert.equal(summary?.count, 2);
  });
});

test('giveKudos needs a signed-in person', async () => {
  await withApp(async (app) => {
    const response = await app.server.inject({
      method: 'POST',
      url: '/api/kudos',
      headers: { 'idempotency-key': 'anonymous-key-1' },
      payload: { subject: DEV_ENV },
    });
    const problem = expectProblem(response, 401, 'unauthorized', 'giveKudos');
    assert.match(problem.detail ?? '', /signed-in/);
    assert.equal(response.headers['www-authenticate'], 'Bearer');
    assert.equal(await countRows(app.db, 'kudos'), 3);
  });
});

test('withdrawKudos takes kudos back (200), only by its giver, and then it can be given again', async () => {
  await withApp(async (app) => {
    const { server } = app;
    const given = expectOk<Receipt>(await give(app, 'tomas', { subject: CODE_REVIEW, value: 'helpful' }), 'giveKudos', 201);
    const url = `/api/kudos/${given.kudos.id}`;

    expectProblem(await server.inject({ method: 'DELETE', url, headers: await app.as('ada') }), 403, 'forbidden', 'withdrawKudos');
    expectProblem(await server.inject({ method: 'DELETE', url }), 401, 'unauthorized', 'withdrawKudos');
    assert.equal(await countRows(app.db, 'kudos'), 4);

    const withdrawn = expectOk<Receipt>(await server.inject({ method: 'DELETE', url, headers: await app.as('tomas') }), 'withdrawKudos');
    assert.deepEqual(withdrawn.kudos, given.kudos);
    assert.deepEqual(
      { ...withdrawn.summary, recentGivers: withdrawn.summary.recentGivers.map((p) => p.id) },
      { subject: CODE_REVIEW, count: 1, givenByMe: false, myKudosId: null, recipient: given.kudos.recipient, recentGivers: ['linus'] },
    );
    assert.equal(await countRows(app.db, 'kudos'), 3);
    const [summary] = await summaries(app, [CODE_REVIEW], 'tomas');
    assert.deepEqual([summary?.count, summary?.givenByMe, summary?.myKudosId], [1, false, null]);

    expectProblem(await server.inject({ method: 'DELETE', url, headers: await app.as('tomas') }), 404, 'not-found', 'withdrawKudos');

    const again = expectOk<Receipt>(await give(app, 'tomas', { subject: CODE_REVIEW }), 'giveKudos', 201);
    assert.notEqual(again.kudos.id, given.kudos.id);
    assert.equal(again.summary.count, 2);
    assert.equal(again.summary.myKudosId, again.kudos.id);
    assert.equal(await countRows(app.db, 'events'), 3, 'given, withdrawn, given');
  });
});

test('withdrawKudos answers 404 for kudos that do not exist', async () => {
  await withApp(async (app) => {
    const headers = await app.as('linus');
    for (const id of ['999', 'abc', '1e3']) {
      const problem = expectProblem(
        await app.server.inject({ method: 'DELETE', url: `/api/kudos/${id}`, headers }),
        404,
        'not-found',
        'withdrawKudos',
      );
      assert.equal(problem.instance, `/api/kudos/${id}`);
    }
    assert.equal(await countRows(app.db, 'kudos'), 3);
  });
});
