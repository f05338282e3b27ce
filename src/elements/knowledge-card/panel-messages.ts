import type { Formatters } from '../../internal/i18n.js';

/**
 * The strings only the card's panels show (the verify and flag forms, the manual copy field, the
 * version history): added when the panel's chunk runs, so the reading view does not carry them.
 * ("Loading the versions…" is the card's: it shows while the panel itself loads.) German is in
 * `messages.de.ts`.
 */
export const cardPanelMessages = {
  cardHistoryFailed: (_f: Formatters, reason: string) => `The versions could not be loaded: ${reason}`,
  cardVersion: (f: Formatters, version: number, name: string, iso: string) => `Version ${f.number(version)} · ${name} · ${f.dateTime(iso)}`,
  cardCopyManually: 'Copy this link:',
  cardVerifyLegend: 'Verify that this card is correct',
  cardVerifyInterval: 'Review again in (days, optional)',
  cardVerifySend: 'Verify now',
  cardVerifiedDone: 'Verified. Thank you.',
  cardFlagLabel: 'What is outdated?',
  cardFlagSend: 'Send flag',
  cardFlaggedDone: 'Flagged as outdated: the author and the experts are told.',
  cardCancel: 'Cancel',
  cardActionFailed: (_f: Formatters, reason: string) => `That did not work: ${reason}`,
};
