import type { components } from '../../src/api/schema.js';
import { contractMiddleware } from '../../src/api/contract-middleware.js';
import type { CheckedResponse } from '../../src/internal/config.js';

type Schemas = components['schemas'];
export type KudosSummary = Schemas['KudosSummary'];
export type Me = Schemas['Me'];
export type LiveEvent = Schemas['Event'];

type Handler = (request: Request, params: Record<string, string>) => Response | Promise<Response>;

/** A recorded request, with its body read once so tests can assert on it. */
export interface Call {
  method: string;
  path: string;
  url: URL;
  headers: Headers;
  body: unknown;
  signal: AbortSignal;
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export function problem(status: number, code: string, detail?: string): Response {
  const body: Schemas['Problem'] = { type: `/problems/${code}`, title: code, status, ...(detail ? { detail } : {}) };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });
}

/** A token shaped like a JWT (the client only reads `exp`; the mock never verifies). */
export function fakeToken(sub: string, expiresInSeconds = 600): string {
  const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${encode({ alg: 'HS256' })}.${encode({ sub, exp: Math.floor(Date.now() / 1000) + expiresInSeconds })}.signature`;
}

export function person(id: string, name = id[0]?.toUpperCase() + id.slice(1)): Schemas['Person'] {
  return { id, name };
}

export function me(id: string): Me {
  return { person: person(id), memberships: [{ communityId: 'general', personId: id, role: 'member', since: '2026-01-01T00:00:00.000Z' }] };
}

export function summary(subject: string, fields: Partial<KudosSummary> = {}): KudosSummary {
  return { subject, count: 0, givenByMe: false, myKudosId: null, recentGivers: [], ...fields };
}

/** An event stream the test pushes events into; it stays open until the client aborts. */
export class EventStreamMock {
  #controllers = new Set<ReadableStreamDefaultController<Uint8Array>>();
  connections = 0;

  readonly handler: Handler = (request) => {
    this.connections += 1;
    const encoder = new TextEncoder();
    let own: ReadableStreamDefaultController<Uint8Array> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        own = controller;
        this.#controllers.add(controller);
        controller.enqueue(encoder.encode(': connected\n\n'));
      },
      cancel: () => {
        if (own) this.#controllers.delete(own);
      },
    });
    request.signal.addEventListener('abort', () => {
      if (own) this.#controllers.delete(own);
    });
    return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };

  push(event: LiveEvent): void {
    const bytes = new TextEncoder().encode(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    for (const controller of this.#controllers) controller.enqueue(bytes);
  }
}

/**
 * A `fetch` for one test that answers from the given routes (`'POST /api/kudos'`,
 * `'DELETE /api/kudos/:id'`) and records every call. Unhandled requests are collected in
 * `unhandled` and answered 599 so a test can assert that nothing unexpected was asked.
 */
export function mockApi(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const unhandled: string[] = [];
  const compiled = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(' ');
    const names: string[] = [];
    const regex = new RegExp(
      `^${(pattern ?? '').replace(/:(\w+)/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    return { method, regex, names, handler };
  });
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.clone().text();
    calls.push({
      method: request.method,
      path: url.pathname,
      url,
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
      signal: request.signal,
    });
    for (const route of compiled) {
      const match = route.method === request.method ? route.regex.exec(url.pathname) : null;
      if (match) {
        const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
        return route.handler(request, params);
      }
    }
    unhandled.push(`${request.method} ${url.pathname}`);
    return problem(599, 'unhandled-in-test');
  };
  return {
    fetch: fetchImpl,
    calls,
    unhandled,
    callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}

/** Asks the test runner whether an answer follows api.yaml (test/support/contract-check.mjs). */
export async function contractCheck(response: CheckedResponse): Promise<string | undefined> {
  const answer = await fetch('/__contract-check', { method: 'POST', body: JSON.stringify(response) });
  const result: unknown = await answer.json();
  return typeof result === 'object' && result !== null && 'error' in result && typeof result.error === 'string' ? result.error : undefined;
}

/** What every widget test configures: answers checked against the contract, retries without waiting. */
export const testConfig = { middleware: contractMiddleware(contractCheck), retry: { baseDelayMs: 1, maxDelayMs: 2 } };

/** Resolves after pending timers and microtasks have run (batches flush on a macrotask). */
export function nextTask(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
