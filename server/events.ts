import { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { components } from '../src/api/schema.js';
import { now, type Database } from './db.js';

export type GuildEvent = components['schemas']['Event'];
type EventWithoutId = GuildEvent extends infer E ? (E extends GuildEvent ? Omit<E, 'id'> : never) : never;

/** How many missed events are read from the database at a time when a client reconnects. */
const REPLAY_LIMIT = 1000;
const KEEPALIVE_MS = 15_000;

/**
 * The live event stream. Events are written to the database in the same transaction as the change
 * they describe (so a reconnect can replay them by id) and fanned out to open streams after commit.
 */
export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor(private readonly db: Kysely<Database>) {
    this.#emitter.setMaxListeners(0);
  }

  /** Records an event inside `trx`; call `publish` with the result once the transaction commits. */
  async record(trx: Transaction<Database> | Kysely<Database>, event: EventWithoutId): Promise<GuildEvent> {
    const row = await trx
      .insertInto('events')
      .values({ type: event.type, payload: JSON.stringify(event), created_at: now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...event, id: String(row.id) };
  }

  /** Calls `listener` with every event once it is committed; returns a function that stops it. */
  subscribe(listener: (event: GuildEvent) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }

  publish(event: GuildEvent): void {
    this.#emitter.emit('event', event);
  }

  async newestId(): Promise<number> {
    const row = await this.db.selectFrom('events').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
    return Number(row?.max ?? 0);
  }

  async replayAfter(lastId: number): Promise<GuildEvent[]> {
    const rows = await this.db
      .selectFrom('events')
      .select(['id', 'payload'])
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(REPLAY_LIMIT)
      .execute();
    return rows.map((row) => ({ ...(JSON.parse(row.payload) as EventWithoutId), id: String(row.id) }));
  }

  /** Serves one server-sent-events connection until the client goes away. */
  async stream(request: FastifyRequest, reply: FastifyReply, headers: Record<string, string>): Promise<void> {
    const lastHeader = request.headers['last-event-id'];
    const lastId = typeof lastHeader === 'string' && /^\d+$/.test(lastHeader) ? Number(lastHeader) : undefined;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // Listen first and hold what arrives, so nothing committed while we look up or replay is lost.
    const buffered: GuildEvent[] = [];
    let replaying = true;
    let highest = 0;
    const send = (event: GuildEvent, evenIfSeen = false) => {
      const id = Number(event.id);
      if (id <= highest && !evenIfSeen) return;
      highest = Math.max(highest, id);
      raw.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    const onEvent = (event: GuildEvent) => (replaying ? buffered.push(event) : send(event));
    this.#emitter.on('event', onEvent);
    const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS);
    raw.on('close', () => {
      clearInterval(keepalive);
      this.#emitter.off('event', onEvent);
    });
    if (lastId === undefined) {
      // The resume point from the first moment: a client that drops before any event misses nothing.
      highest = await this.newestId();
      raw.write(`retry: 2000\nid: ${highest}\n: connected\n\n`);
    } else {
      highest = lastId;
      raw.write('retry: 2000\n: connected\n\n');
      // Page through everything missed, however much: the live position only moves past it after.
      for (;;) {
        const page = await this.replayAfter(highest);
        for (const event of page) send(event);
        if (page.length < REPLAY_LIMIT || raw.destroyed) break;
      }
    }
    replaying = false;
    // On a fresh connection, what arrived while we looked up the newest id may be counted in it
    // without having been sent: send it anyway (applying an event twice is harmless).
    for (const event of buffered.splice(0)) send(event, lastId === undefined);
  }
}
