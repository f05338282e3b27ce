import type { Decorator, Loader, Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, userEvent, waitFor } from 'storybook/test';
import '../src/define/knowledge-card.js';
import type { GuildKnowledgeCard } from '../src/elements/knowledge-card/knowledge-card.js';
import { configure, defaultConfig } from '../src/internal/config.js';
import { cardFor, createCardApi, people, signedIn, type Card, type CardScenario, type Me } from './mock-api.js';

interface CardArgs {
  card?: string;
  view?: 'full' | 'compact';
  new?: boolean;
  edit?: boolean;
  community?: string;
  tag?: string;
  status?: 'published' | 'draft';
  lang?: 'en' | 'de';
  theme?: 'light' | 'dark' | 'auto';
}

type Story = StoryObj<CardArgs>;

const COMMUNITY = 'c-engineering';
/** Margaret, an expert of the stories' main card: she may verify and edit it. */
const expert = signedIn;
/** Katherine, a member who is neither author nor expert. */
const member: Me = { person: people.katherine, memberships: [{ communityId: COMMUNITY, personId: people.katherine.id, role: 'member', since: '2024-03-01T09:00:00.000Z' }] };

function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

const verified = cardFor('c-1', {
  experts: [people.margaret, people.grace],
  lastEditor: people.grace,
  version: 3,
  credited: people.linus,
  trust: { state: 'verified', verifiedBy: people.margaret, verifiedAt: daysFromNow(-10), reviewBy: daysFromNow(80) },
  helpful: { yes: 14, no: 1, myVote: null },
  views: 230,
});
const related: Card[] = [
  cardFor('c-2', { title: 'Debugging a flaky browser test', summary: 'Reproduce, isolate, fix.', tags: ['testing'], trust: { state: 'verified', verifiedBy: people.grace, verifiedAt: daysFromNow(-3), reviewBy: daysFromNow(87) } }),
  cardFor('c-3', { title: 'Writing your first test', summary: 'Fixtures, axe, keyboard.', tags: ['testing', 'onboarding'] }),
];
const history = {
  'c-1': [
    { version: 3, title: verified.title, summary: verified.summary, body: verified.body, tags: verified.tags, editor: people.grace, createdAt: daysFromNow(-12) },
    { version: 2, title: 'Running one test', summary: verified.summary, body: 'Use `npx wtr --files`.', tags: ['testing'], editor: people.margaret, createdAt: daysFromNow(-40) },
    { version: 1, title: 'Running one test', summary: '', body: 'Ask in #testing.', tags: [], editor: people.ada, createdAt: daysFromNow(-60) },
  ],
};

function mockCards(scenario: CardScenario, options: { timeoutMs?: number; attempts?: number } = {}): Loader<CardArgs> {
  return ({ canvasElement }) => {
    // Disconnect the previous story's elements first, or they would follow the page-wide configuration.
    canvasElement.replaceChildren();
    localStorage.removeItem('guildkit:draft:card:new:c-engineering');
    for (const card of scenario.cards) localStorage.removeItem(`guildkit:draft:card:${card.id}`);
    const api = createCardApi(scenario);
    configure({
      fetch: api.fetch,
      getToken: api.getToken,
      timeoutMs: options.timeoutMs ?? defaultConfig.timeoutMs,
      retry: options.attempts ? { attempts: options.attempts } : {},
    });
  };
}

function cardIn(canvasElement: HTMLElement): GuildKnowledgeCard {
  const element = canvasElement.querySelector('guild-knowledge-card');
  if (!element) throw new Error('No <guild-knowledge-card> in the story.');
  return element;
}

function inShadow(element: Element, selector: string): HTMLElement | null {
  return element.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;
}

/** Inside the card's panels (the verify and flag forms, the history), which load on first use. */
function inPanel(element: Element, selector: string): HTMLElement | null {
  for (const panel of element.shadowRoot?.querySelectorAll('guild-card-panel') ?? []) {
    const found = panel.shadowRoot?.querySelector<HTMLElement>(selector);
    if (found) return found;
  }
  return null;
}

function buttonIn(root: ParentNode | null | undefined, label: string): HTMLButtonElement | undefined {
  return [...(root?.querySelectorAll<HTMLButtonElement>('button') ?? [])].find((b) => b.textContent?.replace(/\s+/g, ' ').trim() === label);
}

async function untilTrust(canvasElement: HTMLElement, trust: string): Promise<GuildKnowledgeCard> {
  const element = cardIn(canvasElement);
  await waitFor(() => expect(inShadow(element, '[part="trust"]')).toHaveTextContent(trust), { timeout: 4000 });
  return element;
}

function editorRoot(element: GuildKnowledgeCard): ShadowRoot {
  const root = element.shadowRoot?.querySelector('guild-card-editor')?.shadowRoot;
  if (!root) throw new Error('no editor yet');
  return root;
}

async function untilEditor(canvasElement: HTMLElement): Promise<ShadowRoot> {
  const element = cardIn(canvasElement);
  return waitFor(
    () => {
      const root = editorRoot(element);
      if (!root.querySelector('[name="title"]')) throw new Error('no editor yet');
      return root;
    },
    { timeout: 4000 },
  );
}

const onDarkSurface: Decorator<CardArgs> = (story) => html`<div style="background: #0b1220; color: #e5e7eb; padding: 1.5rem; color-scheme: dark">${story()}</div>`;
const inSideBlock: Decorator<CardArgs> = (story) => html`<aside style="inline-size: 20rem">${story()}</aside>`;

const meta = {
  title: 'Elements/Knowledge card',
  component: 'guild-knowledge-card',
  tags: ['autodocs'],
  args: { card: 'c-1' },
  render: (args) => html`
    <guild-knowledge-card
      card=${ifDefined(args.card)}
      view=${ifDefined(args.view)}
      ?new=${args.new ?? false}
      ?edit=${args.edit ?? false}
      community=${ifDefined(args.community)}
      tag=${ifDefined(args.tag)}
      status=${ifDefined(args.status)}
      lang=${ifDefined(args.lang)}
      theme=${ifDefined(args.theme)}
    ></guild-knowledge-card>
  `,
  argTypes: {
    view: { control: 'inline-radio', options: ['full', 'compact'] },
    new: { control: 'boolean' },
    edit: { control: 'boolean' },
    status: { control: 'inline-radio', options: ['published', 'draft'] },
    lang: { control: 'inline-radio', options: ['en', 'de'], description: 'The language (read from the element or its nearest ancestor).' },
    theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
  },
  parameters: {
    // Each story runs in its own frame: configuration is page-wide.
    docs: { story: { inline: false, height: '620px' } },
  },
} satisfies Meta<CardArgs>;

export default meta;

/** The card never answers: the skeleton stays. */
export const Loading: Story = {
  loaders: [mockCards({ me: expert, cards: [verified], hang: true }, { timeoutMs: 2 ** 31 - 1 })],
  play: async ({ canvasElement }) => {
    const element = cardIn(canvasElement);
    await waitFor(() => expect(inShadow(element, '.skeleton')).not.toBeNull());
  },
};

/** Everything: trust, markdown, tags, author, credit, experts, history line, votes, views, actions, related cards. */
export const Full: Story = {
  loaders: [mockCards({ me: member, cards: [verified, ...related], versions: history })],
  play: async ({ canvasElement }) => {
    const element = await untilTrust(canvasElement, 'Verified by Margaret Hamilton');
    await waitFor(() => expect(inShadow(element, '[part="related"]')).toHaveTextContent('Debugging a flaky browser test'));
    await expect(inShadow(element, '.people')).toHaveTextContent('From an answer by Linus Pauling');
  },
};

/** `view="compact"`: a link preview for lists, sidebars and LMS blocks. */
export const Compact: Story = {
  args: { view: 'compact' },
  decorators: [inSideBlock],
  loaders: [mockCards({ me: member, cards: [verified] })],
  play: async ({ canvasElement }) => {
    const element = await untilTrust(canvasElement, 'Verified');
    await expect(inShadow(element, '[part="title"] a')).toHaveAttribute('href', 'https://guild.example.com/cards/c-1');
  },
};

/** Verified, seen by its expert: she can verify again (with a review interval) and edit. */
export const Verified: Story = {
  loaders: [mockCards({ me: expert, cards: [verified, ...related], versions: history })],
  play: async ({ canvasElement }) => {
    const element = await untilTrust(canvasElement, 'review by');
    await waitFor(() => expect(buttonIn(element.shadowRoot, 'Verify')).toBeDefined());
    const verify = buttonIn(element.shadowRoot, 'Verify');
    if (verify) await userEvent.click(verify);
    await waitFor(() => expect(inPanel(element, '#verify-days')).not.toBeNull());
  },
};

/** Its review date passed: "Needs review", everywhere the card is embedded. */
export const NeedsReview: Story = {
  name: 'Needs review',
  loaders: [
    mockCards({
      me: member,
      cards: [cardFor('c-1', { ...verified, trust: { state: 'needs-review', verifiedBy: people.margaret, verifiedAt: daysFromNow(-100), reviewBy: daysFromNow(-10) } })],
    }),
  ],
  play: async ({ canvasElement }) => {
    await untilTrust(canvasElement, 'Needs review');
  },
};

/** Flagged as outdated, with the reason; a member flags it from the form. */
export const Outdated: Story = {
  name: 'Outdated (flagged)',
  loaders: [
    mockCards({
      me: member,
      cards: [cardFor('c-1', { ...verified, trust: { state: 'outdated', flagReason: 'The runner now needs --config.', flaggedBy: people.katherine, flaggedAt: daysFromNow(-1) } })],
    }),
  ],
  play: async ({ canvasElement }) => {
    const element = await untilTrust(canvasElement, 'Outdated: The runner now needs --config.');
    const flag = buttonIn(element.shadowRoot, 'Flag as outdated');
    if (flag) await userEvent.click(flag);
    await waitFor(() => expect(inPanel(element, '#flag-reason')).not.toBeNull());
  },
};

/** Nobody verified it yet. */
export const Unverified: Story = {
  loaders: [mockCards({ me: member, cards: [cardFor('c-1')] })],
  play: async ({ canvasElement }) => {
    await untilTrust(canvasElement, 'Unverified');
  },
};

/** A draft, seen by its author: marked, not yet votable or flaggable. */
export const Draft: Story = {
  loaders: [mockCards({ me: { ...member, person: people.ada }, cards: [cardFor('c-1', { status: 'draft' })] })],
  play: async ({ canvasElement }) => {
    const element = await untilTrust(canvasElement, 'Unverified');
    await expect(inShadow(element, '[part="title"] .badge')).toHaveTextContent('Draft');
  },
};

/** `new`: the editor for a new card, with a local draft kept as one types. */
export const EditorNew: Story = {
  name: 'Editor (new card)',
  args: { card: undefined, new: true, community: COMMUNITY },
  loaders: [mockCards({ me: member, cards: [] })],
  play: async ({ canvasElement }) => {
    const editor = await untilEditor(canvasElement);
    const title = editor.querySelector<HTMLInputElement>('[name="title"]');
    if (title) await userEvent.type(title, 'Pairing on exercises');
  },
};

/** The editor showing the markdown preview. */
export const EditorPreview: Story = {
  name: 'Editor with preview',
  args: { edit: true },
  loaders: [mockCards({ me: expert, cards: [verified] })],
  play: async ({ canvasElement }) => {
    const editor = await untilEditor(canvasElement);
    const toggle = editor.querySelector<HTMLButtonElement>('[part="preview-toggle"]');
    if (toggle) await userEvent.click(toggle);
    await waitFor(() => expect(editor.querySelector('[part="preview"] code')).not.toBeNull());
  },
};

/** Grace saved version 2 while Margaret edited: her save is refused, her text kept, with both ways forward. */
export const Conflict: Story = {
  args: { edit: true },
  loaders: [mockCards({ me: expert, cards: [cardFor('c-1', { experts: [people.margaret] })], conflictBy: people.grace })],
  play: async ({ canvasElement }) => {
    const editor = await untilEditor(canvasElement);
    const body = editor.querySelector<HTMLTextAreaElement>('[name="body"]');
    if (body) await userEvent.type(body, ' Also works with --watch.');
    const save = buttonIn(editor, 'Save changes');
    if (save) await userEvent.click(save);
    await waitFor(() => expect(editor.querySelector('[part="conflict"]')).toHaveTextContent('Grace Hopper saved version 2 while you were editing'), { timeout: 4000 });
  },
};

/** "Edited by … · 3 versions" opened: each version's editor, date and text. */
export const HistoryOpen: Story = {
  name: 'History open',
  loaders: [mockCards({ me: member, cards: [verified], versions: history })],
  play: async ({ canvasElement }) => {
    const element = await untilTrust(canvasElement, 'Verified');
    const opener = inShadow(element, '[data-action="history"]');
    if (opener) await userEvent.click(opener);
    await waitFor(() => expect(inPanel(element, '.versions')?.querySelectorAll('summary')).toHaveLength(3));
    const oldest = inPanel(element, '.versions')?.querySelectorAll<HTMLElement>('summary')[2];
    if (oldest) await userEvent.click(oldest);
  },
};

/** The first read fails with a `500`; "Try again" loads the card. */
export const LoadError: Story = {
  name: 'Error',
  loaders: [mockCards({ me: member, cards: [verified], failLoads: 1 }, { attempts: 1 })],
  play: async ({ canvasElement }) => {
    const element = cardIn(canvasElement);
    await waitFor(() => expect(inShadow(element, '[role="alert"]')).toHaveTextContent('The card could not be loaded:'), { timeout: 4000 });
  },
};

/** No such card (or one not shared with the reader). */
export const NotFound: Story = {
  name: 'Not found',
  args: { card: 'missing' },
  loaders: [mockCards({ me: member, cards: [verified] })],
  play: async ({ canvasElement }) => {
    const element = cardIn(canvasElement);
    await waitFor(() => expect(inShadow(element, '[part="error"]')).toHaveTextContent('This card does not exist'), { timeout: 4000 });
  },
};

/** No token: the card is readable, the counts show, nothing to press but "Copy link". */
export const SignedOut: Story = {
  name: 'Signed out (read-only)',
  loaders: [mockCards({ me: null, cards: [verified, ...related] })],
  play: async ({ canvasElement }) => {
    const element = await untilTrust(canvasElement, 'Verified');
    await waitFor(() => expect(inShadow(element, '.signin')).toHaveTextContent('Sign in to vote, flag or edit.'));
  },
};

/** `tag="testing"`: the cards with a tag, compact. */
export const TagListing: Story = {
  name: 'Tag listing',
  args: { card: undefined, tag: 'testing' },
  loaders: [mockCards({ me: member, cards: [verified, ...related] })],
  play: async ({ canvasElement }) => {
    const element = cardIn(canvasElement);
    await waitFor(() => expect(element.shadowRoot?.querySelectorAll('.list > li')).toHaveLength(3), { timeout: 4000 });
  },
};

/** The author is told, politely, when someone flags the card while it is open. */
export const FlaggedLive: Story = {
  name: 'Live flag notice (author)',
  loaders: [
    mockCards({
      me: { ...member, person: people.ada },
      cards: [cardFor('c-1')],
      live: [{ afterMs: 1200, action: 'flagged', actor: people.katherine, cardId: 'c-1', change: { trust: { state: 'outdated', flagReason: 'Step 2 changed.', flaggedBy: people.katherine, flaggedAt: new Date().toISOString() } } }],
    }),
  ],
  play: async ({ canvasElement }) => {
    const element = cardIn(canvasElement);
    await waitFor(() => expect(inShadow(element, '[part="notice"]')).toHaveTextContent('Katherine Johnson flagged this card as outdated'), { timeout: 5000 });
  },
};

/** `lang="de"`: the German catalogue. */
export const German: Story = {
  args: { lang: 'de' },
  loaders: [mockCards({ me: member, cards: [verified, ...related] })],
  play: async ({ canvasElement }) => {
    await untilTrust(canvasElement, 'Bestätigt von Margaret Hamilton');
  },
};

/** `theme="dark"`, on a dark page. */
export const DarkTheme: Story = {
  name: 'Dark theme',
  args: { theme: 'dark' },
  decorators: [onDarkSurface],
  loaders: [mockCards({ me: member, cards: [verified, ...related] })],
  play: async ({ canvasElement }) => {
    await untilTrust(canvasElement, 'Verified');
  },
};
