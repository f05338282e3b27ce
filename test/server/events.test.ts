import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { assertMatchesContract } from './contract-check.js';
import { CODE_REVIEW, DEV_ENV, expectOk, expectProblem, give, makeApp, withApp, type Schemas, type TestApp } from './helpers.js';

interface StreamEvent {
  id: string;
  event: string;
  data: Schemas['KudosEvent'];
}

/** Reads server-sent events from a fetch response, one message at a time. */
class EventReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  /** Comment lines seen so far (`: connected`, keep-alives). */
  readonly comments: string[] = [];

  constructor(response: Response) {
    assert.ok(response.body, 'the stream has a body');
    this.#reader = response.body.getReader();
  }

  /** The next event, or a failure after `timeoutMs` (so a missing event fails the test, never hangs it). */
  async next(timeoutMs = 3000): Promise<StreamEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.#take();
      if (event) return event;
      const remaining = deadline - Date.now();
      if (remaining <= 0) assert.fail(`no event within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), remaining);
      });
      const chunk = await Promise.race([this.#reader.read(), timeout]);
      clearTimeout(timer);
      if (chunk === 'timeout') assert.fail(`no event within ${timeoutMs} ms`);
      if (chunk.done) assert.fail('the stream ended');
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  /** Waits for the `: connected` comment, which the server writes once it is listening. */
  async connected(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.comments.includes('connected') && !this.#buffer.includes(': connected\n')) {
      if (Date.now() > deadline) assert.fail('the stream never said it was connected');
      const chunk = await this.#reader.read();
      if (chunk.done) assert.fail('the stream ended');
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  async close(): Promise<void> {
    await this.#reader.cancel().catch(() => undefined);
  }

  #take(): StreamEvent | undefined {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end < 0) return undefined;
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          this.comments.push(line.slice(1).trim());
          continue;
        }
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        fields[name] = name in fields && name === 'data' ? `${fields[name]}\n${value}` : value;
      }
      if (fields['data'] === undefined) continue;
      const data = JSON.parse(fields['data']) as StreamEvent['data'];
      assertMatchesContract('streamEvents', 200, data, 'text/event-stream');
      return { id: fields['id'] ?? '', event: fields['event'] ?? 'message', data };
    }
  }
}

async function listen(app: TestApp): Promise<string> {
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

async function openStream(base: string, headers: Record<string, string> = {}): Promise<{ response: Response; events: EventReader }> {
  const response = await fetch(`${base}/api/events`, { headers: { accept: 'text/event-stream', ...headers } });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const events = new EventReader(response);
  await events.connected();
  return { response, events };
}

/** Runs `body` with a listening app; streams opened through `open` are closed before the app. */
async function withListeningApp(
  body: (app: TestApp, open: (headers?: Record<string, string>) => Promise<{ response: Response; events: EventReader }>) => Promise<void>,
  options: Parameters<typeof makeApp>[0] = {},
): Promise<void> {
  const app = await makeApp(options);
  const streams: EventReader[] = [];
  try {
    const base = await listen(app);
    await body(app, async (headers) => {
      const stream = await openStream(base, headers);
      streams.push(stream.events);
      return stream;
    });
  } finally {
    await Promise.all(streams.map((s) => s.close()));
    await app.close();
  }
}

describe('the live event stream', () => {
  test('a signed-in reader receives kudos.changed with the new summary when someone else gives kudos', async () => {
    await withListeningApp(async (app, open) => {
      const { response, events } = await open(await app.as('mei'));
      assert.match(response.headers.get('cache-control') ?? '', /no-cache/);

      const receipt = expectOk<Schemas['KudosReceipt']>(await give(app, 'ada', { subject: DEV_ENV }), 'giveKudos', 201);
      const given = await events.next();
      assert.equal(given.event, 'kudos.changed');
      assert.equal(given.data.type, 'kudos.changed');
      assert.equal(given.id, given.data.id);
      assert.equal(given.data.actorId, 'ada');
      assert.equal(given.data.action, 'given');
      assert.equal(given.data.summary.subject, DEV_ENV);
      assert.equal(given.data.summary.count, 3);
      assert.deepEqual([given.data.summary.givenByMe, given.data.summary.myKudosId], [true, receipt.kudos.id], 'from the actor’s view');

      expectOk(await app.server.inject({ method: 'DELETE', url: `/api/kudos/${receipt.kudos.id}`, headers: await app.as('ada') }), 'withdrawKudos');
      const withdrawn = await events.next();
      assert.equal(withdrawn.data.action, 'withdrawn');
      assert.equal(withdrawn.data.summary.count, 2);
      assert.ok(Number(withdrawn.id) > Number(given.id), 'ids increase');
    });
  });

  test('anonymous readers get the stream too', async () => {
    await withListeningApp(async (app, open) => {
      const { events } = await open();
      expectOk(await give(app, 'tomas', { subject: CODE_REVIEW }), 'giveKudos', 201);
      const event = await events.next();
      assert.equal(event.data.summary.count, 2);
      assert.equal(event.data.actorId, 'tomas');
    });
  });

  test('a reconnect with Last-Event-ID replays what was missed, in order, once', async () => {
    await withListeningApp(async (app, open) => {
      const first = await open(await app.as('mei'));
      expectOk(await give(app, 'ada', { subject: DEV_ENV }), 'giveKudos', 201);
      const seen = await first.events.next();
      await first.events.close();

      // Missed while disconnected.
      expectOk(await give(app, 'tomas', { subject: CODE_REVIEW }), 'giveKudos', 201);
      expectOk(await give(app, 'grace', { subject: 'talks/intro', recipientId: 'linus' }), 'giveKudos', 201);
      expectOk(await give(app, 'mei', { subject: CODE_REVIEW }), 'giveKudos', 201);

      const again = await open({ ...(await app.as('mei')), 'last-event-id': seen.id });
      const replayed = [await again.events.next(), await again.events.next(), await again.events.next()];
      assert.deepEqual(
        replayed.map((e) => [e.data.actorId, e.data.summary.subject, e.data.summary.count]),
        [
          ['tomas', CODE_REVIEW, 2],
          ['grace', 'talks/intro', 1],
          ['mei', CODE_REVIEW, 3],
        ],
      );
      const ids = replayed.map((e) => Number(e.id));
      assert.ok(ids.every((id, i) => id > (i === 0 ? Number(seen.id) : (ids[i - 1] ?? 0))), `in order after ${seen.id}: ${ids.join(',')}`);

      // Live events continue after the replay, with nothing repeated.
      expectOk(await give(app, 'tomas', { subject: 'talks/intro' }), 'giveKudos', 201);
      const live = await again.events.next();
      assert.equal(live.data.actorId, 'tomas');
      assert.ok(Number(live.id) > (ids.at(-1) ?? 0));
    });
  });

  test('a reconnect replays everything it missed, however many events that is', async () => {
    // BUG (server/events.ts:45 and 84-86): a replay stops at REPLAY_LIMIT (1000) events, then the
    // stream goes live and the next live event raises `highest` past the rest, so events after the
    // first thousand missed are never delivered, although the server still holds them.
    await withListeningApp(async (app, open) => {
      const missed = 1005;
      const at = new Date().toISOString();
      const payload = JSON.stringify({
        type: 'kudos.changed',
        occurredAt: at,
        actorId: 'linus',
        action: 'given',
        summary: { subject: DEV_ENV, count: 2, givenByMe: true, myKudosId: '1', recentGivers: [] },
      });
      await app.db
        .insertInto('events')
        .values(Array.from({ length: missed }, () => ({ type: 'kudos.changed', payload, created_at: at })))
        .execute();

      const { events } = await open({ 'last-event-id': '0' });
      expectOk(await give(app, 'ada', { subject: CODE_REVIEW, recipientId: 'linus' }), 'giveKudos', 201);
      const received: number[] = [];
      for (;;) {
        const event = await events.next();
        received.push(Number(event.id));
        if (event.data.actorId === 'ada') break;
      }
      const expected = Array.from({ length: missed + 1 }, (_, i) => i + 1);
      assert.deepEqual(
        { count: received.length, inOrder: received.every((id, i) => i === 0 || id > (received[i - 1] ?? 0)), last: received.at(-1) },
        { count: expected.length, inOrder: true, last: missed + 1 },
        `missing ids: ${expected.filter((id) => !received.includes(id)).slice(0, 10).join(',')}…`,
      );
    });
  });

  test('an invalid token or an over-long Last-Event-ID is refused before the stream starts', async () => {
    await withApp(async (app) => {
      expectProblem(
        await app.server.inject({ method: 'GET', url: '/api/events', headers: { authorization: 'Bearer nope' } }),
        401,
        'unauthorized',
        'streamEvents',
      );
      expectProblem(
        await app.server.inject({ method: 'GET', url: '/api/events', headers: { 'last-event-id': '9'.repeat(41) } }),
        400,
        'invalid-request',
        'streamEvents',
      );
    });
  });
});

describe('CORS', () => {
  const intranet = 'http://intranet.example';

  test('an origin not in the allowlist gets no access-control-allow-origin', async () => {
    await withApp(async (app) => {
      const simple = await app.server.inject({ method: 'GET', url: '/api/people', headers: { origin: intranet } });
      expectOk(simple, 'listPeople');
      assert.equal(simple.headers['access-control-allow-origin'], undefined);

      const preflight = await app.server.inject({
        method: 'OPTIONS',
        url: '/api/kudos',
        headers: { origin: intranet, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
      assert.ok(preflight.statusCode < 400, `preflight answered ${preflight.statusCode}`);
      assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    });
    await withApp(
      async (app) => {
        const other = await app.server.inject({ method: 'GET', url: '/api/people', headers: { origin: 'http://evil.example' } });
        expectOk(other, 'listPeople');
        assert.equal(other.headers['access-control-allow-origin'], undefined);
        const lookalike = await app.server.inject({ method: 'GET', url: '/api/people', headers: { origin: `${intranet}.evil.example` } });
        assert.equal(lookalike.headers['access-control-allow-origin'], undefined);
      },
      { corsOrigins: [intranet] },
    );
  });

  test('an allowed origin may call the API, including a preflight for authorization and idempotency-key', async () => {
    await withApp(
      async (app) => {
        const preflight = await app.server.inject({
          method: 'OPTIONS',
          url: '/api/kudos',
          headers: {
            origin: intranet,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization, content-type, idempotency-key',
          },
        });
        assert.equal(preflight.statusCode, 204);
        assert.equal(preflight.headers['access-control-allow-origin'], intranet);
        assert.match(String(preflight.headers['vary']), /Origin/i);
        const allowedHeaders = String(preflight.headers['access-control-allow-headers']).toLowerCase().split(/\s*,\s*/);
        for (const header of ['authorization', 'content-type', 'idempotency-key']) assert.ok(allowedHeaders.includes(header), header);
        const allowedMethods = String(preflight.headers['access-control-allow-methods']).split(/\s*,\s*/);
        for (const method of ['POST', 'PUT', 'DELETE']) assert.ok(allowedMethods.includes(method), method);

        const post = await app.server.inject({
          method: 'POST',
          url: '/api/kudos',
          headers: { origin: intranet, ...(await app.as('tomas')), 'idempotency-key': 'cors-key-0001' },
          payload: { subject: CODE_REVIEW },
        });
        expectOk(post, 'giveKudos', 201);
        assert.equal(post.headers['access-control-allow-origin'], intranet);
        const exposed = String(post.headers['access-control-expose-headers']).toLowerCase();
        assert.match(exposed, /idempotent-replayed/);
        assert.match(exposed, /retry-after/);

        // Problems must be readable cross-origin too, or the element cannot explain the failure.
        const problem = await app.server.inject({ method: 'GET', url: '/api/me', headers: { origin: intranet } });
        expectProblem(problem, 401, 'unauthorized', 'getMe');
        assert.equal(problem.headers['access-control-allow-origin'], intranet);
      },
      { corsOrigins: [intranet] },
    );
  });

  test('the event stream carries the CORS header for an allowed origin', async () => {
    await withListeningApp(
      async (_app, open) => {
        const { response } = await open({ origin: intranet });
        assert.equal(response.headers.get('access-control-allow-origin'), intranet);
      },
      { corsOrigins: [intranet] },
    );
    await withListeningApp(async (_app, open) => {
      const { response } = await open({ origin: intranet });
      assert.equal(response.headers.get('access-control-allow-origin'), null);
    });
  });
});
