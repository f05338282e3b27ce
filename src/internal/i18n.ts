import { GuildApiError } from '../api/errors.js';
import { de } from './messages/de.js';
import { en, type Catalogue } from './messages/en.js';

/** Locale-aware formatting handed to every message. */
export interface Formatters {
  readonly locale: string;
  number(value: number): string;
  plural(count: number, forms: { one: string; other: string; zero?: string }): string;
  list(items: string[]): string;
}

const catalogues: Record<string, Catalogue> = { en, de };

type MessageArgs<K extends keyof Catalogue> = Catalogue[K] extends (f: Formatters, ...args: infer A) => string ? A : [];

/** The catalogue and formatters for one language, with English as the fallback. */
export class Translator {
  readonly formatters: Formatters;
  readonly #catalogue: Catalogue;

  constructor(readonly locale: string) {
    this.#catalogue = catalogues[locale.toLowerCase().split('-')[0] ?? 'en'] ?? en;
    const numbers = new Intl.NumberFormat(locale);
    const plurals = new Intl.PluralRules(locale);
    const lists = new Intl.ListFormat(locale, { type: 'conjunction' });
    this.formatters = {
      locale,
      number: (value) => numbers.format(value),
      plural: (count, forms) => (count === 0 && forms.zero ? forms.zero : plurals.select(count) === 'one' ? forms.one : forms.other),
      list: (items) => lists.format(items),
    };
  }

  t<K extends keyof Catalogue>(key: K, ...args: MessageArgs<K>): string {
    const message: unknown = this.#catalogue[key];
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
