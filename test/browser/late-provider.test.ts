// A `<guild-provider>` whose code arrives after the code of the elements inside it: on a script-tag
// page each tag's chunk loads on its own, so either may come first.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/define/kudos-button.js';
import type { GuildKudosButton } from '../../src/elements/kudos-button/kudos-button.js';
import { autoload } from '../../src/internal/autoload.js';
import { configure } from '../../src/internal/config.js';
import { shadow, text } from './dom.js';
import { EventStreamMock, json, mockApi, summary, testConfig } from './mock-api.js';

describe('a provider whose code arrives late', () => {
  it('holds the elements inside it until it is defined, so they never read with the page’s settings', async () => {
    const subject = 'late-provider/lesson-1';
    const api = mockApi({
      'GET /provider-api/kudos/summaries': () => json({ items: [summary(subject, { count: 4 })] }),
      'GET /provider-api/events': new EventStreamMock().handler,
      'GET /page-api/kudos/summaries': () => json({ items: [summary(subject, { count: 99 })] }),
      'GET /page-api/events': new EventStreamMock().handler,
    });
    configure({ ...testConfig, fetch: api.fetch, api: '/page-api' });
    let release: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      release = resolve;
    });
    autoload({ 'guild-provider': () => arrived.then(() => import('../../src/define/provider.js')) });

    const wrapper = await fixture(html`<guild-provider api="/provider-api"><guild-kudos-button subject=${subject}></guild-kudos-button></guild-provider>`);
    const button = wrapper.querySelector<GuildKudosButton>('guild-kudos-button');
    if (!button) throw new Error('missing');
    // Its own code is here, its provider's is not: it waits rather than reading from the page's API.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(api.callsTo('GET', '/page-api/kudos/summaries'), 'nothing read with the page’s settings').to.have.length(0);

    release();
    await waitUntil(() => shadow(button).querySelector('.count'), 'never rendered after its provider arrived', { timeout: 3000 });
    expect(text(button, '.count')).to.equal('4');
    expect(api.callsTo('GET', '/page-api/kudos/summaries')).to.have.length(0);
    expect(api.unhandled).to.deep.equal([]);
  });
});
