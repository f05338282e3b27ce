import type { Formatters } from '../i18n.js';

/** The English catalogue: the source every other language translates. */
export const en = {
  kudosLabel: 'Kudos',
  kudosGiven: (f: Formatters, count: number) => `You gave kudos. ${f.plural(count, { one: `${f.number(count)} kudos`, other: `${f.number(count)} kudos` })} now.`,
  kudosWithdrawn: (f: Formatters, count: number) =>
    `You took your kudos back. ${f.plural(count, { one: `${f.number(count)} kudos`, other: `${f.number(count)} kudos` })} now.`,
  kudosGivers: (f: Formatters, names: string[], others: number) =>
    `From ${f.list(others > 0 ? [...names, `${f.number(others)} more`] : names)}`,
  you: 'you',
  kudosSignIn: 'Sign in to give kudos.',
  kudosSelf: 'This is yours: kudos are for thanking someone else.',
  kudosLoading: 'Loading kudos…',
  kudosLoadFailed: 'Kudos could not be loaded.',
  kudosGiveFailed: (_f: Formatters, reason: string) => `Your kudos was not saved: ${reason}`,
  kudosWithdrawFailed: (_f: Formatters, reason: string) => `Your kudos was not taken back: ${reason}`,
  retry: 'Try again',
  errorOffline: 'the network is unreachable.',
  errorTimeout: 'the server took too long to answer.',
  errorSignIn: 'your sign-in has expired; reload the page.',
  errorForbidden: 'you are not allowed to do this.',
  errorServer: 'the server had a problem; try again in a moment.',
  errorAlreadyGiven: 'you already gave kudos here.',
  errorSelf: 'kudos are for thanking someone else.',
};

export type Catalogue = typeof en;
