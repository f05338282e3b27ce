import { errorFromException } from '../api/errors.js';
import { afterSlices } from '../internal/slices.js';

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
