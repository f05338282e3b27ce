import type { Formatters } from '../../internal/i18n.js';

/** The kudos popover's English strings, in the popover's own chunk (German is in `messages.de.ts`). */
export const kudosPopoverMessages = {
  kudosPopoverTitle: (_f: Formatters, name: string) => (name ? `Thank ${name}` : 'Say thanks'),
  kudosValueLegend: 'What for? (optional)',
  kudosValueNone: 'Just thanks',
  kudosMessageLabel: 'Message (optional)',
  kudosSend: 'Give kudos',
  kudosCancel: 'Cancel',
  kudosPopoverLoading: 'Loading…',
  kudosAllowanceLeft: (f: Formatters, remaining: number, perWeek: number) =>
    f.plural(remaining, { zero: 'No kudos left this week', one: `${f.number(remaining)} of ${f.number(perWeek)} left this week`, other: `${f.number(remaining)} of ${f.number(perWeek)} left this week` }),
  kudosAllowanceRenews: (f: Formatters, when: string) => `More from ${f.dateTime(when)}.`,
};
