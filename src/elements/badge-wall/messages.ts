import type { Formatters } from '../../internal/i18n.js';

/** How a measure is counted, in words: "3 of 5 accepted answers", "Goal: 5 accepted answers". */
function counted(f: Formatters, kind: string, target: number, value: string): string {
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
  badgeCatalogueAll: 'All badges',
  badgeRecentTitle: 'Recently awarded',
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
  badgeGoal: (f: Formatters, kind: string, target: number, value: string) =>
    kind === 'facilitator' ? 'Goal: become a facilitator' : `Goal: ${f.number(target)} ${counted(f, kind, target, value)}`,
  badgeByHand: 'Awarded by a facilitator',
  badgeEarnedBy: (f: Formatters, count: number) =>
    f.plural(count, { zero: 'Nobody has earned it yet', one: `Earned by ${f.number(count)} person`, other: `Earned by ${f.number(count)} people` }),
  badgeRecentEntry: (_f: Formatters, person: string, badge: string) => `${person} earned ${badge}`,
  badgeCelebrateMine: (_f: Formatters, badge: string) => `Congratulations! You earned the badge “${badge}”.`,
  badgeCelebrateOther: (_f: Formatters, person: string, badge: string) => `${person} earned the badge “${badge}”.`,
  badgeFilterLegend: 'Category',
  badgeFilterAll: 'All',
  badgeTags: 'Tags',
  badgeEmpty: 'No badges yet.',
  badgeEmptyCategory: 'No badges in this category.',
  badgeCatalogueEmpty: 'This community has no badges yet.',
  badgeRecentEmpty: 'No awards yet: the first one will show here.',
  badgeLoading: 'Loading badges…',
  badgeLoadFailed: 'The badges could not be loaded:',
  badgeNotFound: 'There is no badge wall for this person.',
  badgeSignIn: 'Sign in to see your badges.',
  badgeClose: 'Close',
  badgeDescription: 'Description',
  badgeCriteria: 'Criteria',
  badgeEvidence: 'Evidence',
  badgeSkills: 'Skills',
  badgeDetails: 'Details',
  badgeCategory: 'Category',
  badgeIssuer: 'Issuer',
  badgeRecipient: 'Awarded to',
  badgeIssued: 'Issued',
  badgeValidUntil: 'Valid until',
  badgeNoExpiry: 'Does not expire',
  badgeValidity: (f: Formatters, days: number) => f.plural(days, { one: `Expires ${f.number(days)} day after it is awarded`, other: `Expires ${f.number(days)} days after it is awarded` }),
  badgeAwardedBy: 'Awarded by',
  badgeAwardedForActivity: 'Awarded automatically for activity',
  badgeRevokedBecause: (_f: Formatters, reason: string) => `Revoked: ${reason}`,
  badgeDate: (f: Formatters, iso: string) => f.dateTime(iso),
  badgeVerification: 'Verification',
  badgeVerifyLoading: 'Checking the credential…',
  badgeVerifyUnavailable: 'Could not verify: the verification code could not be loaded.',
  badgeCopyLink: 'Copy verification link',
  badgeLinkCopied: 'Link copied.',
  badgeCopyManually: 'Copy this link:',
  badgeLinkedIn: 'Add to LinkedIn profile',
  badgeNewTab: '(opens in a new tab)',
  badgeDownload: 'Download credential (JSON)',
  badgeDownloaded: 'Credential downloaded.',
  badgeDownloadFailed: (_f: Formatters, reason: string) => `The credential could not be downloaded: ${reason}`,
};

/** Loaders for every other language, fetched only when an element speaks it. */
export const badgeWallTranslations = {
  de: () => import('./messages.de.js'),
};
