import type { Formatters } from '../../internal/i18n.js';
import type { kudosMessages } from './messages.js';
import type { kudosPopoverMessages } from './popover-messages.js';

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
  kudosAddMessage: 'Nachricht oder Wert hinzufügen',
  kudosPopoverFailed: 'Das Formular für eine Nachricht oder einen Wert konnte nicht geladen werden.',
  kudosPopoverTitle: (_f: Formatters, name: string) => (name ? `${name} danken` : 'Danke sagen'),
  kudosValueLegend: 'Wofür? (optional)',
  kudosValueNone: 'Einfach danke',
  kudosMessageLabel: 'Nachricht (optional)',
  kudosSend: 'Kudos geben',
  kudosCancel: 'Abbrechen',
  kudosPopoverLoading: 'Wird geladen…',
  kudosAllowanceLeft: (f: Formatters, remaining: number, perWeek: number) =>
    f.plural(remaining, { zero: 'Diese Woche keine Kudos mehr übrig', one: `Noch ${f.number(remaining)} von ${f.number(perWeek)} diese Woche`, other: `Noch ${f.number(remaining)} von ${f.number(perWeek)} diese Woche` }),
  kudosAllowanceRenews: (f: Formatters, when: string) => `Wieder ab ${f.dateTime(when)}.`,
  kudosOthers: (f: Formatters, count: number) => `und ${f.number(count)} weitere`,
} satisfies typeof kudosMessages & typeof kudosPopoverMessages;
