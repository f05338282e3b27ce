import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { createHandlers } from '../../server/handlers/index.js';
import { assertMatchesContract } from './contract-check.js';
import {
  CODE_REVIEW,
  COMMUNITY,
  contract,
  countRows,
  DEV_ENV,
  expectOk,
  expectProblem,
  give,
  kudosRows,
  newKey,
  SECRET,
  withApp,
  type Schemas,
  type TestApp,
} from './helpers.js';

/** Everything a rejected write must leave untouched. */
async function snapshot(app: TestApp) {
  return {
    kudos: await kudosRows(app.db),
    events: await countRows(app.db, 'events'),
    keys: await countRows(app.db, 'idempotency_keys'),
    memberships: await app.db.selectFrom('memberships').selectAll().orderBy('person_id').execute(),
  };
}

async function postKudos(app: TestApp, payload: string | Record<string, unknown>, headers: Record<string, string> = {}) {
  return app.server.inject({
    method: 'POST',
    url: '/api/kudos',
    headers: {
      ...(await app.as('ada')),
      'idempotency-key': newKey(),
      ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    payload,
  });
}

/** Issued now unless the test says otherwise (the server requires `iat`). */
function hs256Token(claims: Record<string, unknown>) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
}

describe('bad input', () => {
  test('malformed or empty JSON is a 400 problem and writes nothing', async () => {
    await withApp(async (app) => {
      const before = await snapshot(app);
      for (const body of ['{"subject": "x", ', '{subject: "x"}', '[1,2', '']) {
        const problem = expectProblem(await postKudos(app, body), 400, 'invalid-request', 'giveKudos');
        assert.match(problem.detail ?? '', /JSON/);
      }
      assert.deepEqual(await snapshot(app), before);
    });
  });

  test('unknown fields are rejected with a pointer to each of them', async () => {
    await withApp(async (app) => {
      const before = await snapshot(app);
      const problem = expectProblem(
        await postKudos(app, { subject: DEV_ENV, recipientId: 'grace', amount: 5, giverId: 'grace' }),
        400,
        'invalid-request',
        'giveKudos',
      );
      assert.deepEqual(problem.errors?.map((e) => e.pointer).sort(), ['/body/amount', '/body/giverId']);
      assert.match(problem.detail ?? '', /unknown field amount/);

      expectProblem(
        await app.server.inject({
          method: 'PUT',
          url: `/api/communities/${COMMUNITY}/members/linus`,
          headers: await app.as('ada'),
          payload: { role: 'facilitator', note: 'x' },
        }),
        400,
        'invalid-request',
        'setMembership',
      );
      assert.deepEqual(await snapshot(app), before);
    });
  });

  test('over-long strings are rejected; the longest allowed ones are accepted', async () => {
    await withApp(async (app) => {
      const before = await snapshot(app);
      const longSubject = expectProblem(
        await postKudos(app, { subject: 's'.repeat(513), recipientId: 'grace' }),
        400,
        'invalid-request',
        'giveKudos',
      );
      assert.deepEqual(longSubject.errors?.map((e) => e.pointer), ['/body/subject']);
      const longMessage = expectProblem(
        await postKudos(app, { subject: DEV_ENV, message: 'm'.repeat(501) }),
        400,
        'invalid-request',
        'giveKudos',
      );
      assert.deepEqual(longMessage.errors?.map((e) => e.pointer), ['/body/message']);
      assert.deepEqual(await snapshot(app), before);

      expectOk(await postKudos(app, { subject: 's'.repeat(512), recipientId: 'grace', message: 'm'.repeat(500) }), 'giveKudos', 201);
      const stored = (await kudosRows(app.db)).at(-1);
      assert.equal(stored?.subject.length, 512);
      assert.equal(stored?.message?.length, 500);
    });
  });

  test('wrong types are rejected, never coerced', async () => {
    await withApp(async (app) => {
      const before = await snapshot(app);
      const bodies: [Record<string, unknown>, string][] = [
        [{ subject: 123, recipientId: 'grace' }, '/body/subject'],
        [{ subject: DEV_ENV, recipientId: ['grace'] }, '/body/recipientId'],
        [{ subject: DEV_ENV, message: { text: 'hi' } }, '/body/message'],
        [{ subject: DEV_ENV, message: '' }, '/body/message'],
        [{ subject: 'has spaces in it', recipientId: 'grace' }, '/body/subject'],
        [{ recipientId: 'grace' }, '/body/subject'],
      ];
      for (const [body, pointer] of bodies) {
        const problem = expectProblem(await postKudos(app, body), 400, 'invalid-request', 'giveKudos');
        assert.deepEqual(problem.errors?.map((e) => e.pointer), [pointer], JSON.stringify(body));
      }
      for (const payload of ['[]', '"subject"', 'null', '42']) {
        expectProblem(await postKudos(app, payload), 400, 'invalid-request', 'giveKudos');
      }
      expectProblem(
        await app.server.inject({
          method: 'PUT',
          url: `/api/communities/${COMMUNITY}/members/linus`,
          headers: await app.as('ada'),
          payload: { role: 1 },
        }),
        400,
        'invalid-request',
        'setMembership',
      );
      assert.deepEqual(await snapshot(app), before);
    });
  });

  test('a missing or malformed Idempotency-Key is a 400 problem', async () => {
    await withApp(async (app) => {
      const before = await snapshot(app);
      const headers = await app.as('ada');
      const missing = expectProblem(
        await app.server.inject({ method: 'POST', url: '/api/kudos', headers, payload: { subject: DEV_ENV } }),
        400,
        'invalid-request',
        'giveKudos',
      );
      assert.deepEqual(missing.errors?.map((e) => e.pointer), ['/header/idempotency-key']);
      for (const key of ['short', 'has spaces in it', 'k'.repeat(101)]) {
        expectProblem(
          await app.server.inject({ method: 'POST', url: '/api/kudos', headers: { ...headers, 'idempotency-key': key }, payload: { subject: DEV_ENV } }),
          400,
          'invalid-request',
          'giveKudos',
        );
      }
      assert.deepEqual(await snapshot(app), before);
    });
  });

  test('a secured operation without a token is 401, even when the body is also bad', async () => {
    await withApp(async (app) => {
      const before = await snapshot(app);
      const attempts = [
        { payload: '{not json', headers: { 'content-type': 'application/json' } },
        { payload: JSON.stringify({ subject: 's'.repeat(600), bogus: true }), headers: { 'content-type': 'application/json' } },
        { payload: JSON.stringify({ subject: DEV_ENV }), headers: { 'content-type': 'application/json', 'idempotency-key': 'x' } },
      ];
      for (const { payload, headers } of attempts) {
        const response = await app.server.inject({ method: 'POST', url: '/api/kudos', headers, payload });
        expectProblem(response, 401, 'unauthorized', 'giveKudos');
        assert.equal(response.headers['www-authenticate'], 'Bearer');
      }
      expectProblem(await app.server.inject({ method: 'GET', url: '/api/me' }), 401, 'unauthorized', 'getMe');
      assert.deepEqual(await snapshot(app), before);
    });
  });

  test('expired, wrongly signed, wrongly algorithmed and sub-less tokens are 401', async () => {
    await withApp(async (app) => {
      const past = Math.floor(Date.now() / 1000) - 3600;
      const secret = new TextEncoder().encode(SECRET);
      const expired = await hs256Token({ name: 'Ada Okafor' })
        .setSubject('ada')
        .setIssuedAt(past - 900)
        .setExpirationTime(past)
        .sign(secret);
      const otherSecret = await hs256Token({ name: 'Ada Okafor' })
        .setSubject('ada')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode('a-completely-different-secret-of-32+-chars'));
      const hs512 = await new SignJWT({ name: 'Ada Okafor' })
        .setProtectedHeader({ alg: 'HS512' })
        .setSubject('ada')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(SECRET.repeat(2)));
      const noSub = await hs256Token({ name: 'Nobody' }).setExpirationTime('5m').sign(secret);
      const subMe = await hs256Token({ name: 'Me' }).setSubject('me').setExpirationTime('5m').sign(secret);
      const valid = await app.tokenFor('ada');
      const [head, , signature] = valid.split('.');
      const tampered = `${head}.${Buffer.from(JSON.stringify({ sub: 'grace', name: 'Grace', exp: past + 7200 })).toString('base64url')}.${signature}`;

      const cases: [string, RegExp][] = [
        [expired, /expired/],
        [otherSecret, /not valid/],
        [hs512, /not valid/],
        [tampered, /not valid/],
        [noSub, /sub/],
        [subMe, /sub/],
      ];
      for (const [token, detail] of cases) {
        for (const request of [
          { method: 'GET' as const, url: '/api/me', op: 'getMe' as const },
          { method: 'GET' as const, url: '/api/people/grace', op: 'getPerson' as const },
        ]) {
          const response = await app.server.inject({ method: request.method, url: request.url, headers: { authorization: `Bearer ${token}` } });
          const problem = expectProblem(response, 401, 'unauthorized', request.op);
          assert.match(problem.detail ?? '', detail);
          assert.equal(response.headers['www-authenticate'], 'Bearer');
        }
      }
      assert.deepEqual(
        (await app.db.selectFrom('people').select('id').orderBy('id').execute()).map((p) => p.id),
        ['ada', 'grace', 'linus', 'mei', 'tomas'],
        'no one was provisioned from a bad token',
      );
    });
  });

  test('a garbage Authorization header is 401, also on operations open to anonymous callers', async () => {
    await withApp(async (app) => {
      const valid = await app.tokenFor('ada');
      const headers = ['Basic YWRhOnNlY3JldA==', 'Bearer', 'Bearer ', `Bearer ${valid} extra`, 'Bearer not-a-jwt', 'token'];
      for (const authorization of headers) {
        for (const url of ['/api/me', '/api/people', `/api/communities/${COMMUNITY}`]) {
          const response = await app.server.inject({ method: 'GET', url, headers: { authorization } });
          assert.equal(response.statusCode, 401, `${authorization} on ${url}: ${response.body}`);
          expectProblem(response, 401, 'unauthorized');
        }
      }
    });
  });

  test('an oversized body is a 413 problem', async () => {
    await withApp(async (app) => {
      const before = await snapshot(app);
      const response = await postKudos(app, JSON.stringify({ subject: DEV_ENV, message: 'x'.repeat(300 * 1024) }));
      expectProblem(response, 413, 'about:blank', 'giveKudos');
      assert.deepEqual(await snapshot(app), before);
    });
  });

  test('unknown paths are 404 problems', async () => {
    await withApp(async (app) => {
      for (const url of ['/api/nothing-here', '/api/kudos/1/nothing', '/nope']) {
        const problem = expectProblem(await app.server.inject({ method: 'GET', url }), 404, 'not-found');
        assert.equal(problem.instance, url);
      }
    });
  });

  // BUG (server/app.ts:257-258 with the content-keyed body schemas from fastify-openapi-glue): Fastify
  // validates a body only against the schema of its own media type, and the contract has schemas
  // for `application/json` only. A body sent as `application/problem+json`, `text/plain` or
  // `text/event-stream` (all parsed by this server), or no body at all, reaches the handler
  // unvalidated.
  test('a write body is validated whatever its Content-Type, and a non-JSON body is refused', async () => {
    await withApp(async (app) => {
      const before = await snapshot(app);
      const invalid = JSON.stringify({ subject: `has spaces, commas ${'x'.repeat(600)}`, recipientId: 'grace', message: 'y'.repeat(800), bogus: true });
      const answers: Record<string, string> = {};
      const refused = (response: { statusCode: number; headers: Record<string, unknown> }) =>
        [400, 415].includes(response.statusCode) && String(response.headers['content-type']).startsWith('application/problem+json');
      for (const contentType of ['application/problem+json', 'text/plain', 'text/event-stream']) {
        const response = await postKudos(app, invalid, { 'content-type': contentType });
        answers[`POST /api/kudos as ${contentType}`] = refused(response) ? 'refused' : `${response.statusCode} ${response.body.slice(0, 160)}`;
      }
      const membership = await app.server.inject({
        method: 'PUT',
        url: `/api/communities/${COMMUNITY}/members/linus`,
        headers: { ...(await app.as('ada')), 'content-type': 'application/problem+json' },
        payload: JSON.stringify({ role: 'owner' }),
      });
      answers['PUT role owner as application/problem+json'] = refused(membership) ? 'refused' : `${membership.statusCode} ${membership.body.slice(0, 160)}`;
      const after = await snapshot(app);
      assert.deepEqual(
        {
          answers,
          kudosWritten: after.kudos.length - before.kudos.length,
          eventsWritten: after.events - before.events,
          linusRole: after.memberships.find((m) => m.person_id === 'linus')?.role,
        },
        {
          answers: {
            'POST /api/kudos as application/problem+json': 'refused',
            'POST /api/kudos as text/plain': 'refused',
            'POST /api/kudos as text/event-stream': 'refused',
            'PUT role owner as application/problem+json': 'refused',
          },
          kudosWritten: 0,
          eventsWritten: 0,
          linusRole: 'member',
        },
      );
    });
  });

  test('a write without its required body is a 400 problem, not a 500', async () => {
    await withApp(async (app) => {
      const before = await snapshot(app);
      const headers = await app.as('ada');
      const kudos = await app.server.inject({ method: 'POST', url: '/api/kudos', headers: { ...headers, 'idempotency-key': newKey() } });
      const membership = await app.server.inject({ method: 'PUT', url: `/api/communities/${COMMUNITY}/members/me`, headers });
      assert.deepEqual(
        { giveKudos: [kudos.statusCode, kudos.headers['content-type']], setMembership: [membership.statusCode, membership.headers['content-type']] },
        { giveKudos: [400, 'application/problem+json'], setMembership: [400, 'application/problem+json'] },
      );
      expectProblem(kudos, 400, 'invalid-request', 'giveKudos');
      expectProblem(membership, 400, 'invalid-request', 'setMembership');
      assert.deepEqual(await snapshot(app), before);
    });
  });
});

describe('Idempotency-Key', () => {
  /*
   * api.yaml (info.description): "Creates carry an Idempotency-Key header: one key per user intention,
   * reused on retries. A repeat with the same key and body returns the stored response; a repeat still
   * in flight gets 409; the same key with a different body gets 422."
   */

  test('same key and same body replays the stored response and creates nothing more', async () => {
    await withApp(async (app) => {
      const key = 'retry-of-one-intention';
      const body = { subject: CODE_REVIEW, message: 'Great review', value: 'mentoring' };
      const first = await give(app, 'mei', body, key);
      const created = expectOk<Schemas['KudosReceipt']>(first, 'giveKudos', 201);
      assert.equal(first.headers['idempotent-replayed'], undefined);

      for (let attempt = 0; attempt < 2; attempt += 1) {
        const repeat = await give(app, 'mei', body, key);
        assert.equal(repeat.statusCode, 201);
        assert.equal(repeat.headers['idempotent-replayed'], 'true');
        assert.equal(repeat.headers['content-type'], first.headers['content-type']);
        assert.equal(repeat.body, first.body, 'byte-for-byte the stored response');
        expectOk(repeat, 'giveKudos', 201);
      }
      const mine = (await kudosRows(app.db)).filter((row) => row.giver_id === 'mei' && row.subject === CODE_REVIEW);
      assert.deepEqual(mine.map((row) => String(row.id)), [created.kudos.id]);
      assert.equal(await countRows(app.db, 'events'), 1, 'one event for one intention');
    });
  });

  test('same key with a different body is 422 idempotency-key-reused and writes nothing', async () => {
    await withApp(async (app) => {
      const key = 'one-key-two-bodies';
      expectOk(await give(app, 'mei', { subject: CODE_REVIEW }, key), 'giveKudos', 201);
      const before = await kudosRows(app.db);

      const reused = await give(app, 'mei', { subject: 'another/subject', recipientId: 'ada' }, key);
      const problem = expectProblem(reused, 422, 'idempotency-key-reused', 'giveKudos');
      assert.ok(problem.detail);
      assert.equal(reused.headers['idempotent-replayed'], undefined);
      const changedMessage = await give(app, 'mei', { subject: CODE_REVIEW, message: 'now with a message' }, key);
      expectProblem(changedMessage, 422, 'idempotency-key-reused', 'giveKudos');

      assert.deepEqual(await kudosRows(app.db), before);
      assert.equal(await countRows(app.db, 'events'), 1);
    });
  });

  test('a repeat while the first request is still in flight is 409 idempotency-in-flight', async () => {
    await withApp(async (app) => {
      const key = 'still-in-flight';
      const body = { subject: CODE_REVIEW };
      // The first request has claimed the key but not answered yet: the row it writes on arrival,
      // with the fingerprint server/app.ts computes (method, URL and body).
      const fingerprint = createHash('sha256').update(`POST /api/kudos\n${JSON.stringify(body)}`).digest('hex');
      await app.db
        .insertInto('idempotency_keys')
        .values({
          person_id: 'mei',
          key,
          fingerprint,
          state: 'pending',
          status_code: null,
          content_type: null,
          response_body: null,
          created_at: new Date().toISOString(),
        })
        .execute();

      expectProblem(await give(app, 'mei', body, key), 409, 'idempotency-in-flight', 'giveKudos');
      assert.equal(await countRows(app.db, 'kudos'), 3);
      const row = await app.db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirst();
      assert.equal(row?.state, 'pending', 'the in-flight request still owns its key');
    });
  });

  test('keys belong to one person: the same key from someone else is a separate request', async () => {
    await withApp(async (app) => {
      const key = 'shared-looking-key';
      const mei = expectOk<Schemas['KudosReceipt']>(await give(app, 'mei', { subject: CODE_REVIEW }, key), 'giveKudos', 201);
      const tomasResponse = await give(app, 'tomas', { subject: CODE_REVIEW }, key);
      const tomas = expectOk<Schemas['KudosReceipt']>(tomasResponse, 'giveKudos', 201);
      assert.equal(tomasResponse.headers['idempotent-replayed'], undefined);
      assert.notEqual(tomas.kudos.id, mei.kudos.id);
      assert.equal(tomas.kudos.giver.id, 'tomas');
    });
  });

  test('a 422 business answer is the stored answer for its key', async () => {
    await withApp(async (app) => {
      const key = 'self-kudos-intention';
      const body = { subject: 'brand/new/subject', recipientId: 'ada' };
      const first = await give(app, 'ada', body, key);
      expectProblem(first, 422, 'self-kudos', 'giveKudos');

      const repeat = await give(app, 'ada', body, key);
      expectProblem(repeat, 422, 'self-kudos', 'giveKudos');
      assert.equal(repeat.headers['idempotent-replayed'], 'true');
      assert.equal(repeat.body, first.body);
      assert.equal(await countRows(app.db, 'kudos'), 3);
    });
  });

  test('a 409 conflict is not stored: the same key succeeds once the conflict is gone', async () => {
    await withApp(async (app) => {
      const key = 'give-after-conflict';
      const body = { subject: DEV_ENV };
      expectProblem(await give(app, 'linus', body, key), 409, 'already-given', 'giveKudos');

      const mine = (await kudosRows(app.db)).find((row) => row.giver_id === 'linus' && row.subject === DEV_ENV);
      assert.ok(mine);
      expectOk(await app.server.inject({ method: 'DELETE', url: `/api/kudos/${mine.id}`, headers: await app.as('linus') }), 'withdrawKudos');

      const retry = await give(app, 'linus', body, key);
      expectOk(retry, 'giveKudos', 201);
      assert.equal(retry.headers['idempotent-replayed'], undefined);
    });
  });

  test('a request rejected before it ran (400, 401) does not use up its key', async () => {
    await withApp(async (app) => {
      const key = 'first-try-was-malformed';
      expectProblem(await give(app, 'mei', { subject: CODE_REVIEW, typo: 1 }, key), 400, 'invalid-request', 'giveKudos');
      const anonymous = await app.server.inject({
        method: 'POST',
        url: '/api/kudos',
        headers: { 'idempotency-key': key },
        payload: { subject: CODE_REVIEW, recipientId: 'ada' },
      });
      expectProblem(anonymous, 401, 'unauthorized', 'giveKudos');
      assert.equal(await countRows(app.db, 'idempotency_keys'), 0);

      const fixed = await give(app, 'mei', { subject: CODE_REVIEW }, key);
      expectOk(fixed, 'giveKudos', 201);
      assert.equal(fixed.headers['idempotent-replayed'], undefined);
    });
  });
});

describe('the contract', () => {
  test('every operation of the contract has a handler: none answers 501', () => {
    const handlers = createHandlers();
    const missing = [...contract().operations.values()].map((op) => op.operationId).filter((id) => !handlers[id]);
    assert.deepEqual(missing, []);
  });

  test('the token and the request are checked before any handler runs', async () => {
    await withApp(async (app) => {
      expectProblem(await app.server.inject({ method: 'PUT', url: '/api/cards/1/vote', payload: { helpful: true } }), 401, 'unauthorized', 'voteCard');
      expectProblem(await app.server.inject({ method: 'GET', url: '/api/cards/1/versions?limit=0' }), 400, 'invalid-request', 'listCardVersions');
    });
  });

  test('a response that would break the contract becomes a 500 problem instead', async () => {
    await withApp(async (app) => {
      // Written behind the API's back: the contract caps a name at 200 characters.
      await app.db.updateTable('people').set({ name: 'N'.repeat(250) }).where('id', '=', 'mei').execute();

      const response = await app.server.inject({ method: 'GET', url: '/api/people/mei' });
      const problem = expectProblem(response, 500, 'response-contract', 'getPerson');
      assert.match(problem.detail ?? '', /name/);
      assert.doesNotMatch(response.body, /NNNN/, 'the broken body is not sent');

      // Other people, and the summaries that do not mention mei, are unaffected.
      expectOk(await app.server.inject({ method: 'GET', url: '/api/people/ada' }), 'getPerson');
    });
  });

  test('the contract check used by these tests rejects bodies that break the contract', () => {
    const person = { id: 'ada', name: 'Ada' };
    assertMatchesContract('getPerson', 200, person);
    assert.throws(() => assertMatchesContract('getPerson', 200, { id: 'ada' }), /name/);
    assert.throws(() => assertMatchesContract('getPerson', 200, { ...person, extra: true }), /additional/);
    assert.throws(() => assertMatchesContract('getPerson', 200, { ...person, id: 'has space' }), /pattern/);
    assert.throws(() => assertMatchesContract('listPeople', 200, { items: [person] }), /nextCursor/);
    const summary = { subject: 'a', count: 1, givenByMe: false, myKudosId: null, recentGivers: [] };
    assertMatchesContract('listKudosSummaries', 200, { items: [summary] });
    assert.throws(() => assertMatchesContract('listKudosSummaries', 200, { items: [{ ...summary, count: -1 }] }), /minimum|>= 0/);
    assert.throws(
      () => assertMatchesContract('getMe', 200, { person, memberships: [{ communityId: 'g', personId: 'ada', role: 'member', since: 'yesterday' }] }),
      /date-time/,
    );
    assertMatchesContract('getMe', 501, { type: '/problems/not-implemented', title: 'Not implemented yet', status: 501 });
    assert.throws(() => assertMatchesContract('getMe', 401, { title: 'No type', status: 401 }), /type/);
    assert.throws(() => assertMatchesContract('getMe', 401, { type: 'about:blank', title: 'Too low', status: 200 }), /status/);
  });
});
