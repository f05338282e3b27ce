import type { Formatters } from '../../internal/i18n.js';

/** The kudos button's English strings: the source every other language translates. */
export const kudosMessages = {
  kudosLabel: 'Kudos',
  kudosGiven: (f: Formatters, count: number) => `You gave kudos. ${f.plural(count, { one: `${f.number(count)} kudos`, other: `${f.number(count)} kudos` })} now.`,
  kudosWithdrawn: (f: Formatters, count: number) =>
    `You took your kudos back. ${f.plural(count, { one: `${f.number(count)} kudos`, other: `${f.number(count)} kudos` })} now.`,
  kudosGivers: (f: Formatters, names: string[], others: number) =>
    `From ${f.list(others > 0 ? [...names, `${f.number(others)} more`] : names)}`,
  kudosSignIn: 'Sign in to give kudos.',
  kudosSelf: 'This is yours: kudos are for thanking someone else.',
  kudosLoading: 'Loading kudos…',
  kudosLoadFailed: 'Kudos could not be loaded.',
  kudosGiveFailed: (_f: Formatters, reason: string) => `Your kudos was not saved: ${reason}`,
  kudosWithdrawFailed: (_f: Formatters, reason: string) => `Your kudos was not taken back: ${reason}`,
  kudosAddMessage: 'Add a message or a value',
  kudosPopoverFailed: 'The form for a message or a value could not be loaded.',
  kudosOthers: (f: Formatters, count: number) => f.plural(count, { one: `and ${f.number(count)} other`, other: `and ${f.number(count)} others` }),
};

/** Loaders for every other language, fetched only when an element speaks it. */
export const kudosTranslations = {
  de: () => import('./messages.de.js'),
};
