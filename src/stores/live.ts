import type { Connection } from '../api/client.js';
import type { components } from '../api/schema.js';
import { isRecord } from '../internal/is-record.js';

export type LiveEvent = components['schemas']['Event'];
export type LiveListener = (event: LiveEvent) => void;

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 30_000;
/** Keep the stream open this long after the last listener leaves, for SPA re-renders. */
const LINGER_MS = 1_000;

/** The part of each event type that listeners read first; a message without it is dropped. */
const PAYLOAD: Record<LiveEvent['type'], string> = {
  'kudos.changed': 'summary',
  'comment.changed': 'comment',
  'thread.changed': 'thread',
  'award.changed': 'award',
  'card.changed': 'card',
};

/** Accepts a message only when it has the shape its type promises at the top level. */
function isLiveEvent(value: unknown): value is LiveEvent {
  if (!isRecord(value) || typeof value['id'] !== 'string' || typeof value['type'] !== 'string') return false;
  const payload = Object.entries(PAYLOAD).find(([type]) => type === value['type'])?.[1];
  return payload !== undefined && isRecord(value[payload]);
}

/**
 * The page's one event stream per connection: opened by the first listener, closed shortly after the
 * last, resumed after a drop with `Last-Event-ID` so nothing is missed, with capped, jittered backoff.
 */
class LiveStream {
  readonly #listeners = new Set<LiveListener>();
  #controller: AbortController | undefined;
  #lastEventId: string | undefined;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #lingerTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly connection: Connection) {}

  subscribe(listener: LiveListener): () => void {
    this.#listeners.add(listener);
    clearTimeout(this.#lingerTimer);
    if (!this.#controller) this.#connect();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#lingerTimer = setTimeout(() => this.#stop(), LINGER_MS);
      }
    };
  }

  #stop(): void {
    clearTimeout(this.#retryTimer);
    this.#controller?.abort();
    this.#controller = undefined;
  }

  #connect(): void {
    const controller = new AbortController();
    this.#controller = controller;
    void this.#run(controller.signal).then(
      () => this.#scheduleReconnect(controller),
      () => this.#scheduleReconnect(controller),
    );
  }

  #scheduleReconnect(controller: AbortController): void {
    if (controller.signal.aborted || this.#controller !== controller) return;
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** this.#attempt);
    this.#attempt += 1;
    // Full jitter: a whole office reconnecting after a proxy restart does not arrive at once.
    this.#retryTimer = setTimeout(() => {
      if (this.#controller === controller) this.#connect();
    }, Math.random() * ceiling);
  }

  async #run(signal: AbortSignal): Promise<void> {
    const { response } = await this.connection.client.GET('/events', {
      parseAs: 'stream',
      signal,
      headers: { accept: 'text/event-stream', ...(this.#lastEventId ? { 'Last-Event-ID': this.#lastEventId } : {}) },
    });
    if (!response.ok || !response.body) throw new Error(`The event stream answered ${response.status}.`);
    this.#attempt = 0;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let data: string[] = [];
    let id: string | undefined;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') {
          // An id without data still moves the resume point (the server sends one on connect).
          if (id) this.#lastEventId = id;
          if (data.length > 0) this.#dispatch(data.join('\n'));
          data = [];
          id = undefined;
        } else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        else if (line.startsWith('id:')) id = line.slice(3).trim();
      }
    }
  }

  #dispatch(payload: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    if (!isLiveEvent(parsed)) return;
    for (const listener of this.#listeners) {
      // One failing listener must not cost the others this event, or end the stream.
      try {
        listener(parsed);
      } catch (error) {
        console.error('Guildkit: a live update could not be applied.', error);
      }
    }
  }
}

const streams = new Map<string, LiveStream>();

/** Listens to the page's event stream for a connection; returns the function that stops listening. */
export function listenLive(connection: Connection, listener: LiveListener): () => void {
  let stream = streams.get(connection.key);
  if (!stream) {
    stream = new LiveStream(connection);
    streams.set(connection.key, stream);
  }
  return stream.subscribe(listener);
}
