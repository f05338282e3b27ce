import type { Formatters } from '../../internal/i18n.js';

const days = new Map<string, Intl.DateTimeFormat>();
/** A day without the time ("29 Nov 2026"): trust dates are about days. */
function day(f: Formatters, iso: string): string {
  let format = days.get(f.locale);
  if (!format) {
    format = new Intl.DateTimeFormat(f.locale, { dateStyle: 'medium' });
    days.set(f.locale, format);
  }
  return format.format(new Date(iso));
}

/** The knowledge card's English strings: the source every other language translates. */
export const knowledgeCardMessages = {
  cardLoading: 'Loading the card…',
  cardLoadFailed: 'The card could not be loaded:',
  cardNotFound: 'This card does not exist, or it is not shared with you.',
  cardDraft: 'Draft',
  cardLabel: (_f: Formatters, title: string) => `Knowledge card: ${title}`,
  trustVerified: (f: Formatters, name: string, iso: string) => `Verified by ${name} on ${day(f, iso)}`,
  trustReviewBy: (f: Formatters, iso: string) => `review by ${day(f, iso)}`,
  trustNeedsReview: 'Needs review',
  trustReviewWasDue: (f: Formatters, iso: string) => `review was due ${day(f, iso)}`,
  trustLastVerified: (f: Formatters, name: string, iso: string) => `last verified by ${name} on ${day(f, iso)}`,
  trustOutdated: (_f: Formatters, reason: string) => `Outdated: ${reason}`,
  trustFlaggedBy: (f: Formatters, name: string, iso: string) => `flagged by ${name} on ${day(f, iso)}`,
  trustUnverified: 'Unverified',
  cardBy: (_f: Formatters, name: string) => `By ${name}`,
  cardCredited: (_f: Formatters, name: string) => `From an answer by ${name}`,
  cardExperts: (f: Formatters, names: string[]) => `Experts: ${f.list(names)}`,
  cardTags: 'Tags',
  cardEditedBy: (f: Formatters, name: string, versions: number) => `Edited by ${name} · ${f.plural(versions, { one: `${f.number(versions)} version`, other: `${f.number(versions)} versions` })}`,
  cardHistory: 'Version history',
  cardHistoryLoading: 'Loading the versions…',
  cardHelpful: 'Was this helpful?',
  cardHelpfulYes: 'Yes',
  cardHelpfulNo: 'No',
  cardHelpfulCount: (f: Formatters, count: number) => f.plural(count, { zero: 'No votes yet', one: `${f.number(count)} found it helpful`, other: `${f.number(count)} found it helpful` }),
  cardViews: (f: Formatters, count: number) => f.plural(count, { one: `${f.number(count)} view`, other: `${f.number(count)} views` }),
  cardVoteFailed: (_f: Formatters, reason: string) => `Your vote was not saved: ${reason}`,
  cardActions: 'Card actions',
  cardEdit: 'Edit',
  cardVerify: 'Verify',
  cardFlag: 'Flag as outdated',
  cardCopyLink: 'Copy link',
  cardLinkCopied: 'Link copied.',
  cardRelated: 'Related cards',
  cardSignIn: 'Sign in to vote, flag or edit.',
  cardNewSignIn: 'Sign in to write a card.',
  cardNoticeFlagged: (_f: Formatters, name: string, reason: string) => `${name} flagged this card as outdated: ${reason}`,
  cardNoticeEdited: (f: Formatters, name: string, version: number) => `${name} edited this card (version ${f.number(version)}).`,
  cardDismiss: 'Dismiss',
  cardSomeone: 'Someone',
  cardTagTitle: (_f: Formatters, tag: string) => `Cards tagged “${tag}”`,
  cardDraftsTitle: 'Drafts',
  cardListEmpty: 'No cards here yet.',
  cardListLoading: 'Loading cards…',
  cardEditorLoading: 'Loading the editor…',
  cardEditorFailed: 'The editor could not be loaded.',
  cardPanelLoading: 'Loading…',
  cardPanelFailed: 'This part of the card could not be loaded.',
};

/** Loaders for every other language, fetched only when an element speaks it. */
export const knowledgeCardTranslations = {
  de: () => import('./messages.de.js'),
};
