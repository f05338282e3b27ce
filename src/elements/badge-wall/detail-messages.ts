import type { Formatters } from '../../internal/i18n.js';
import { counted } from './messages.js';

/** The details dialog's English strings, in the details' own chunk (German is in `messages.de.ts`). */
export const badgeDetailMessages = {
  badgeGoal: (f: Formatters, kind: string, target: number, value: string) =>
    kind === 'facilitator' ? 'Goal: become a facilitator' : `Goal: ${f.number(target)} ${counted(f, kind, target, value)}`,
  badgeByHand: 'Awarded by a facilitator',
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
