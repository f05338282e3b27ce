import { errorFromException } from '../api/errors.js';

/**
 * When Guildkit's work runs. Rendering is cut into short main-thread tasks shared by every element on
 * the page: a page with a hundred widgets, or a thread showing twenty comments, never holds the page
 * in one long task, and the browser paints and handles input in between. Reads the elements ask for
 * while they render are batched into one request once they are done (`BatchLoader`).
 *
 * (One module with the loader on purpose: in a module of its own, imported by this one and by
 * `GuildElement`, Rolldown splits lit and nanostores' `atom` into two more chunks every page loads.)
 */

/** How long elements may render in one task before the rest wait for the next one. */
const SLICE_MS = 8;
let sliceEnds = 0;

/** Renders waiting for a task of their own, in the order they asked. */
const waiting: (() => void)[] = [];
/** Work to do once no render waits (see `afterSlices`), and since when the oldest of it waits. */
const after: (() => void)[] = [];
let afterSince = 0;
/**
 * Work done after rendering never waits longer than this, even on a page that keeps rendering. Long
 * enough for the bench's page of thirty widgets to render before their reads go, one request per
 * kind; 50 ms split its kudos reads in two.
 */
const AFTER_MS = 1000;
let channel: MessageChannel | undefined;

function runAfter(): void {
  for (const run of after.splice(0)) {
    try {
      run();
    } catch (error) {
      // One failing callback neither stops the others nor stays silent.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

/**
 * Asks for a task: one message per waiter, so each is a task of its own and the browser paints
 * between them when a frame is due (the continuation of `scheduler.yield()` would run before the frame).
 */
function post(): void {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => {
      if (after.length && performance.now() - afterSince >= AFTER_MS) runAfter();
      const resume = waiting.shift();
      if (resume) resume();
      else runAfter();
    };
  }
  channel.port2.postMessage(0);
}

/**
 * Resolves at once while the current slice lasts; otherwise in a new task, after the browser had a
 * chance to paint and handle input.
 */
export async function nextSlice(): Promise<void> {
  if (performance.now() < sliceEnds) return;
  await new Promise<void>((resolve) => {
    waiting.push(resolve);
    post();
  });
  if (performance.now() >= sliceEnds) sliceEnds = performance.now() + SLICE_MS;
}

/**
 * Runs `run` in a task of its own once no render waits, or after a second at the latest: what the
 * elements being rendered now ask for (kudos counts of the comments a thread shows, say) is asked for
 * together.
 */
export function afterSlices(run: () => void): void {
  if (!after.length) afterSince = performance.now();
  after.push(run);
  post();
}

/**
 * Whether text is stored under the draft `id` (see `openDraft`), read in a task of its own once no
 * render waits, after the batched reads have gone. A page's first read of `localStorage` waits while
 * the browser hands over the whole storage area (1.5–15 ms on a blank page on a 2-core machine, 32 ms
 * in one profile of a loading page), and that wait belongs neither in an element's first render nor
 * before its requests. (Here rather than in `drafts.ts`, which loads only with a composer or editor.
 * Its key prefix is written out again rather than shared with `drafts.ts`: importing one from the other
 * makes Rolldown split another chunk that every page loads.)
 */
export function draftStored(id: string): Promise<boolean> {
  return new Promise((resolve) => {
    afterSlices(() =>
      setTimeout(() => {
        try {
          resolve(!!localStorage.getItem(`guildkit:draft:${id}`));
        } catch {
          resolve(false);
        }
      }),
    );
  });
}

interface Waiter<V> {
  signal: AbortSignal;
  resolve(value: V): void;
  reject(error: unknown): void;
}

function abortError(signal: AbortSignal) {
  return errorFromException(signal.reason ?? new DOMException('Aborted', 'AbortError'));
}

/**
 * Collects the keys asked for while elements render and loads them with one request (many widgets on a page,
 * one round trip). A request in flight is aborted once every caller waiting on it has gone.
 */
export class BatchLoader<K, V> {
  #queue = new Map<K, Waiter<V>[]>();
  #scheduled = false;

  constructor(
    private readonly load: (keys: K[], signal: AbortSignal) => Promise<Map<K, V>>,
    private readonly maxBatch = 100,
  ) {}

  get(key: K, signal: AbortSignal): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      if (signal.aborted) {
        reject(abortError(signal));
        return;
      }
      const waiter: Waiter<V> = { signal, resolve, reject };
      const waiters = this.#queue.get(key) ?? [];
      waiters.push(waiter);
      this.#queue.set(key, waiters);
      signal.addEventListener('abort', () => reject(abortError(signal)), { once: true });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // In a task of its own once the elements being rendered have asked: elements upgraded in the
        // same parse, or rendered one slice after another, share one batch.
        afterSlices(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const entries = [...this.#queue.entries()]
      .map(([key, waiters]): [K, Waiter<V>[]] => [key, waiters.filter((w) => !w.signal.aborted)])
      .filter(([, waiters]) => waiters.length > 0);
    this.#queue.clear();
    for (let start = 0; start < entries.length; start += this.maxBatch) {
      void this.#run(entries.slice(start, start + this.maxBatch));
    }
  }

  async #run(entries: [K, Waiter<V>[]][]): Promise<void> {
    const controller = new AbortController();
    const waiters = entries.flatMap(([, list]) => list);
    let remaining = waiters.length;
    for (const waiter of waiters) {
      waiter.signal.addEventListener('abort', () => {
        remaining -= 1;
        if (remaining === 0) controller.abort(waiter.signal.reason);
      }, { once: true });
    }
    try {
      const results = await this.load(entries.map(([key]) => key), controller.signal);
      for (const [key, list] of entries) {
        const value = results.get(key);
        for (const waiter of list) {
          if (value === undefined) waiter.reject(new Error(`The server sent nothing for ${String(key)}.`));
          else waiter.resolve(value);
        }
      }
    } catch (error) {
      for (const waiter of waiters) waiter.reject(errorFromException(error));
    }
  }
}
