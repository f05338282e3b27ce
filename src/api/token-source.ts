import type { TokenGetter } from '../internal/config.js';
import { errorFromResponse, unexpectedAnswer } from './errors.js';

/** Refresh a token this many seconds before it expires. */
const REFRESH_MARGIN_SECONDS = 30;

interface CachedToken {
  value: string | null;
  expiresAt: number;
}

/** The JSON payload of a JWT (or any compact JWS), decoded but not verified; `undefined` when it is not one. */
export function jwtPayload(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0))));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads `exp` (seconds) from a JWT without verifying it: the server verifies, the client only schedules. */
export function tokenExpiry(token: string): number | undefined {
  const exp = jwtPayload(token)?.['exp'];
  return typeof exp === 'number' ? exp : undefined;
}

function withDeadline<T>(pending: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DOMException('The token took too long.', 'TimeoutError')), ms);
  });
  return Promise.race([pending, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Supplies the bearer token for one API connection: from `getToken()` or from the host's `tokenUrl`,
 * cached until shortly before it expires, with concurrent callers sharing one refresh.
 */
export class TokenSource {
  #cached: CachedToken | undefined;
  #pending: Promise<string | null> | undefined;

  constructor(
    private readonly tokenUrl: string | undefined,
    private readonly getter: TokenGetter | undefined,
    private readonly fetchImpl: typeof globalThis.fetch,
    private readonly timeoutMs = 15_000,
  ) {}

  get anonymous(): boolean {
    return !this.tokenUrl && !this.getter;
  }

  /** The current token, refreshed before it expires; `null` when the visitor is anonymous. */
  async token(): Promise<string | null> {
    if (this.anonymous) return null;
    const now = Date.now() / 1000;
    if (this.#cached && this.#cached.expiresAt - REFRESH_MARGIN_SECONDS > now) return this.#cached.value;
    this.#pending ??= this.#fetchToken().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Forgets the cached token (after a `401`) so the next call fetches a fresh one. */
  invalidate(): void {
    this.#cached = undefined;
  }

  async #fetchToken(): Promise<string | null> {
    const value = this.getter ? await withDeadline(Promise.resolve(this.getter()), this.timeoutMs) : await this.#fromUrl();
    const expiresAt = value ? (tokenExpiry(value) ?? Date.now() / 1000 + 60) : Date.now() / 1000 + 60;
    this.#cached = { value, expiresAt };
    return value;
  }

  async #fromUrl(): Promise<string | null> {
    if (!this.tokenUrl) return null;
    const response = await this.fetchImpl(this.tokenUrl, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      // A host endpoint that hangs must not hold every request of the page with it.
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    // The host says nobody is signed in: read anonymously rather than fail.
    if (response.status === 401 || response.status === 403) return null;
    // Any other failure, and an answer without a token, says what the host answered (a rate limit, a
    // server error), never "offline": a plain error would read as a network failure.
    if (!response.ok) throw errorFromResponse(response, await response.json().catch(() => undefined));
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && 'token' in body && typeof body.token === 'string') {
      return body.token;
    }
    throw unexpectedAnswer('The token URL did not answer { "token": "…" }.', 'Unexpected answer from the token URL');
  }
}
