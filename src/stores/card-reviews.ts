import type { Connection } from '../api/client.js';
import type { Card, CardPublisher, CardVersion } from './cards.js';
import { idempotencyKey, unwrap } from './request.js';

/*
 * Verifying, flagging and the version history: only the card's panels import this module, so a page
 * that reads cards never loads it. Each action hands the card the server confirmed to `publish` (the
 * card element's stores).
 */

const HISTORY_PAGE = 50;

/** Confirms a card is correct (experts and facilitators); the server sets the next review date. */
export async function verifyCard(connection: Connection, publish: CardPublisher, id: string, reviewIntervalDays?: number, key = idempotencyKey()): Promise<Card> {
  const card = await unwrap(
    connection.client.POST('/cards/{cardId}/verifications', {
      params: { path: { cardId: id }, header: { 'Idempotency-Key': key } },
      body: reviewIntervalDays ? { reviewIntervalDays } : {},
    }),
  );
  publish(card);
  return card;
}

/** Flags a card as outdated, with the reason its author and experts will read. */
export async function flagCard(connection: Connection, publish: CardPublisher, id: string, reason: string, key = idempotencyKey()): Promise<Card> {
  const card = await unwrap(connection.client.POST('/cards/{cardId}/flags', { params: { path: { cardId: id }, header: { 'Idempotency-Key': key } }, body: { reason } }));
  publish(card);
  return card;
}

/** A card's versions, newest first (the first page: a history long enough to read). */
export async function cardVersions(connection: Connection, id: string, signal?: AbortSignal): Promise<CardVersion[]> {
  const page = await unwrap(connection.client.GET('/cards/{cardId}/versions', { params: { path: { cardId: id }, query: { limit: HISTORY_PAGE } }, signal }));
  return page.items;
}
