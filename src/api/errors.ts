import { isRecord } from '../internal/is-record.js';
import type { components } from './schema.js';

export type Problem = components['schemas']['Problem'];

/** What went wrong, in the terms an element needs to choose its message. */
export type ApiErrorKind = 'network' | 'timeout' | 'aborted' | 'http' | 'unexpected-response' | 'invalid-input';

/** The one error shape every store and element sees, whatever failed underneath. */
export class GuildApiError extends Error {
  override readonly name = 'GuildApiError';

  constructor(
    readonly kind: ApiErrorKind,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
  }

  get status(): number {
    return this.problem.status;
  }

  /** The problem type's last path segment, e.g. `self-kudos` for `/problems/self-kudos`. */
  get code(): string {
    return this.problem.type.split('/').pop() ?? 'about:blank';
  }
}

/** Accepts a parsed error body only when it really is an RFC 9457 problem document. */
export function isProblem(value: unknown): value is Problem {
  return (
    isRecord(value) &&
    typeof value['type'] === 'string' &&
    typeof value['title'] === 'string' &&
    typeof value['status'] === 'number'
  );
}

/** An answer Guildkit cannot use (not JSON, not the shape the contract promises): "the server had a problem". */
export function unexpectedAnswer(detail: string, title = 'Unexpected answer from the server'): GuildApiError {
  return new GuildApiError('unexpected-response', { type: 'about:blank', title, status: 502, detail });
}

/** Turns whatever a failed response carried (JSON problem, a proxy's HTML page, nothing) into an error. */
export function errorFromResponse(response: Response, body: unknown): GuildApiError {
  if (isProblem(body)) return new GuildApiError('http', body);
  return new GuildApiError('unexpected-response', {
    type: 'about:blank',
    title: response.statusText || 'Unexpected response',
    status: response.status >= 400 ? response.status : 502,
    detail: `The server answered ${response.status} without a problem document.`,
  });
}

/** Turns a thrown fetch failure (offline, timeout, abort) into an error. */
export function errorFromException(error: unknown): GuildApiError {
  if (error instanceof GuildApiError) return error;
  const name = isRecord(error) ? error['name'] : undefined;
  if (name === 'TimeoutError') {
    return new GuildApiError('timeout', { type: 'about:blank', title: 'Timed out', status: 504 });
  }
  if (name === 'SyntaxError') return unexpectedAnswer('The answer was not complete JSON.');
  if (name === 'AbortError') {
    return new GuildApiError('aborted', { type: 'about:blank', title: 'Aborted', status: 499 });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new GuildApiError('network', { type: 'about:blank', title: 'Network error', status: 503, detail });
}
