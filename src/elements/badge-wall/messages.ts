import type { Formatters } from '../../internal/i18n.js';

/**
 * How a measure is counted, in words: "3 of 5 accepted answers", "Goal: 5 accepted answers".
 * @internal
 */
export function counted(f: Formatters, kind: string, target: number, value: string): string {
  switch (kind) {
    case 'comments':
      return f.plural(target, { one: 'comment', other: 'comments' });
    case 'accepted-answers':
      return f.plural(target, { one: 'accepted answer', other: 'accepted answers' });
    case 'kudos-received':
      return value ? `kudos for ${value}` : 'kudos received';
    case 'cards-written':
      return f.plural(target, { one: 'card written', other: 'cards written' });
    case 'cards-verified':
      return f.plural(target, { one: 'card verified', other: 'cards verified' });
    default:
      return '';
  }
}

/** The badge wall's English strings: the source every other language translates. */
export const badgeWallMessages = {
  badgeWallMine: 'Your badges',
  badgeWallOf: (_f: Formatters, name: string) => `${name}’s badges`,
  badgeWallUnnamed: 'Badges',
  badgeCatalogueTitle: 'Community badges',
  badgeSectionEarned: 'Earned',
  badgeSectionInProgress: 'In progress',
  badgeSectionLocked: 'Locked',
  badgeSummary: (f: Formatters, earned: number, inProgress: number, locked: number | undefined) =>
    [`${f.number(earned)} earned`, `${f.number(inProgress)} in progress`, ...(locked === undefined ? [] : [`${f.number(locked)} locked`])].join(' · '),
  badgeEarnedAgo: (f: Formatters, iso: string) => `Earned ${f.relative(iso)}`,
  badgeExpired: 'Expired',
  badgeRevoked: 'Revoked',
  badgeLocked: 'Locked',
  badgeProgress: (f: Formatters, kind: string, current: number, target: number, value: string) =>
    kind === 'facilitator' ? (current >= target ? 'Facilitator' : 'Become a facilitator') : `${f.number(current)} of ${f.number(target)} ${counted(f, kind, target, value)}`,
  badgeEarnedBy: (f: Formatters, count: number) =>
    f.plural(count, { zero: 'Nobody has earned it yet', one: `Earned by ${f.number(count)} person`, other: `Earned by ${f.number(count)} people` }),
  badgeCelebrateMine: (_f: Formatters, badge: string) => `Congratulations! You earned the badge “${badge}”.`,
  badgeCelebrateOther: (_f: Formatters, person: string, badge: string) => `${person} earned the badge “${badge}”.`,
  badgeFilterLegend: 'Category',
  badgeFilterAll: 'All',
  badgeTags: 'Tags',
  badgeEmpty: 'No badges yet.',
  badgeEmptyCategory: 'No badges in this category.',
  badgeLoading: 'Loading badges…',
  badgeLoadFailed: 'The badges could not be loaded:',
  badgeNotFound: 'There is no badge wall for this person.',
  badgeSignIn: 'Sign in to see your badges.',
  badgeClose: 'Close',
  badgeDetailLoading: 'Loading the details…',
  badgeDetailUnavailable: 'The details could not be loaded.',
  badgeCatalogueUnavailable: 'The badge catalogue could not be loaded.',
};

/** Loaders for every other language, fetched only when an element speaks it. */
export const badgeWallTranslations = {
  de: () => import('./messages.de.js'),
};
