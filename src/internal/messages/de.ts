import type { Formatters } from '../i18n.js';
import type { Catalogue } from './en.js';

export const de: Catalogue = {
  kudosLabel: 'Kudos',
  kudosGiven: (f: Formatters, count: number) => `Du hast Kudos gegeben. Jetzt ${f.number(count)} Kudos.`,
  kudosWithdrawn: (f: Formatters, count: number) => `Du hast deine Kudos zurückgenommen. Jetzt ${f.number(count)} Kudos.`,
  kudosGivers: (f: Formatters, names: string[], others: number) =>
    `Von ${f.list(others > 0 ? [...names, `${f.number(others)} weiteren`] : names)}`,
  you: 'dir',
  kudosSignIn: 'Melde dich an, um Kudos zu geben.',
  kudosSelf: 'Das ist dein Beitrag: Kudos sind ein Dank an andere.',
  kudosLoading: 'Kudos werden geladen…',
  kudosLoadFailed: 'Kudos konnten nicht geladen werden.',
  kudosGiveFailed: (_f: Formatters, reason: string) => `Deine Kudos wurden nicht gespeichert: ${reason}`,
  kudosWithdrawFailed: (_f: Formatters, reason: string) => `Deine Kudos wurden nicht zurückgenommen: ${reason}`,
  retry: 'Erneut versuchen',
  errorOffline: 'das Netzwerk ist nicht erreichbar.',
  errorTimeout: 'der Server hat zu lange nicht geantwortet.',
  errorSignIn: 'deine Anmeldung ist abgelaufen; lade die Seite neu.',
  errorForbidden: 'das darfst du nicht.',
  errorServer: 'der Server hatte ein Problem; versuch es gleich noch einmal.',
  errorAlreadyGiven: 'du hast hier schon Kudos gegeben.',
  errorSelf: 'Kudos sind ein Dank an andere.',
};
