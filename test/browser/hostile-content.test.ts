import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import fc from 'fast-check';
import { render } from 'lit';
import '../../src/define/knowledge-card.js';
import '../../src/define/kudos-button.js';
import { configure, pageConfig } from '../../src/internal/config.js';
import { parseMarkdown, renderMarkdown } from '../../src/internal/markdown.js';
import { safeUrl } from '../../src/internal/safe-url.js';
import { card, cardData, cardRoutes, EventStreamMock, json, mockApi, person, summary, testConfig } from './mock-api.js';

const BASE = 'https://guild.test/api';
const ALLOWED_TAGS = new Set(['P', 'STRONG', 'EM', 'CODE', 'PRE', 'A', 'IMG', 'BR', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'HR']);
const ALLOWED_ATTRIBUTES = new Set(['href', 'rel', 'target', 'src', 'alt', 'loading', 'referrerpolicy', 'class', 'start', 'data-language']);

/** The Big List of Naughty Strings, loaded once (test/fixtures/README.md says where it comes from). */
let naughtyStrings: string[] = [];
before(async () => {
  const list: unknown = await (await fetch(new URL('../fixtures/blns.json', import.meta.url))).json();
  naughtyStrings = Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
});

/** Every way a page can be made to run script or talk back, counted instead of obeyed. */
const fired: string[] = [];
for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
  Object.defineProperty(window, name, { configurable: true, value: (...args: unknown[]) => fired.push(`${name}(${args.join(',')})`) });
}

/** The hostile inputs of our own: script, handlers, schemes and their disguises, in every syntax we parse. */
function hostileInputs(): string[] {
  const schemes = [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '\u0001javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '&#106;avascript:alert(1)',
    '&#x6A;avascript:alert(1)',
    'javascript&colon;alert(1)',
    'jav&#x09;ascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'blob:https://guild.test/x',
    '\\\\evil.test\\share',
    '//evil.test/%0ajavascript:alert(1)',
    'javascript://%0aalert(1)',
    'livescript:alert(1)',
    'mocha:alert(1)',
  ];
  const markup = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<style>*{display:none}</style>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<a href="javascript:alert(1)">x</a>',
    '<body onload=alert(1)>',
    '<details open ontoggle=alert(1)>',
    '"><script>alert(1)</script>',
    "'-alert(1)-'",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<x onclick=alert(1)>click</x>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<template><script>alert(1)</script></template>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel=import href="data:text/html,<script>alert(1)</script>">',
  ];
  const inputs: string[] = [...markup];
  for (const scheme of schemes) {
    inputs.push(
      `[click](${scheme})`,
      `[click](<${scheme}>)`,
      `![pic](${scheme})`,
      `<${scheme}>`,
      `[**bold** link](${scheme} "title")`,
      `> quoted [x](${scheme})`,
      `- item [x](${scheme})`,
      `\`code\` [x](${scheme}) *em*`,
    );
  }
  for (const tag of markup) {
    inputs.push(`**${tag}**`, `[${tag}](https://ok.test)`, `![${tag}](https://ok.test/i.png)`, `\`${tag}\``, `\`\`\`\n${tag}\n\`\`\``, `> ${tag}`, `1. ${tag}`);
  }
  inputs.push('['.repeat(5000), '*'.repeat(5000), '> '.repeat(500) + 'deep', '- '.repeat(500) + 'deep', '`'.repeat(3000), '![](' + 'a'.repeat(5000));
  return inputs;
}

/** What must hold of any rendered user content. */
function assertSafe(container: Element, input: string): void {
  for (const element of container.querySelectorAll('*')) {
    expect(ALLOWED_TAGS.has(element.tagName), `<${element.tagName.toLowerCase()}> from ${JSON.stringify(input)}`).to.equal(true);
    for (const attribute of element.attributes) {
      expect(ALLOWED_ATTRIBUTES.has(attribute.name), `${attribute.name}= from ${JSON.stringify(input)}`).to.equal(true);
    }
    const url = element.getAttribute('href') ?? element.getAttribute('src');
    if (url !== null) {
      expect(/^(https?:|mailto:)/.test(url), `URL ${url} from ${JSON.stringify(input)}`).to.equal(true);
      if (element.tagName === 'IMG') expect(url.startsWith('http'), `image ${url}`).to.equal(true);
    }
  }
}

describe('hostile content', () => {
  let container: HTMLElement;

  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    fired.length = 0;
  });

  afterEach(() => {
    container.remove();
    fixtureCleanup();
    pageConfig.set({});
  });

  it('counts script that runs (the hook itself works)', () => {
    window.alert('self-test');
    const script = document.createElement('img');
    script.setAttribute('onerror', 'confirm("self-test")');
    script.src = 'data:,not-an-image';
    container.append(script);
    return waitUntil(() => fired.length === 2, 'the hooks did not fire').then(() => {
      expect(fired).to.deep.equal(['alert(self-test)', 'confirm(self-test)']);
    });
  });

  it(`renders the Big List of Naughty Strings and ${hostileInputs().length} hostile inputs without running anything`, async () => {
    const inputs = [...naughtyStrings, ...hostileInputs()];
    expect(inputs.length).to.be.greaterThan(700);
    for (const input of inputs) {
      render(renderMarkdown(input, BASE), container);
      assertSafe(container, input);
    }
    // Give image errors and handlers their chance to fire.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fired).to.deep.equal([]);
  });

  it('shows raw HTML as the text it is', () => {
    render(renderMarkdown('<b>bold?</b> <script>alert(1)</script>', BASE), container);
    expect(container.textContent?.trim()).to.equal('<b>bold?</b> <script>alert(1)</script>');
    expect(container.querySelector('b, script')).to.equal(null);
  });

  it('keeps its invariants on 10,000 generated documents, and renders each the same twice', () => {
    const piece = fc.oneof(
      fc.constantFrom('*', '**', '_', '`', '```\n', '[', ']', '(', ')', '![', '<', '>', '> ', '- ', '1. ', '\n', '\n\n', '  \n', '\\', '#', '---', 'http://x.test/a', 'javascript:alert(1)', '&#106;', '&colon;', 'mailto:a@b.test', '<script>', ' onerror=alert(1) ', '"', "'"),
      fc.string({ maxLength: 12 }),
    );
    const document = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
    const second = window.document.createElement('div');
    fc.assert(
      fc.property(document, (input) => {
        render(renderMarkdown(input, BASE), container);
        assertSafe(container, input);
        render(renderMarkdown(input, BASE), second);
        expect(second.innerHTML.replace(/<!--[^>]*-->/g, '')).to.equal(container.innerHTML.replace(/<!--[^>]*-->/g, ''));
        expect(JSON.stringify(parseMarkdown(input, BASE))).to.equal(JSON.stringify(parseMarkdown(input, BASE)));
      }),
      { numRuns: 10_000, seed: 20261129 },
    );
    expect(fired).to.deep.equal([]);
  });

  it('renders what people write: paragraphs, emphasis, code, lists, quotes and links', () => {
    render(
      renderMarkdown(
        'Hello **world** and *you*, `npm ci` works.\n\n- one\n- two [docs](/docs/start)\n\n> quoted\n\n```sh\nnpm test\n```\n\n2. second\n3. third',
        BASE,
      ),
      container,
    );
    const markup = container.innerHTML.replace(/<!--[^>]*-->/g, '');
    expect(markup).to.contain('<strong>world</strong>');
    expect(markup).to.contain('<em>you</em>');
    expect(markup).to.contain('<code>npm ci</code>');
    expect(container.querySelectorAll('ul > li')).to.have.length(2);
    expect(container.querySelector('a')?.getAttribute('href')).to.equal('https://guild.test/docs/start');
    expect(container.querySelector('blockquote')?.textContent?.trim()).to.equal('quoted');
    expect(container.querySelector('pre code')?.textContent).to.equal('npm test');
    expect(container.querySelector('ol')?.getAttribute('start')).to.equal('2');
  });

  it('renders the same hostile inputs as knowledge card bodies, with hostile titles and names as text', async () => {
    // Every input, packed into card bodies within the contract's 20,000 characters.
    const bodies: string[] = [];
    let current = '';
    for (const input of [...naughtyStrings, ...hostileInputs()]) {
      const piece = input.slice(0, 9_000);
      if (current.length + piece.length + 2 > 18_000) {
        bodies.push(current);
        current = '';
      }
      current += `${piece}\n\n`;
    }
    if (current) bodies.push(current);
    const title = '<img src=x onerror=alert(1)> "><script>alert(1)</script>';
    const cards = bodies.map((body, index) =>
      card(`hostile-${index}`, { body, title, summary: '<svg onload=alert(1)>', author: person('evil', '<script>alert(1)</script>'), experts: [person('x', '<b onmouseover=alert(1)>x</b>')] }),
    );
    const api = mockApi({ 'GET /api/events': new EventStreamMock().handler, ...cardRoutes(cardData(cards, null)) });
    configure({ ...testConfig, fetch: api.fetch });
    render(html`${cards.map((c) => html`<guild-knowledge-card card=${c.id}></guild-knowledge-card>`)}`, container);
    const elements = [...container.querySelectorAll('guild-knowledge-card')];
    expect(elements.length).to.be.greaterThan(2);
    for (const element of elements) {
      await waitUntil(() => element.shadowRoot?.querySelector('[part="body"]'), 'card not shown', { timeout: 4000 });
      const body = element.shadowRoot?.querySelector('[part="body"]');
      if (!body) throw new Error('no body');
      assertSafe(body, `the body of card ${element.getAttribute('card') ?? ''}`);
      expect(element.shadowRoot?.querySelector('[part="title"]')?.textContent?.trim()).to.equal(title);
      expect(element.shadowRoot?.querySelector('[part="summary"]')?.textContent).to.equal('<svg onload=alert(1)>');
      expect(element.shadowRoot?.querySelector('.people')?.textContent).to.contain('By <script>alert(1)</script>');
      expect(element.shadowRoot?.querySelector('script, img[onerror], svg, iframe, object, embed')).to.equal(null);
    }
    // All the cards in one batched read.
    expect(api.callsTo('GET', '/api/cards').filter((call) => call.url.searchParams.has('ids')).length).to.equal(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fired).to.deep.equal([]);
  });

  it('shows hostile names in the kudos button as text', async () => {
    const subject = `hostile-${Math.random().toString(36).slice(2)}`;
    const names = ['<img src=x onerror=alert(1)>', '<script>alert(1)</script>', '"><svg onload=alert(1)>', ...naughtyStrings.slice(0, 40)];
    const api = mockApi({
      'GET /api/events': new EventStreamMock().handler,
      'GET /api/kudos/summaries': () =>
        json({ items: [summary(subject, { count: 99, recentGivers: names.slice(0, 10).map((name, i) => person(`p${i}`, name || 'x')) })] }),
    });
    configure({ fetch: api.fetch });
    const el = await fixture(html`<guild-kudos-button subject=${subject}></guild-kudos-button>`);
    await waitUntil(() => el.shadowRoot?.querySelector('[part="givers"]'), 'givers not shown');
    const givers = el.shadowRoot?.querySelector('[part="givers"]');
    // Only the elements Guildkit writes (avatars, their group, the names line), never one from a name.
    const tags = [...(givers?.querySelectorAll('*') ?? [])].map((node) => `${node.localName}.${node.className}`);
    expect(new Set(tags)).to.deep.equal(new Set(['span.avatars', 'span.avatar', 'span.others', 'span.visually-hidden']));
    const attributes = [...(givers?.querySelectorAll('*') ?? [])].flatMap((node) => node.getAttributeNames());
    expect(attributes.filter((name) => name.startsWith('on'))).to.deep.equal([]);
    expect(el.shadowRoot?.querySelector('#givers')?.textContent).to.contain('<img src=x onerror=alert(1)>');
    expect(el.shadowRoot?.querySelector('.avatar')?.getAttribute('title')).to.equal('<img src=x onerror=alert(1)>');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fired).to.deep.equal([]);
  });
});

describe('safeUrl', () => {
  const cases: [string, string | undefined][] = [
    ['https://example.test/a?b=c#d', 'https://example.test/a?b=c#d'],
    ['http://example.test', 'http://example.test/'],
    ['mailto:someone@example.test', 'mailto:someone@example.test'],
    ['/relative/path', 'https://guild.test/relative/path'],
    ['page.html', 'https://guild.test/api/page.html'],
    ['HTTPS://EXAMPLE.TEST', 'https://example.test/'],
    ['javascript:alert(1)', undefined],
    ['JAVASCRIPT:alert(1)', undefined],
    ['  javascript:alert(1)', undefined],
    ['\u0000javascript:alert(1)', undefined],
    ['\u001fjavascript:alert(1)', undefined],
    ['java\u0009script:alert(1)', undefined],
    ['java\u000ascript:alert(1)', undefined],
    ['&#106;avascript:alert(1)', undefined],
    ['&#x6a;avascript:alert(1)', undefined],
    ['&#0000106avascript:alert(1)', undefined],
    ['javascript&colon;alert(1)', undefined],
    ['data:text/html;base64,PHNjcmlwdD4=', undefined],
    ['vbscript:msgbox(1)', undefined],
    ['file:///etc/passwd', undefined],
    ['ftp://example.test', undefined],
    ['https:', 'https://guild.test/api/'],
    ['x'.repeat(3000), undefined],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input.slice(0, 40))} → ${String(expected)}`, () => {
      expect(safeUrl(input, 'https://guild.test/api/')).to.equal(expected);
    });
  }

  it('only ever returns http, https or mailto URLs, on 10,000 generated inputs', () => {
    const scheme = fc.constantFrom('', 'javascript:', 'JaVaScRiPt:', 'data:', 'vbscript:', 'http://', 'https://', 'mailto:', '&#106;avascript:', '\u0001', ' ', '\t', '//');
    fc.assert(
      fc.property(scheme, fc.string({ maxLength: 30 }), scheme, (a, b, c) => {
        const result = safeUrl(a + b + c, 'https://guild.test/api/');
        if (result !== undefined) expect(/^(https?:\/\/[^/]|mailto:)/.test(result), result).to.equal(true);
      }),
      { numRuns: 10_000, seed: 20261129 },
    );
  });
});
