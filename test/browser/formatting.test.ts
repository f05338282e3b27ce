import { expect, waitUntil } from '@open-wc/testing';
import { addMessages, loadMessages, relativeParts, translator } from '../../src/internal/i18n.js';

/**
 * English and German dates, relative times, lists and numbers are written out by Guildkit, so a page in
 * those locales never pays for the browser's first Intl formatter (tens of milliseconds of one task).
 * Each form must read exactly as Intl writes it.
 */
describe('formatting without Intl', () => {
  const minute = 60_000;
  const day = 24 * 60 * minute;
  /** Offsets from now, in milliseconds: every unit, both directions, singular and plural, near (not on) each unit's edges. */
  const offsets = [
    0, 20_000, -59_000, -minute, -2 * minute, 3 * minute + 5000, -59 * minute, -60 * minute, -100 * minute, 5 * 60 * minute + 5000, -23 * 60 * minute,
    -day, day + 5 * minute, -2 * day, 2 * day + 5 * minute, -3 * day, 6 * day, -7 * day, 8 * day, -13 * day, -14 * day, 21 * day + 5 * minute,
    -30 * day, 31 * day, -61 * day, 90 * day, -365 * day, 370 * day, -800 * day, 3 * 365 * day + 5 * minute,
  ];
  const dates = [new Date(2026, 10, 29, 10, 5), new Date(2026, 0, 3, 0, 0), new Date(2026, 4, 9, 23, 59), new Date(2026, 8, 9, 12, 30), new Date(1999, 11, 31, 11, 59)];
  /** What Intl says for `iso`, in the unit and value Guildkit chooses. */
  function intlRelative(locale: string, iso: string): string {
    return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(...relativeParts(iso));
  }

  it('writes dates as English while German strings load, then as German', async () => {
    const { formatters: f } = translator('de');
    const yesterday = new Date(Date.now() - day).toISOString();
    // The element shows its English strings meanwhile: "Edited yesterday", not "Edited gestern".
    expect(f.relative(yesterday)).to.equal('yesterday');
    await loadMessages('de');
    expect(f.relative(yesterday)).to.equal('gestern');
    // Another element's German strings, still on their way, change nothing once German has loaded
    // once: nor for a German locale that Intl writes (Swiss German), in German.
    addMessages({}, { de: () => new Promise((resolve) => setTimeout(() => resolve({ default: {} }), 50)) });
    const more = loadMessages('de');
    expect(f.relative(yesterday)).to.equal('gestern');
    expect(translator('de-CH').formatters.dateTime(new Date(2026, 10, 29, 10, 5).toISOString())).to.equal(
      new Intl.DateTimeFormat('de-CH', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(2026, 10, 29, 10, 5)),
    );
    await more;
  });

  for (const locale of ['en', 'en-US', 'de', 'de-DE']) {
    it(`writes ${locale} as Intl does`, async () => {
      await loadMessages(locale);
      const { formatters: f } = translator(locale);
      const now = Date.now();
      for (const ms of offsets) {
        const iso = new Date(now + ms).toISOString();
        expect(f.relative(iso), `${ms} ms`).to.equal(intlRelative(locale, iso));
      }
      const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
      for (const date of dates) expect(f.dateTime(date.toISOString())).to.equal(dateTime.format(date));
      const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
      for (const date of dates) expect(f.date(date.toISOString())).to.equal(day.format(date));
      const names = ['Zebra', 'Ärger', 'apple', 'Apple', 'Öl', 'Banane', 'ober', 'Arbeit', 'äpfel', 'Äpfel', 'Onboarding', 'Safety', 'security', 'Éclair', 'eclair', 'Eclair', 'éclair', 'Maßnahmen', 'Mathematik', '🎉 Events', 'Øl', 'Onboarding 2', 'On-boarding'];
      expect([...names].sort(f.compare)).to.deep.equal([...names].sort(new Intl.Collator(locale).compare));
      const list = new Intl.ListFormat(locale, { type: 'conjunction' });
      for (const items of [[], ['Ada'], ['Ada', 'Grace'], ['Ada', 'Grace', 'Linus'], ['Ada', 'Grace', 'Linus', '3 more']]) expect(f.list(items)).to.equal(list.format(items));
      const numbers = new Intl.NumberFormat(locale);
      for (const value of [0, 7, 999, 1000, 1234, 12_345, 999_999, 1_234_567, -4321, 2.5, 1234.5]) expect(f.number(value), String(value)).to.equal(numbers.format(value));
    });
  }

  it('makes no Intl formatter in English or German, and warms nothing up', async () => {
    const made: string[] = [];
    const real = { DateTimeFormat: Intl.DateTimeFormat, RelativeTimeFormat: Intl.RelativeTimeFormat, ListFormat: Intl.ListFormat, NumberFormat: Intl.NumberFormat, Collator: Intl.Collator };
    const idle = window.requestIdleCallback;
    let idleCalls = 0;
    try {
      for (const name of Object.keys(real) as (keyof typeof real)[]) {
        const Real = real[name] as unknown as new (...args: unknown[]) => object;
        Object.defineProperty(Intl, name, {
          configurable: true,
          writable: true,
          value: class extends Real {
            constructor(...args: unknown[]) {
              super(...args);
              made.push(name);
            }
          },
        });
      }
      window.requestIdleCallback = (run, options) => {
        idleCalls += 1;
        return idle(run, options);
      };
      for (const locale of ['EN-us', 'de']) {
        const i18n = translator(locale);
        i18n.warmUp();
        i18n.formatters.relative(new Date(Date.now() - 3 * day).toISOString());
        i18n.formatters.dateTime(new Date().toISOString());
        i18n.formatters.list(['Ada', 'Grace', 'Linus']);
        i18n.formatters.number(12_345);
        i18n.formatters.date(new Date().toISOString());
        ['b', 'a'].sort(i18n.formatters.compare);
      }
      expect(made).to.deep.equal([]);
      expect(idleCalls).to.equal(0);
      // Any other locale asks Intl, and makes its formatters while the page is idle.
      const french = translator('fr-CA');
      french.warmUp();
      expect(french.formatters.relative(new Date(Date.now() - day).toISOString())).to.equal('hier');
      expect(made).to.include('RelativeTimeFormat');
      await waitUntil(() => idleCalls >= 1, 'no idle warm-up for French');
    } finally {
      Object.assign(Intl, real);
      window.requestIdleCallback = idle;
    }
  });
});
