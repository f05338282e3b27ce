import { map, type ReadableAtom } from 'nanostores';

/** What an element shows about a draft besides its text. */
export type DraftWarning =
  /** The browser refused to store it (storage full or blocked): typed text lives only in this tab. */
  | 'not-saved'
  /** Another tab changed the same draft; both texts are kept until the person chooses. */
  | 'changed-elsewhere';

export interface DraftState {
  text: string;
  /** When the text was last stored locally (ms since epoch), if it was. */
  savedAt: number | undefined;
  warning: DraftWarning | undefined;
  /** The other tab's text while `warning` is `changed-elsewhere`. */
  elsewhere: string | undefined;
}

export interface Draft {
  readonly $state: ReadableAtom<DraftState>;
  /** Records what the person typed; stored after a short pause in typing. */
  update(text: string): void;
  /** Stores now (before the page goes away, before sending). */
  flush(): void;
  /** Forgets the draft: call only after the server confirmed what it was for. */
  clear(): void;
  /** Settles a `changed-elsewhere` conflict by keeping this tab's text or the other tab's. */
  resolve(keep: 'mine' | 'elsewhere'): void;
  /** Stops listening to other tabs and stores what is pending. */
  close(): void;
}

interface Stored {
  text: string;
  savedAt: number;
  tab: string;
}

const PREFIX = 'guildkit:draft:';
const TAB = Math.random().toString(36).slice(2);

function read(storage: Storage, key: string): Stored | undefined {
  try {
    const raw = storage.getItem(key);
    if (!raw) return undefined;
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && 'text' in value && typeof value.text === 'string') {
      const savedAt = 'savedAt' in value && typeof value.savedAt === 'number' ? value.savedAt : 0;
      const tab = 'tab' in value && typeof value.tab === 'string' ? value.tab : '';
      return { text: value.text, savedAt, tab };
    }
  } catch {
    // Unreadable storage or a corrupt entry: start empty rather than fail.
  }
  return undefined;
}

export interface DraftOptions {
  /** Pause in typing before the text is stored. */
  debounceMs?: number;
  /** Where drafts live; `localStorage` by default. */
  storage?: Storage;
}

/**
 * A piece of text a person is writing, kept safe from reloads, crashes and flaky networks: stored
 * locally as they type (debounced), restored when the same draft is opened again, and removed only
 * when the caller says the server confirmed it. Two tabs on the same draft never overwrite each
 * other silently: the second change is surfaced as `changed-elsewhere` with both texts kept.
 *
 * @param id what the draft is for, e.g. `comment:course-101/week-1:reply-to:42`.
 */
export function openDraft(id: string, options: DraftOptions = {}): Draft {
  const key = PREFIX + id;
  const backupKey = `${key}:tab:${TAB}`;
  const debounceMs = options.debounceMs ?? 400;
  const storage = options.storage ?? globalThis.localStorage;
  const restored = read(storage, key);
  const $state = map<DraftState>({
    text: restored?.text ?? '',
    savedAt: restored?.savedAt,
    warning: undefined,
    elsewhere: undefined,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dirty = false;
  /** What this tab last stored or read, to tell another tab's change from our own echo. */
  let lastKnown = restored?.text ?? '';

  const store = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    const state = $state.get();
    // While another tab's text waits for a choice, never write over it: keep this tab's aside.
    if (state.warning === 'changed-elsewhere') {
      try {
        storage.setItem(backupKey, JSON.stringify({ text: state.text, savedAt: Date.now(), tab: TAB } satisfies Stored));
      } catch {
        $state.set({ ...state, warning: 'not-saved' });
      }
      return;
    }
    const current = read(storage, key);
    if (current && current.tab !== TAB && current.text !== lastKnown) {
      $state.set({ ...state, warning: 'changed-elsewhere', elsewhere: current.text });
      return;
    }
    const savedAt = Date.now();
    try {
      if (state.text) storage.setItem(key, JSON.stringify({ text: state.text, savedAt, tab: TAB } satisfies Stored));
      else storage.removeItem(key);
      dirty = false;
      lastKnown = state.text;
      $state.set({ ...state, savedAt: state.text ? savedAt : undefined, warning: undefined });
    } catch {
      $state.set({ ...state, warning: 'not-saved' });
    }
  };

  const onStorage = (event: StorageEvent) => {
    if (event.key !== key || event.storageArea !== storage) return;
    const other = event.newValue ? read(storage, key) : undefined;
    const otherText = other?.text ?? '';
    const state = $state.get();
    if (otherText === state.text) {
      lastKnown = otherText;
      return;
    }
    if (!dirty && state.text === lastKnown) {
      // Nothing typed here since: follow the other tab.
      lastKnown = otherText;
      $state.set({ ...state, text: otherText, savedAt: other?.savedAt });
      return;
    }
    $state.set({ ...state, warning: 'changed-elsewhere', elsewhere: otherText });
  };
  globalThis.addEventListener('storage', onStorage);
  // The last keystrokes before a tab closes or navigates away are stored too.
  globalThis.addEventListener('pagehide', store);

  return {
    $state,
    update(text) {
      dirty = true;
      $state.setKey('text', text);
      clearTimeout(timer);
      timer = setTimeout(store, debounceMs);
    },
    flush: store,
    clear() {
      clearTimeout(timer);
      dirty = false;
      lastKnown = '';
      try {
        storage.removeItem(key);
      } catch {
        // Nothing stored, nothing to remove.
      }
      $state.set({ text: '', savedAt: undefined, warning: undefined, elsewhere: undefined });
    },
    resolve(keep) {
      const state = $state.get();
      const text = keep === 'mine' ? state.text : (state.elsewhere ?? state.text);
      lastKnown = read(storage, key)?.text ?? '';
      dirty = true;
      $state.set({ text, savedAt: state.savedAt, warning: undefined, elsewhere: undefined });
      store();
      try {
        storage.removeItem(backupKey);
      } catch {
        // Nothing was set aside.
      }
    },
    close() {
      store();
      globalThis.removeEventListener('storage', onStorage);
      globalThis.removeEventListener('pagehide', store);
    },
  };
}
