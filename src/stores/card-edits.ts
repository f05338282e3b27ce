import type { Connection } from '../api/client.js';
import type { Card, CardInput, CardPublisher, CardUpdate } from './cards.js';
import { idempotencyKey, unwrap } from './request.js';

/*
 * Writing cards: only the card's editor imports this module, so a page that reads cards never loads
 * it. Each action hands the card the server confirmed to `publish` (the card element's stores).
 */

/** The card as the server has it now, bypassing the batch (after a conflict: what did the other person save?). */
export async function latestCard(connection: Connection, publish: CardPublisher, id: string): Promise<Card> {
  const card = await unwrap(connection.client.GET('/cards/{cardId}', { params: { path: { cardId: id } } }));
  publish(card);
  return card;
}

/** Writes a new card (version 1); `key` identifies the intention, so a retry never makes two. */
export async function createCard(connection: Connection, publish: CardPublisher, input: CardInput, key = idempotencyKey()): Promise<Card> {
  const card = await unwrap(connection.client.POST('/cards', { params: { header: { 'Idempotency-Key': key } }, body: input }));
  publish(card);
  return card;
}

/**
 * Saves a new version. `baseVersion` is the version the person edited: when someone saved another
 * since, the server answers `409` and nothing is written (the caller keeps the text).
 */
export async function updateCard(connection: Connection, publish: CardPublisher, id: string, update: CardUpdate): Promise<Card> {
  const card = await unwrap(connection.client.PATCH('/cards/{cardId}', { params: { path: { cardId: id } }, body: update }));
  publish(card);
  return card;
}
