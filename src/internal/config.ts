import { atom } from 'nanostores';
import type { Middleware } from 'openapi-fetch';
import type { RetryPolicy } from '../api/retry.js';

/** How the elements authenticate against the API. */
export type AuthMode = 'bearer' | 'cookie';

/** Returns a short-lived JWT for the signed-in person, or `null` for an anonymous visitor. */
export type TokenGetter = () => string | null | Promise<string | null>;

/**
 * Page-wide configuration. Each field is optional where it is set (an element attribute, a
 * `<guild-provider>`, the script tag or `configure()`); the first place that sets a field wins.
 */
export interface GuildConfig {
  /** Base URL of the API, e.g. `https://guild.example.com/api`. */
  api: string;
  /** A URL on the host's own origin that answers `{ "token": "…" }` for the signed-in person. */
  tokenUrl: string | undefined;
  /** Supplies the token in code instead of `tokenUrl`. */
  getToken: TokenGetter | undefined;
  /** `bearer` (default) sends the token; `cookie` sends the browser's cookies instead. */
  auth: AuthMode;
  /** The default community for widgets that need one. */
  community: string | undefined;
  /** Milliseconds before a request is abandoned. */
  timeoutMs: number;
  /** A `fetch` to use instead of the page's own (tests, Storybook, instrumented hosts). */
  fetch: typeof globalThis.fetch | undefined;
  /** How failed reads and keyed writes are retried (attempts, backoff); the defaults suit most pages. */
  retry: Partial<RetryPolicy> | undefined;
  /**
   * openapi-fetch middleware that sees every request and final answer, e.g. `contractMiddleware()`
   * in development and tests.
   */
  middleware: Middleware | undefined;
}

/** One answer of the API, as a contract check sees it. */
export interface CheckedResponse {
  method: string;
  /** The path as written in `api.yaml`, e.g. `/kudos/{kudosId}`. */
  path: string;
  status: number;
  body: unknown;
}

export type ContractCheck = (response: CheckedResponse) => string | undefined | Promise<string | undefined>;

export type PartialConfig = Partial<GuildConfig>;

export const defaultConfig: GuildConfig = {
  api: '/api',
  tokenUrl: undefined,
  getToken: undefined,
  auth: 'bearer',
  community: undefined,
  timeoutMs: 15_000,
  fetch: undefined,
  retry: undefined,
  middleware: undefined,
};

const $pageConfig = atom<PartialConfig>({});

/** The configuration set by the script tag's `data-*` attributes and `configure()`. */
export const pageConfig = $pageConfig;

/** Sets page-wide configuration; later calls override earlier ones field by field. */
export function configure(config: PartialConfig): void {
  $pageConfig.set({ ...$pageConfig.get(), ...withoutUndefined(config) });
}

/** Drops fields set to `undefined` so they do not hide a value from a lower layer. */
export function withoutUndefined(config: PartialConfig): PartialConfig {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value !== undefined && value !== null && value !== '') result[key] = value;
  }
  return result;
}

/**
 * Resolves configuration in the documented order: the element's own attributes, then the nearest
 * `<guild-provider>`, then the script tag or `configure()`, then the defaults.
 */
export function resolveConfig(
  ownAttributes: PartialConfig,
  provider: PartialConfig | undefined,
  page: PartialConfig,
): GuildConfig {
  return {
    ...defaultConfig,
    ...withoutUndefined(page),
    ...withoutUndefined(provider ?? {}),
    ...withoutUndefined(ownAttributes),
  };
}

/** Reads configuration from a script tag's `data-*` attributes. */
export function configFromScript(script: HTMLScriptElement): PartialConfig {
  const data = script.dataset;
  const auth = data['auth'];
  const timeout = Number(data['timeout']);
  return withoutUndefined({
    api: data['api'],
    tokenUrl: data['tokenUrl'],
    auth: auth === 'cookie' || auth === 'bearer' ? auth : undefined,
    community: data['community'],
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
  });
}
