import type { Formatters } from '../../internal/i18n.js';

/** The spotlight's English strings: the source every other language translates. */
export const spotlightMessages = {
  spotlightTitle: (_f: Formatters, period: string): string => (period === 'month' ? 'Celebrating this month' : period === 'quarter' ? 'Celebrating this quarter' : 'Celebrating this week'),
  leaderboardTitle: (_f: Formatters, period: string): string => (period === 'month' ? 'Most thanked this month' : period === 'quarter' ? 'Most thanked this quarter' : 'Most thanked this week'),
  feedTitle: 'Recent kudos',
  spotlightLoading: 'Loading…',
  spotlightLoadFailed: 'The spotlight could not be loaded.',
  feedLoadFailed: 'Recent kudos could not be loaded.',
  spotlightEmpty: 'Nothing to celebrate yet in this period: thank someone and they will show here.',
  feedEmpty: 'No kudos yet: be the first to thank someone.',
  spotlightNoCommunity: 'This spotlight needs a community (set the community attribute).',
  rankingForbidden: 'This community does not rank people, so here is what they achieved instead.',
  reasonKudos: (f: Formatters, count: number, value: string) =>
    value
      ? f.plural(count, { one: `${f.number(count)} kudos for ${value}`, other: `${f.number(count)} kudos for ${value}` })
      : f.plural(count, { one: `${f.number(count)} kudos`, other: `${f.number(count)} kudos` }),
  reasonHelped: (f: Formatters, count: number) => f.plural(count, { one: `${f.number(count)} accepted answer`, other: `${f.number(count)} accepted answers` }),
  reasonFacilitator: 'became a facilitator',
  reasonBadge: (f: Formatters, count: number) => f.plural(count, { one: `${f.number(count)} new badge`, other: `${f.number(count)} new badges` }),
  rank: (f: Formatters, rank: number) => `#${f.number(rank)}`,
  feedEntry: (_f: Formatters, giver: string, recipient: string) => `${giver} thanked ${recipient}`,
  feedValue: (_f: Formatters, value: string) => `for ${value}`,
  showMe: 'Show me in spotlights',
  optOutSaved: (_f: Formatters, shown: boolean): string => (shown ? 'You can appear in spotlights again.' : 'You will not appear in spotlights.'),
  decline: 'Decline',
  declineLabel: 'A message for the giver (optional)',
  declineSend: 'Decline kudos',
  declined: 'Declined.',
  cancel: 'Cancel',
  actionFailed: (_f: Formatters, reason: string) => `That did not work: ${reason}`,
};

/** Loaders for every other language, fetched only when an element speaks it. */
export const spotlightTranslations = {
  de: () => import('./messages.de.js'),
};
