import type { GuildApiError } from '../api/errors.js';

/** A store value that carries its own status, with the error as data. */
export type Loadable<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'error'; error: GuildApiError };
