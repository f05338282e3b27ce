import { expect } from '@open-wc/testing';
import { defaultRetryPolicy, retryAfterMs, retryingFetch, type RetryPolicy } from '../../src/api/retry.js';

type Step = Response | Error | ((request: Request) => Promise<Response>);

/** A fetch that plays the given answers in order and records what it was sent. */
function scripted(steps: Step[]) {
  const seen: Request[] = [];
  const fetchImpl = async (request: Request): Promise<Response> => {
    seen.push(request);
    const step = steps[Math.min(seen.length - 1, steps.length - 1)];
    if (step === undefined) throw new Error('no step');
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return step(request);
    return step.clone();
  };
  return { fetchImpl, seen };
}

function status(code: number, headers: Record<string, string> = {}): Response {
  return new Response(code === 204 ? null : '{}', { status: code, headers: { 'content-type': 'application/json', ...headers } });
}

function inFlight(): Response {
  return new Response(JSON.stringify({ type: '/problems/idempotency-in-flight', title: 'in flight', status: 409 }), {
    status: 409,
    headers: { 'content-type': 'application/problem+json' },
  });
}

const policy: RetryPolicy = { ...defaultRetryPolicy, attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };

/** Records each wait instead of waiting it; `random` returns 1 so each wait is its ceiling. */
function hooks() {
  const waits: number[] = [];
  return {
    waits,
    random: () => 1,
    wait: (ms: number, signal: AbortSignal) => {
      waits.push(ms);
      return signal.aborted ? Promise.reject(new DOMException('Aborted', 'AbortError')) : Promise.resolve();
    },
  };
}

function get(init: RequestInit = {}): Request {
  return new Request('https://guild.test/api/kudos/summaries?subjects=a', init);
}

function keyedPost(key = 'key-12345678'): Request {
  return new Request('https://guild.test/api/kudos', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ subject: 'a' }),
  });
}

describe('retryingFetch', () => {
  it('retries a read after 503 and 502 with exponential backoff, then returns the answer', async () => {
    const { fetchImpl, seen } = scripted([status(503), status(502), status(200)]);
    const h = hooks();
    const response = await retryingFetch(fetchImpl, policy, h)(get());
    expect(response.status).to.equal(200);
    expect(seen).to.have.length(3);
    expect(h.waits).to.deep.equal([100, 200]);
  });

  it('keeps every wait within the full-jitter ceiling, capped', async () => {
    const { fetchImpl } = scripted([status(500)]);
    const waits: number[] = [];
    const randoms = [0.5, 0.25, 0.99];
    const response = await retryingFetch(fetchImpl, { ...policy, attempts: 4, maxDelayMs: 300 }, {
      random: () => randoms.shift() ?? 0,
      wait: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    })(get());
    expect(response.status).to.equal(500);
    expect(waits).to.deep.equal([50, 50, 297]);
  });

  it('gives up after the last attempt and returns its answer', async () => {
    const { fetchImpl, seen } = scripted([status(503)]);
    const response = await retryingFetch(fetchImpl, policy, hooks())(get());
    expect(response.status).to.equal(503);
    expect(seen).to.have.length(4);
  });

  it('retries a keyed write with the same key and the same body', async () => {
    const { fetchImpl, seen } = scripted([new TypeError('Failed to fetch'), status(201)]);
    const response = await retryingFetch(fetchImpl, policy, hooks())(keyedPost('key-abcdefgh'));
    expect(response.status).to.equal(201);
    expect(seen.map((r) => r.headers.get('idempotency-key'))).to.deep.equal(['key-abcdefgh', 'key-abcdefgh']);
    expect(await Promise.all(seen.map((r) => r.text()))).to.deep.equal(['{"subject":"a"}', '{"subject":"a"}']);
  });

  it('retries a keyed write the server is still processing (409 in flight)', async () => {
    const { fetchImpl, seen } = scripted([inFlight(), status(201)]);
    const response = await retryingFetch(fetchImpl, policy, hooks())(keyedPost());
    expect(response.status).to.equal(201);
    expect(seen).to.have.length(2);
  });

  it('never retries a write without an Idempotency-Key', async () => {
    const { fetchImpl, seen } = scripted([status(503), status(201)]);
    const request = new Request('https://guild.test/api/kudos/7', { method: 'DELETE' });
    const response = await retryingFetch(fetchImpl, policy, hooks())(request);
    expect(response.status).to.equal(503);
    expect(seen).to.have.length(1);
  });

  for (const code of [400, 401, 403, 404, 409, 410, 422]) {
    it(`does not retry a ${code}`, async () => {
      const { fetchImpl, seen } = scripted([status(code), status(200)]);
      const response = await retryingFetch(fetchImpl, policy, hooks())(keyedPost());
      expect(response.status).to.equal(code);
      expect(seen).to.have.length(1);
    });
  }

  it('waits what Retry-After asks on 429 (seconds) and 503 (HTTP date)', async () => {
    const inThree = new Date(Date.now() + 3_000).toUTCString();
    const { fetchImpl, seen } = scripted([status(429, { 'retry-after': '2' }), status(503, { 'retry-after': inThree }), status(200)]);
    const h = hooks();
    const response = await retryingFetch(fetchImpl, policy, h)(get());
    expect(response.status).to.equal(200);
    expect(seen).to.have.length(3);
    expect(h.waits[0]).to.equal(2_000);
    expect(h.waits[1]).to.be.within(1_500, 3_000);
  });

  it('shows the 429 at once when Retry-After is longer than a person would wait', async () => {
    const { fetchImpl, seen } = scripted([status(429, { 'retry-after': '3600' }), status(200)]);
    const response = await retryingFetch(fetchImpl, policy, hooks())(get());
    expect(response.status).to.equal(429);
    expect(seen).to.have.length(1);
  });

  it('stops at once when the caller aborts, even between attempts', async () => {
    const controller = new AbortController();
    const { fetchImpl, seen } = scripted([status(503), status(200)]);
    const pending = retryingFetch(fetchImpl, policy, {
      random: () => 1,
      wait: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted')));
          controller.abort(new DOMException('removed', 'AbortError'));
        }),
    })(get({ signal: controller.signal }));
    let failed: unknown;
    try {
      await pending;
    } catch (error) {
      failed = error;
    }
    expect(failed).to.be.instanceOf(DOMException);
    expect(seen).to.have.length(1);
  });

  it('abandons an attempt that stalls past the deadline and tries again', async () => {
    let calls = 0;
    const stall = (request: Request) =>
      new Promise<Response>((resolve, reject) => {
        calls += 1;
        if (calls > 1) {
          resolve(status(200));
          return;
        }
        request.signal.addEventListener('abort', () => reject(request.signal.reason instanceof Error ? request.signal.reason : new Error('timeout')));
      });
    const response = await retryingFetch(stall, { ...policy, timeoutMs: 30 }, hooks())(get());
    expect(response.status).to.equal(200);
    expect(calls).to.equal(2);
  });

  it('leaves the event stream alone: no deadline, no retries', async () => {
    const { fetchImpl, seen } = scripted([status(503)]);
    const response = await retryingFetch(fetchImpl, { ...policy, timeoutMs: 1 }, hooks())(get({ headers: { accept: 'text/event-stream' } }));
    expect(response.status).to.equal(503);
    expect(seen).to.have.length(1);
    expect(seen[0]?.signal.aborted).to.equal(false);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-11-29T10:00:00Z');
    expect(retryAfterMs('120', now)).to.equal(120_000);
    expect(retryAfterMs('Sun, 29 Nov 2026 10:00:30 GMT', now)).to.equal(30_000);
    expect(retryAfterMs('Sun, 29 Nov 2026 09:00:00 GMT', now)).to.equal(0);
    expect(retryAfterMs('soon', now)).to.equal(undefined);
    expect(retryAfterMs(null, now)).to.equal(undefined);
  });
});
