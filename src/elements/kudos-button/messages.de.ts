import type { Formatters } from '../../internal/i18n.js';
import type { kudosMessages } from './messages.js';

export default {
  kudosLabel: 'Kudos',
  kudosGiven: (f: Formatters, count: number) => `Du hast Kudos gegeben. Jetzt ${f.number(count)} Kudos.`,
  kudosWithdrawn: (f: Formatters, count: number) => `Du hast deine Kudos zurückgenommen. Jetzt ${f.number(count)} Kudos.`,
  kudosGivers: (f: Formatters, names: string[], others: number) =>
    `Von ${f.list(others > 0 ? [...names, `${f.number(others)} weiteren`] : names)}`,
  kudosSignIn: 'Melde dich an, um Kudos zu geben.',
  kudosSelf: 'Das ist dein Beitrag: Kudos sind ein Dank an andere.',
  kudosLoading: 'Kudos werden geladen…',
  kudosLoadFailed: 'Kudos konnten nicht geladen werden.',
  kudosGiveFailed: (_f: Formatters, reason: string) => `Deine Kudos wurden nicht gespeichert: ${reason}`,
  kudosWithdrawFailed: (_f: Formatters, reason: string) => `Deine Kudos wurden nicht zurückgenommen: ${reason}`,
} satisfies typeof kudosMessages;
