import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { GuildConfig } from '../internal/config.js';
import type { paths } from './schema.js';
import { defaultRetryPolicy, retryingFetch } from './retry.js';
import { TokenSource } from './token-source.js';

export type GuildClient = Client<paths>;

/** One API base as the page uses it: the typed client and who it authenticates as. */
export interface Connection {
  /** Identifies the connection; stores are keyed by it. */
  readonly key: string;
  readonly api: string;
  readonly client: GuildClient;
  readonly tokens: TokenSource;
  /** `true` when the browser's cookies identify the person (`auth="cookie"`). */
  readonly cookies: boolean;
}

const connections = new Map<string, Connection>();
const functionIds = new WeakMap<object, number>();
let nextFunctionId = 1;

function identity(fn: object | undefined): string {
  if (!fn) return '-';
  let id = functionIds.get(fn);
  if (id === undefined) {
    id = nextFunctionId++;
    functionIds.set(fn, id);
  }
  return String(id);
}

/** Absolute API base, so that `/api` and `http://host/api` name the same connection. */
function absoluteBase(api: string): string {
  const base = new URL(api, document.baseURI).href;
  return base.endsWith('/') ? base.slice(0, -1) : base;
}

function authMiddleware(tokens: TokenSource, config: GuildConfig, fetchImpl: (request: Request) => Promise<Response>): Middleware {
  const originals = new Map<string, Request>();
  return {
    async onRequest({ request, id }) {
      if (config.auth === 'cookie') return new Request(request, { credentials: 'include' });
      const token = await tokens.token();
      const headers = new Headers(request.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      const prepared = new Request(request, { headers });
      // Kept to re-send once with a fresh token if the server says this one is no longer good.
      if (token) originals.set(id, prepared.clone());
      return prepared;
    },
    async onResponse({ response, id }) {
      const original = originals.get(id);
      originals.delete(id);
      if (response.status !== 401 || !original) return undefined;
      tokens.invalidate();
      const token = await tokens.token();
      if (!token) return undefined;
      const headers = new Headers(original.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetchImpl(new Request(original, { headers }));
    },
    onError({ id }) {
      originals.delete(id);
    },
  };
}

/** The memoised connection for a resolved configuration: one client per API base and identity. */
export function getConnection(config: GuildConfig): Connection {
  const api = absoluteBase(config.api);
  const key = [api, config.auth, config.tokenUrl ?? '-', identity(config.getToken), identity(config.fetch), identity(config.retry), identity(config.middleware), config.timeoutMs].join(
    '\n',
  );
  const existing = connections.get(key);
  if (existing) return existing;
  const pageFetch = config.fetch ?? globalThis.fetch.bind(globalThis);
  const tokens = new TokenSource(config.tokenUrl, config.getToken, pageFetch, config.timeoutMs);
  const fetchImpl = retryingFetch((request) => pageFetch(request), {
    ...defaultRetryPolicy,
    ...config.retry,
    timeoutMs: config.timeoutMs,
  });
  const client = createClient<paths>({
    baseUrl: api,
    fetch: fetchImpl,
    querySerializer: { array: { style: 'form', explode: false } },
  });
  // Answers pass through middleware last-registered first: the page's middleware is registered first so
  // that it sees the final answer, including one re-sent after a fresh token.
  if (config.middleware) client.use(config.middleware);
  client.use(authMiddleware(tokens, config, fetchImpl));
  const connection: Connection = { key, api, client, tokens, cookies: config.auth === 'cookie' };
  connections.set(key, connection);
  return connection;
}

