import { GuildApiError } from '../api/errors.js';
import type { badgeWallMessages } from '../elements/badge-wall/messages.js';
import type { badgeCatalogueMessages } from '../elements/badge-wall/catalogue-messages.js';
import type { badgeDetailMessages } from '../elements/badge-wall/detail-messages.js';
import type { badgeVerificationMessages } from '../elements/badge-wall/verification-messages.js';
import type { threadMessages } from '../elements/discussion-thread/messages.js';
import type { commentToolsMessages, composerMessages } from '../elements/discussion-thread/tools-messages.js';
import type { cardEditorMessages } from '../elements/knowledge-card/editor-messages.js';
import type { knowledgeCardMessages } from '../elements/knowledge-card/messages.js';
import type { cardPanelMessages } from '../elements/knowledge-card/panel-messages.js';
import type { kudosMessages } from '../elements/kudos-button/messages.js';
import type { kudosPopoverMessages } from '../elements/kudos-button/popover-messages.js';
import type { spotlightMessages } from '../elements/spotlight/messages.js';
import { en } from './messages/en.js';

/** Locale-aware formatting handed to every message. */
export interface Formatters {
  readonly locale: string;
  number(value: number): string;
  plural(count: number, forms: { one: string; other: string; zero?: string }): string;
  list(items: string[]): string;
  /** "3 minutes ago", "yesterday", in the element's language. */
  relative(iso: string): string;
  /** The full date and time, for a tooltip. */
  dateTime(iso: string): string;
  /** The day without the time: "Nov 29, 2026". */
  date(iso: string): string;
  /** Orders two names for a list, as a reader of the language expects. */
  compare(a: string, b: string): number;
}

/** Every message of every element, as English defines it (types only: each element ships its own). */
export type Catalogue = typeof en & typeof kudosMessages & typeof kudosPopoverMessages & typeof threadMessages & typeof composerMessages & typeof commentToolsMessages & typeof spotlightMessages & typeof badgeWallMessages & typeof badgeCatalogueMessages & typeof badgeDetailMessages & typeof badgeVerificationMessages & typeof knowledgeCardMessages & typeof cardEditorMessages & typeof cardPanelMessages;

type Messages = Record<string, unknown>;
/** Loads one element's (or the shared) strings in one language. */
export type TranslationLoader = () => Promise<{ default: Messages }>;

/** Strings by language. English is complete as soon as an element's module runs; others load lazily. */
const dictionaries = new Map<string, Messages>([['en', { ...en }]]);
const loaders = new Map<string, TranslationLoader[]>();
const loading = new Map<string, Promise<void>>();

/**
 * Adds an element's strings: its English ones now, loaders for other languages to run when an
 * element first speaks one of them (a German page fetches German; an English page fetches nothing).
 */
export function addMessages(english: Messages, translations: Record<string, TranslationLoader>): void {
  Object.assign(dictionaries.get('en') ?? {}, english);
  for (const [language, loader] of Object.entries(translations)) loaders.set(language, [...(loaders.get(language) ?? []), loader]);
}

addMessages({}, {
  de: () =>
    import('./messages/de.js').then((module) => {
      forms.set('de', module.formats);
      return module;
    }),
});

function baseLanguage(locale: string): string {
  return locale.toLowerCase().split('-')[0] ?? 'en';
}

/**
 * Loads the strings of `locale` that are not loaded yet; resolves when they are. `undefined` when
 * nothing is missing, so the caller renders at once.
 */
export function loadMessages(locale: string): Promise<void> | undefined {
  const language = baseLanguage(locale);
  const pending = loaders.get(language);
  if (!pending?.length) return loading.get(language);
  loaders.set(language, []);
  const dictionary = dictionaries.get(language) ?? {};
  dictionaries.set(language, dictionary);
  const previous = loading.get(language) ?? Promise.resolve();
  const next = Promise.all([previous, ...pending.map((load) => load().then((module) => Object.assign(dictionary, module.default)))]).then(
    () => {
      spoken.add(language);
    },
    (error: unknown) => {
      // English stays in place; the next element to connect tries the missing language again.
      loaders.set(language, [...(loaders.get(language) ?? []), ...pending]);
      console.warn(`Guildkit: strings for "${language}" could not be loaded.`, error);
    },
  );
  loading.set(language, next);
  void next.then(() => {
    if (loading.get(language) === next) loading.delete(language);
  });
  return next;
}

/** Languages whose default digits are 0–9 (CLDR), for which small integers need no formatter. */
const LATIN_DIGITS = new Set(['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'sv', 'da', 'nb', 'nn', 'no', 'fi', 'et', 'pl', 'cs', 'sk', 'hu', 'ro', 'tr', 'el', 'ru', 'uk', 'ja', 'zh', 'ko', 'he', 'id', 'vi', 'lv', 'lt', 'sl', 'hr', 'sr', 'bg', 'ca', 'is', 'ga']);
/** Languages whose plural rule for whole numbers is "one when exactly 1" (CLDR `i = 1 and v = 0`). */
const ONE_IS_ONE = new Set(['en', 'de', 'nl', 'sv', 'da', 'nb', 'nn', 'no', 'it', 'fi', 'et', 'ca']);

export type Unit = 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';

const UNITS: [Unit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/**
 * "3 minutes ago" as `[-3, 'minute']`: the largest unit that fits, `[0, 'second']` under a minute.
 * @internal Exported for the test that holds the written forms equal to Intl's.
 */
export function relativeParts(iso: string): [number, Unit] {
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return [Math.round(seconds / size), unit];
  }
  return [0, 'second'];
}

/** Dates, relative times, lists and grouped integers, as CLDR writes them for one locale. */
export interface Written {
  dateTime(date: Date): string;
  date(date: Date): string;
  relative(value: number, unit: Unit): string;
  list(items: string[]): string;
  group: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const EN_MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
const english: Written = {
  date: (d) => `${EN_MONTHS[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()}`,
  dateTime: (d) => `${english.date(d)}, ${d.getHours() % 12 || 12}:${pad(d.getMinutes())} ${d.getHours() < 12 ? 'AM' : 'PM'}`,
  relative: (value, unit) => {
    if (!value) return unit === 'second' ? 'now' : unit === 'day' ? 'today' : `this ${unit}`;
    if (unit === 'day' && Math.abs(value) === 1) return value < 0 ? 'yesterday' : 'tomorrow';
    if (Math.abs(value) === 1 && unit !== 'second' && unit !== 'minute' && unit !== 'hour') return `${value < 0 ? 'last' : 'next'} ${unit}`;
    const text = `${Math.abs(value)} ${unit}${Math.abs(value) === 1 ? '' : 's'}`;
    return value < 0 ? `${text} ago` : `in ${text}`;
  },
  list: (items) => (items.length < 3 ? items.join(' and ') : `${items.slice(0, -1).join(', ')}, and ${items.at(-1) ?? ''}`),
  group: ',',
};

/**
 * English and German order, without a collator (the first one costs 30–70 ms of locale data): by the
 * letters ("Ärger" with "arger"), then unaccented before accented, then lower case before upper case.
 * `undefined` unless both names are letters that decompose to a–z, digits, spaces and hyphens: "ß",
 * "ø" or an emoji are left to the collator.
 */
function compareWritten(a: string, b: string): number | undefined {
  const keys = (text: string) => {
    const decomposed = text.normalize('NFD');
    const lower = decomposed.toLowerCase();
    const swapped = [...decomposed].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
    return [lower.replace(/\p{M}/gu, ''), lower, swapped];
  };
  const [x, y] = [keys(a), keys(b)];
  if (!/^[a-z0-9 -]*$/.test(x[0] ?? '') || !/^[a-z0-9 -]*$/.test(y[0] ?? '')) return undefined;
  for (let i = 0; i < 3; i += 1) {
    const [p, q] = [x[i] ?? '', y[i] ?? ''];
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

/**
 * The locales written out rather than asked of Intl, by the language whose forms they take: the
 * browser's first Intl formatter on a page costs it 34–64 ms of one main-thread task (its locale
 * data), which a page in these locales never pays. German's forms travel with its strings
 * (`messages/de.ts`). Tests hold every form equal to Intl's.
 */
const WRITTEN: Record<string, string> = { en: 'en', 'en-us': 'en', de: 'de', 'de-de': 'de' };
const forms = new Map<string, Written>([['en', english]]);
/** Languages whose strings have loaded once (English needs no loading). */
const spoken = new Set(['en']);

type MessageArgs<K extends keyof Catalogue> = Catalogue[K] extends (f: Formatters, ...args: infer A) => string ? A : [];

/** The catalogue and formatters for one language, with English as the fallback. */
export class Translator {
  readonly formatters: Formatters;
  #warmers: (() => unknown)[] = [];
  #warming = false;
  readonly #language: string;

  constructor(readonly locale: string) {
    this.#language = baseLanguage(locale);
    // The common cases without Intl at all: counts under 1,000 in a language written with Latin digits
    // look the same formatted or not, and "one" is exactly 1 in these languages' plural rules.
    const simpleDigits = LATIN_DIGITS.has(this.#language);
    const simpleOne = ONE_IS_ONE.has(this.#language);
    // Each Intl formatter is made on first use: the first one of a kind costs the browser tens of
    // milliseconds of locale data, and most elements need only one or two kinds.
    const lazy = <T>(make: () => T): (() => T) => {
      let made: T | undefined;
      return () => (made ??= make());
    };
    const numbers = lazy(() => new Intl.NumberFormat(locale));
    const plurals = lazy(() => new Intl.PluralRules(locale));
    const lists = lazy(() => new Intl.ListFormat(locale, { type: 'conjunction' }));
    const relative = lazy(() => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
    const dates = lazy(() => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }));
    const days = lazy(() => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }));
    const collator = lazy(() => new Intl.Collator(locale));
    // Until a language's strings have loaded once, the element speaks English, and writes as English does.
    const language = this.#language;
    const own = WRITTEN[locale.toLowerCase()];
    const writtenFor = (): Written | undefined => {
      if (own) return forms.get(own) ?? english;
      return !spoken.has(language) && (loading.has(language) || !!loaders.get(language)?.length) ? english : undefined;
    };
    this.#warmers = own ? [] : [numbers, plurals, lists, relative, dates, days, collator];
    this.formatters = {
      locale,
      number: (value) => {
        const written = writtenFor();
        if (simpleDigits && Number.isInteger(value) && Math.abs(value) < 1000) return String(value);
        return written && Number.isSafeInteger(value) ? String(value).replace(/\B(?=(\d{3})+$)/g, written.group) : numbers().format(value);
      },
      plural: (count, forms) => {
        if (count === 0 && forms.zero) return forms.zero;
        const one = simpleOne && Number.isInteger(count) ? count === 1 : plurals().select(count) === 'one';
        return one ? forms.one : forms.other;
      },
      list: (items) => writtenFor()?.list(items) ?? lists().format(items),
      relative: (iso) => writtenFor()?.relative(...relativeParts(iso)) ?? relative().format(...relativeParts(iso)),
      dateTime: (iso) => writtenFor()?.dateTime(new Date(iso)) ?? dates().format(new Date(iso)),
      date: (iso) => writtenFor()?.date(new Date(iso)) ?? days().format(new Date(iso)),
      compare: (a, b) => (writtenFor() ? compareWritten(a, b) : undefined) ?? collator().compare(a, b),
    };
  }

  /**
   * Makes the formatters while the page is idle (one per idle slot), so the browser's locale data is
   * loaded while the element waits for its data, not when that data arrives. Nothing to do in the
   * locales written out here (see `WRITTEN`).
   */
  warmUp(): void {
    if (this.#warming) return;
    this.#warming = true;
    const idle: (run: () => void) => void =
      typeof requestIdleCallback === 'function' ? (run) => requestIdleCallback(run, { timeout: 2000 }) : (run) => setTimeout(run, 50);
    const next = (index: number) => {
      const warm = this.#warmers[index];
      if (!warm) return;
      idle(() => {
        warm();
        next(index + 1);
      });
    };
    next(0);
  }

  t<K extends keyof Catalogue>(key: K, ...args: MessageArgs<K>): string {
    const message: unknown = dictionaries.get(this.#language)?.[key] ?? dictionaries.get('en')?.[key];
    if (typeof message === 'function') return String(Reflect.apply(message, undefined, [this.formatters, ...args]));
    return String(message);
  }

  /** A short, human reason for a failed request, to follow "…was not saved:". */
  reason(error: unknown): string {
    if (!(error instanceof GuildApiError)) return this.t('errorServer');
    if (error.kind === 'network') return this.t('errorOffline');
    if (error.kind === 'timeout') return this.t('errorTimeout');
    if (error.status === 401) return this.t('errorSignIn');
    if (error.status === 403) return this.t('errorForbidden');
    if (error.code === 'already-given') return this.t('errorAlreadyGiven');
    if (error.code === 'self-kudos') return this.t('errorSelf');
    if (error.status >= 400 && error.status < 500 && error.problem.detail) return error.problem.detail;
    return this.t('errorServer');
  }
}

const translators = new Map<string, Translator>();

export function translator(locale: string): Translator {
  let found = translators.get(locale);
  if (!found) {
    found = new Translator(locale);
    translators.set(locale, found);
  }
  return found;
}

/** The language an element speaks: its own `lang`, else the nearest `[lang]` ancestor (across shadow roots), else the page's. */
export function languageOf(element: Element): string {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element && node.getAttribute('lang')) return node.getAttribute('lang') ?? 'en';
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return document.documentElement.lang || navigator.language || 'en';
}
