/** How a request is retried. Every field has a sensible default; tests shrink the delays. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The first backoff ceiling; it doubles on each retry. */
  baseDelayMs: number;
  /** The highest backoff ceiling. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the error is shown instead. */
  maxRetryAfterMs: number;
  /** Each attempt is abandoned after this long. */
  timeoutMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  timeoutMs: 15_000,
};

/** Statuses that say "not now" rather than "no". */
const TRANSIENT = new Set([408, 429, 500, 502, 503, 504]);

/** Reads `Retry-After` as seconds or as an HTTP date; `undefined` when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Only reads and writes that carry an `Idempotency-Key` may be sent twice: the server answers a
 * repeated key with the first answer, so a retry can never create a second record.
 */
export function isRetryable(request: Request): boolean {
  return request.method === 'GET' || request.method === 'HEAD' || request.headers.has('idempotency-key');
}

/** The event stream reconnects on its own terms and stays open; it gets neither retries nor a deadline. */
function isStream(request: Request): boolean {
  return request.headers.get('accept') === 'text/event-stream';
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function isInFlightConflict(response: Response): Promise<boolean> {
  if (response.status !== 409) return false;
  try {
    const body: unknown = await response.clone().json();
    return typeof body === 'object' && body !== null && 'type' in body && body.type === '/problems/idempotency-in-flight';
  } catch {
    return false;
  }
}

export interface RetryHooks {
  /** Picks the wait before a retry; full jitter by default. */
  random?: () => number;
  /** Waits; replaced in tests to observe the delays without waiting them. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Wraps `fetch` with a per-attempt deadline and disciplined retries: exponential backoff with full
 * jitter (so a whole office does not come back at once), `Retry-After` honoured on 429 and 503, no
 * retry on other 4xx, nothing retried that is not safe to repeat, and nothing at all once the caller
 * aborted (an element removed from the page).
 */
export function retryingFetch(
  fetchImpl: (request: Request) => Promise<Response>,
  policy: RetryPolicy = defaultRetryPolicy,
  hooks: RetryHooks = {},
): (request: Request) => Promise<Response> {
  const random = hooks.random ?? Math.random;
  const wait = hooks.wait ?? sleep;
  return async (request) => {
    if (isStream(request)) return fetchImpl(request);
    const retryable = isRetryable(request);
    const template = retryable ? request.clone() : request;
    for (let attempt = 1; ; attempt += 1) {
      const last = !retryable || attempt >= policy.attempts;
      const signal = AbortSignal.any([request.signal, AbortSignal.timeout(policy.timeoutMs)]);
      const outgoing = new Request(last ? template : template.clone(), { signal });
      let delay: number | undefined;
      try {
        const response = await fetchImpl(outgoing);
        if (last) return response;
        const transient = TRANSIENT.has(response.status) || (await isInFlightConflict(response));
        if (!transient) return response;
        const asked = response.status === 429 || response.status === 503 ? retryAfterMs(response.headers.get('retry-after')) : undefined;
        if (asked !== undefined && asked > policy.maxRetryAfterMs) return response;
        delay = asked;
        await response.body?.cancel();
      } catch (error) {
        // The caller gave up (element removed): stop at once, whatever the attempt.
        if (request.signal.aborted || last) throw error;
      }
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await wait(delay ?? random() * ceiling, request.signal);
    }
  };
}
