import { expect, waitUntil } from '@open-wc/testing';
import { autoload, discover } from '../../src/internal/autoload.js';
import { addMessages, loadMessages, translator } from '../../src/internal/i18n.js';

let counter = 0;
function uniqueTag(): string {
  counter += 1;
  return `guild-test-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

function defineLater(tag: string, calls: string[]): () => Promise<void> {
  return () => {
    calls.push(tag);
    customElements.define(tag, class extends HTMLElement {});
    return Promise.resolve();
  };
}

describe('autoload', () => {
  afterEach(() => {
    for (const el of document.querySelectorAll('[data-autoload-test]')) el.remove();
  });

  it('loads an element only once its tag appears, and only once however often it appears', async () => {
    const tag = uniqueTag();
    const calls: string[] = [];
    autoload({ [tag]: defineLater(tag, calls) });
    await Promise.resolve();
    expect(calls).to.deep.equal([]);
    const holder = document.createElement('section');
    holder.dataset['autoloadTest'] = '';
    holder.innerHTML = `<${tag}></${tag}><p><${tag}></${tag}></p>`;
    document.body.append(holder);
    await waitUntil(() => customElements.get(tag), 'the tag was not defined');
    holder.append(document.createElement(tag));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).to.deep.equal([tag]);
  });

  it('finds tags already in the page when it starts, and inside shadow roots when asked', async () => {
    const present = uniqueTag();
    const hidden = uniqueTag();
    const calls: string[] = [];
    const existing = document.createElement(present);
    existing.dataset['autoloadTest'] = '';
    document.body.append(existing);
    const host = document.createElement('div');
    host.dataset['autoloadTest'] = '';
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = `<${hidden}></${hidden}>`;
    document.body.append(host);
    autoload({ [present]: defineLater(present, calls), [hidden]: defineLater(hidden, calls) });
    await waitUntil(() => customElements.get(present));
    expect(customElements.get(hidden), 'the document observer cannot see inside a shadow root').to.equal(undefined);
    await discover(root);
    expect(customElements.get(hidden)).to.not.equal(undefined);
    expect(calls).to.have.members([present, hidden]);
  });

  it('tries a failed chunk again the next time the tag appears', async () => {
    const tag = uniqueTag();
    let attempts = 0;
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      autoload({
        [tag]: () => {
          attempts += 1;
          if (attempts === 1) return Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
          customElements.define(tag, class extends HTMLElement {});
          return Promise.resolve();
        },
      });
      const first = document.createElement(tag);
      first.dataset['autoloadTest'] = '';
      document.body.append(first);
      await waitUntil(() => errors.length === 1, 'the failure was not reported');
      const second = document.createElement(tag);
      second.dataset['autoloadTest'] = '';
      document.body.append(second);
      await waitUntil(() => customElements.get(tag), 'the second attempt did not define the tag');
      expect(attempts).to.equal(2);
    } finally {
      console.error = original;
    }
  });
});

describe('lazily loaded translations', () => {
  it('speaks English until a language has loaded, and loads each language once', async () => {
    let loads = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    addMessages({ you: 'you' }, {
      fr: async () => {
        loads += 1;
        await gate;
        return { default: { you: 'toi' } };
      },
    });
    const french = translator('fr-FR');
    const pending = loadMessages('fr-FR');
    expect(pending).to.be.instanceOf(Promise);
    expect(french.t('you')).to.equal('you');
    expect(loadMessages('fr-CA'), 'a second request for the same language waits for the same load').to.be.instanceOf(Promise);
    release();
    await pending;
    expect(french.t('you')).to.equal('toi');
    expect(loadMessages('fr')).to.equal(undefined);
    expect(loads).to.equal(1);
  });
});

describe('formatting without Intl where it changes nothing', () => {
  it('writes small integers and picks "one" exactly as Intl does, in every language it skips Intl for', async () => {
    for (const locale of ['en', 'en-GB', 'de', 'de-CH', 'fr', 'nl', 'sv', 'it', 'fi', 'pl', 'ja']) {
      // Once the language's strings are there: until then an element speaks, and writes, English.
      await loadMessages(locale);
      const { formatters } = translator(locale);
      const numbers = new Intl.NumberFormat(locale);
      const plurals = new Intl.PluralRules(locale);
      for (const n of [0, 1, 2, 5, 11, 21, 101, 999, 1000, 1200, 12345]) {
        expect(formatters.number(n), `${locale} ${n}`).to.equal(numbers.format(n));
        const expected = plurals.select(n) === 'one' ? 'one' : 'other';
        expect(formatters.plural(n, { one: 'one', other: 'other' }), `${locale} plural ${n}`).to.equal(expected);
      }
    }
  });
});
