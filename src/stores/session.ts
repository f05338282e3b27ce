import { atom, onMount, type ReadableAtom, type WritableAtom } from 'nanostores';
import type { Connection } from '../api/client.js';
import { errorFromException } from '../api/errors.js';
import type { components } from '../api/schema.js';
import { unwrap } from './request.js';
import type { Loadable } from './status.js';

export type Me = components['schemas']['Me'];

/** Who I am on a connection: `null` for an anonymous visitor. */
export type Session = Loadable<Me | null>;

const sessions = new Map<string, WritableAtom<Session>>();

/** The signed-in person for a connection, fetched once per page however many widgets ask. */
export function sessionStore(connection: Connection): ReadableAtom<Session> {
  const existing = sessions.get(connection.key);
  if (existing) return existing;
  const $session = atom<Session>({ status: 'idle' });
  onMount($session, () => {
    if ($session.get().status === 'ready') return undefined;
    const controller = new AbortController();
    $session.set({ status: 'loading' });
    void (async () => {
      try {
        const token = await connection.tokens.token();
        if (!token && !connection.cookies) {
          $session.set({ status: 'ready', data: null });
          return;
        }
        const me = await unwrap(connection.client.GET('/me', { signal: controller.signal }));
        $session.set({ status: 'ready', data: me });
      } catch (thrown) {
        if (controller.signal.aborted) return;
        const error = errorFromException(thrown);
        // A visitor the host does not sign in reads anonymously.
        if (error.status === 401) $session.set({ status: 'ready', data: null });
        else $session.set({ status: 'error', error });
      }
    })();
    return () => {
      controller.abort();
      if ($session.get().status === 'loading') $session.set({ status: 'idle' });
    };
  });
  sessions.set(connection.key, $session);
  return $session;
}

/** Applies a change of mine the server confirmed (e.g. my preferences) to what the page knows about me. */
export function updateMe(connection: Connection, change: (me: Me) => Me): void {
  const $session = sessions.get(connection.key);
  const session = $session?.get();
  if ($session && session?.status === 'ready' && session.data) $session.set({ status: 'ready', data: change(session.data) });
}

/** Who is signed in, once the session is known. */
export function signedInId(session: Session | undefined): string | undefined {
  return session?.status === 'ready' ? session.data?.person.id : undefined;
}

/** `true` once the session is known to be anonymous (not while it loads). */
export function isSignedOut(session: Session | undefined): boolean {
  return session?.status === 'ready' && session.data === null;
}

/** Whether the signed-in person facilitates `community`. */
export function isFacilitator(session: Session | undefined, community: string | undefined): boolean {
  return session?.status === 'ready' && !!session.data?.memberships.some((m) => m.role === 'facilitator' && m.communityId === community);
}

/** Who is signed in on a connection, as far as the page knows yet. */
export function myId(connection: Connection): string | undefined {
  return signedInId(sessionStore(connection).get());
}
