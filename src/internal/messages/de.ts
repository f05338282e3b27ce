// Types only: a value imported from `i18n.ts` here would make Rolldown split it into a chunk of its own.
import type { Unit, Written } from '../i18n.js';
import type { en } from './en.js';

/** German for the shared strings; loaded only on pages (or elements) that speak German. */
export default {
  you: 'dir',
  retry: 'Erneut versuchen',
  errorOffline: 'das Netzwerk ist nicht erreichbar.',
  errorTimeout: 'der Server hat zu lange nicht geantwortet.',
  errorSignIn: 'deine Anmeldung ist abgelaufen; lade die Seite neu.',
  errorForbidden: 'das darfst du nicht.',
  errorServer: 'der Server hatte ein Problem; versuch es gleich noch einmal.',
  errorAlreadyGiven: 'du hast hier schon Kudos gegeben.',
  errorSelf: 'Kudos sind ein Dank an andere.',
} satisfies typeof en;

const pad = (n: number) => String(n).padStart(2, '0');

const DE_UNITS: Record<Unit, [one: string, other: string]> = {
  second: ['Sekunde', 'Sekunden'],
  minute: ['Minute', 'Minuten'],
  hour: ['Stunde', 'Stunden'],
  day: ['Tag', 'Tagen'],
  week: ['Woche', 'Wochen'],
  month: ['Monat', 'Monaten'],
  year: ['Jahr', 'Jahren'],
};
/** German's words for last, this and next (and the day before yesterday, after tomorrow) by unit. */
const DE_NEAR: Partial<Record<Unit, Record<number, string>>> = {
  second: { 0: 'jetzt' },
  minute: { 0: 'in dieser Minute' },
  hour: { 0: 'in dieser Stunde' },
  day: { [-2]: 'vorgestern', [-1]: 'gestern', 0: 'heute', 1: 'morgen', 2: 'übermorgen' },
  week: { [-1]: 'letzte Woche', 0: 'diese Woche', 1: 'nächste Woche' },
  month: { [-1]: 'letzten Monat', 0: 'diesen Monat', 1: 'nächsten Monat' },
  year: { [-1]: 'letztes Jahr', 0: 'dieses Jahr', 1: 'nächstes Jahr' },
};

/** German dates, relative times, lists and numbers, as CLDR writes them (see `WRITTEN` in `i18n.ts`). */
export const formats: Written = {
  date: (d) => `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()}`,
  dateTime: (d) => `${formats.date(d)}, ${pad(d.getHours())}:${pad(d.getMinutes())}`,
  relative: (value, unit) => {
    const near = DE_NEAR[unit]?.[value];
    if (near) return near;
    const text = `${Math.abs(value)} ${DE_UNITS[unit][Math.abs(value) === 1 ? 0 : 1]}`;
    return value < 0 ? `vor ${text}` : `in ${text}`;
  },
  list: (items) => (items.length < 3 ? items.join(' und ') : `${items.slice(0, -1).join(', ')} und ${items.at(-1) ?? ''}`),
  group: '.',
};
