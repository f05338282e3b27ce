import type { components } from '../../src/api/schema.js';
import type { EventBus } from '../events.js';

type CommentPage = components['schemas']['CommentPage'];

/** How long a page may be served from memory at most: names and avatars change without an event. */
const TTL_MS = 5_000;
const MAX_ENTRIES = 1_000;

/**
 * Pages of comments as every ordinary reader sees them (no hidden text, `reactedByMe` false), kept
 * in memory: a popular thread is read far more often than it changes. Every change to a subject
 * publishes an event after its commit, and the event drops the subject's pages. A read that began
 * before a change never stores its now-old page (each subject has a generation).
 */
export class CommentPageCache {
  readonly #pages = new Map<string, { page: CommentPage; at: number; subject: string }>();
  readonly #generations = new Map<string, number>();

  constructor(events: EventBus) {
    events.subscribe((event) => {
      const subject = event.type === 'comment.changed' ? event.comment.subject : event.type === 'thread.changed' ? event.thread.subject : undefined;
      if (subject !== undefined) this.invalidate(subject);
    });
  }

  generation(subject: string): number {
    return this.#generations.get(subject) ?? 0;
  }

  get(key: string): CommentPage | undefined {
    const entry = this.#pages.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.at > TTL_MS) {
      this.#pages.delete(key);
      return undefined;
    }
    return entry.page;
  }

  /** Stores a page read at `generation`, unless the subject changed since. */
  set(key: string, subject: string, generation: number, page: CommentPage): void {
    if (this.generation(subject) !== generation) return;
    if (this.#pages.size >= MAX_ENTRIES) {
      const oldest = this.#pages.keys().next().value;
      if (oldest !== undefined) this.#pages.delete(oldest);
    }
    this.#pages.set(key, { page, at: Date.now(), subject });
  }

  invalidate(subject: string): void {
    this.#generations.set(subject, this.generation(subject) + 1);
    for (const [key, entry] of this.#pages) if (entry.subject === subject) this.#pages.delete(key);
  }
}
