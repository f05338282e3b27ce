// The kudos popover loads on first use; here its code cannot be fetched. This file registers the
// button alone (not `define/kudos-button.js`, which registers the popover up front).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { GuildKudosButton } from '../../src/elements/kudos-button/kudos-button.js';
import { autoload } from '../../src/internal/autoload.js';
import { configure } from '../../src/internal/config.js';
import { define } from '../../src/internal/define.js';
import { shadow, text } from './dom.js';
import { EventStreamMock, fakeToken, json, me, mockApi, person, summary, testConfig } from './mock-api.js';

define('guild-kudos-button', GuildKudosButton);

describe('a kudos popover whose code cannot be fetched', () => {
  it('opens nothing, says why, and keeps the focus on its button', async () => {
    const subject = 'kudos-lazy/lesson-1';
    const api = mockApi({
      'GET /api/me': () => json(me('linus')),
      'GET /api/events': new EventStreamMock().handler,
      'GET /api/kudos/summaries': () => json({ items: [summary(subject, { count: 2, recipient: person('grace', 'Grace Lindqvist') })] }),
    });
    configure({ ...testConfig, fetch: api.fetch, getToken: () => fakeToken('linus') });
    let attempts = 0;
    const original = console.error;
    console.error = () => undefined;
    autoload({
      'guild-kudos-popover': () => {
        attempts += 1;
        return Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
      },
    });
    try {
      const el = await fixture<GuildKudosButton>(html`<guild-kudos-button subject=${subject}></guild-kudos-button>`);
      await waitUntil(() => shadow(el).querySelector('button.more'), 'no popover button');
      const more = shadow(el).querySelector<HTMLButtonElement>('button.more');
      more?.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => text(el, '[role="status"]') !== '', 'nothing announced');
      expect(attempts).to.equal(1);
      expect(text(el, '[role="status"]')).to.equal('The form for a message or a value could not be loaded.');
      expect(shadow(el).querySelector('guild-kudos-popover')).to.equal(null);
      expect(more?.getAttribute('aria-expanded')).to.equal('false');
      expect(more?.getAttribute('aria-busy')).to.equal('false');
      expect(shadow(el).activeElement).to.equal(more);
      await expect(el).to.be.accessible();
    } finally {
      console.error = original;
    }
  });
});
