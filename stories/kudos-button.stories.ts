import type { Decorator, Loader, Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, fn, userEvent, waitFor } from 'storybook/test';
import '../src/define/kudos-button.js';
import type { GuildKudosButton, GuildKudosChangeEvent } from '../src/elements/kudos-button/kudos-button.js';
import { configure, defaultConfig } from '../src/internal/config.js';
import { createMockApi, people, problems, signedIn, summaryFor, type MockScenario } from './mock-api.js';

interface KudosButtonArgs {
  subject: string;
  recipient?: string;
  community?: string;
  lang?: 'en' | 'de';
  theme?: 'light' | 'dark' | 'auto';
  view?: 'full' | 'compact';
  onGuildKudosChange: (event: GuildKudosChangeEvent) => void;
}

type Story = StoryObj<KudosButtonArgs>;

/**
 * Gives the story its own mock API. Configuration is page-wide and the library memoises connections
 * and stores by the identity of `fetch`, so a new mock per render means no story sees another's data.
 */
function mockApi(scenario: MockScenario, options: { timeoutMs?: number } = {}): Loader<KudosButtonArgs> {
  return ({ canvasElement }) => {
    // Disconnect the previous story's elements first, or they would follow the page-wide configuration
    // to this story's mock. Storybook re-creates its render root when it finds none.
    canvasElement.replaceChildren();
    const api = createMockApi(scenario);
    configure({
      fetch: api.fetch,
      // Always a function (answering `null` when signed out): `configure()` merges, so leaving it out
      // would keep the previous story's.
      getToken: api.getToken,
      timeoutMs: options.timeoutMs ?? defaultConfig.timeoutMs,
    });
  };
}

function kudosButton(canvasElement: HTMLElement): GuildKudosButton {
  const element = canvasElement.querySelector('guild-kudos-button');
  if (!element) throw new Error('No <guild-kudos-button> in the story.');
  return element;
}

function part(element: GuildKudosButton, name: string): HTMLElement | null {
  return element.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
}

/** Waits until the button shows this count (so the a11y check runs on the state the story is about). */
async function untilCount(canvasElement: HTMLElement, count: string): Promise<GuildKudosButton> {
  const element = kudosButton(canvasElement);
  await waitFor(() => expect(part(element, 'count')).toHaveTextContent(count), { timeout: 3000 });
  return element;
}

const onDarkSurface: Decorator<KudosButtonArgs> = (story) =>
  html`<div style="background: #0b1220; color: #e5e7eb; padding: 1.5rem; color-scheme: dark">${story()}</div>`;

const meta = {
  title: 'Elements/Kudos button',
  component: 'guild-kudos-button',
  tags: ['autodocs'],
  render: (args) => html`
    <guild-kudos-button
      subject=${args.subject}
      recipient=${ifDefined(args.recipient)}
      community=${ifDefined(args.community)}
      lang=${ifDefined(args.lang)}
      theme=${ifDefined(args.theme)}
      view=${ifDefined(args.view)}
      @guild-kudos-change=${args.onGuildKudosChange}
    ></guild-kudos-button>
  `,
  args: { onGuildKudosChange: fn() },
  argTypes: {
    lang: {
      control: 'inline-radio',
      options: ['en', 'de'],
      description: 'The language (a global attribute, read from the element or its nearest ancestor).',
    },
    theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
  },
  parameters: {
    docs: {
      // Each story runs in its own frame: configuration is page-wide, so stories rendered side by side
      // on one docs page would share one story's mock API.
      story: { inline: false, height: '110px' },
    },
  },
} satisfies Meta<KudosButtonArgs>;

export default meta;

const loadingSubject = 'storybook/kudos-button/loading';
/** The request for the count never answers (the request timeout is lifted, so it stays loading). */
export const Loading: Story = {
  args: { subject: loadingSubject },
  loaders: [mockApi({ me: signedIn, summaries: [summaryFor(loadingSubject)], hangLoading: true }, { timeoutMs: 2 ** 31 - 1 })],
};

const readySubject = 'storybook/kudos-button/ready';
/** Loaded, not given yet; names the latest givers. */
export const Ready: Story = {
  args: { subject: readySubject },
  loaders: [
    mockApi({
      me: signedIn,
      summaries: [summaryFor(readySubject, { count: 5, recentGivers: [people.ada, people.grace] })],
    }),
  ],
  play: async ({ canvasElement }) => {
    const element = await untilCount(canvasElement, '5');
    await expect(part(element, 'button')).toHaveAttribute('aria-pressed', 'false');
    await expect(element.shadowRoot?.querySelector('#givers')).toHaveTextContent('From Ada Lovelace and Grace Hopper and 3 more');
  },
};

const givenSubject = 'storybook/kudos-button/given';
/** I already gave: the button is pressed; pressing it again takes my kudos back. */
export const Given: Story = {
  args: { subject: givenSubject },
  loaders: [
    mockApi({
      me: signedIn,
      summaries: [
        summaryFor(givenSubject, { count: 9, givenByMe: true, myKudosId: 'k-mine', recentGivers: [people.margaret, people.ada] }),
      ],
    }),
  ],
  play: async ({ canvasElement }) => {
    const element = await untilCount(canvasElement, '9');
    await expect(part(element, 'button')).toHaveAttribute('aria-pressed', 'true');
  },
};

const signedOutSubject = 'storybook/kudos-button/signed-out';
/** An anonymous visitor (no token): reads the count, is asked to sign in to give. */
export const SignedOut: Story = {
  name: 'Signed out',
  args: { subject: signedOutSubject },
  loaders: [mockApi({ me: null, summaries: [summaryFor(signedOutSubject, { count: 3, recentGivers: [people.grace] })] })],
  play: async ({ canvasElement }) => {
    const element = await untilCount(canvasElement, '3');
    await waitFor(() => expect(part(element, 'note')).toHaveTextContent('Sign in to give kudos.'));
    await expect(part(element, 'button')).toHaveAttribute('aria-disabled', 'true');
  },
};

const ownSubject = 'storybook/kudos-button/own-subject';
/** The signed-in person is the recipient: kudos are for thanking someone else. */
export const OwnSubject: Story = {
  name: 'Own subject',
  args: { subject: ownSubject },
  loaders: [
    mockApi({
      me: signedIn,
      summaries: [summaryFor(ownSubject, { count: 12, recipient: people.margaret, recentGivers: [people.ada, people.linus] })],
    }),
  ],
  play: async ({ canvasElement }) => {
    const element = await untilCount(canvasElement, '12');
    await waitFor(() => expect(part(element, 'note')).toHaveTextContent('This is yours'));
  },
};

const loadErrorSubject = 'storybook/kudos-button/load-error';
/** The server answers `500` with a problem document. "Try again" succeeds: only the first load fails. */
export const LoadError: Story = {
  name: 'Load error',
  args: { subject: loadErrorSubject },
  loaders: [
    mockApi({
      me: signedIn,
      summaries: [summaryFor(loadErrorSubject, { count: 4, recentGivers: [people.ada] })],
      loadProblems: [problems.serverError],
    }),
  ],
  play: async ({ canvasElement }) => {
    const element = kudosButton(canvasElement);
    await waitFor(() => expect(part(element, 'error')).toHaveTextContent('Kudos could not be loaded.'), { timeout: 3000 });
    await expect(element.shadowRoot?.querySelector('button.retry')).toHaveTextContent('Try again');
  },
};

const writeErrorSubject = 'storybook/kudos-button/write-error';
/** Giving fails with `409 already-given`: the count goes up at once, rolls back, and says why. */
export const WriteError: Story = {
  name: 'Write error',
  args: { subject: writeErrorSubject },
  loaders: [
    mockApi({
      me: signedIn,
      summaries: [summaryFor(writeErrorSubject, { count: 3, recentGivers: [people.grace] })],
      giveProblem: problems.alreadyGiven,
      latencyMs: 600,
    }),
  ],
  play: async ({ canvasElement, args }) => {
    const element = await untilCount(canvasElement, '3');
    const button = part(element, 'button');
    if (!button) throw new Error('No button.');
    await userEvent.click(button);
    await expect(part(element, 'count')).toHaveTextContent('4');
    await waitFor(() => expect(part(element, 'error')).toHaveTextContent('you already gave kudos here.'), { timeout: 3000 });
    await expect(part(element, 'count')).toHaveTextContent('3');
    await expect(button).toHaveAttribute('aria-pressed', 'false');
    await expect(args.onGuildKudosChange).not.toHaveBeenCalled();
  },
};

const germanSubject = 'storybook/kudos-button/german';
/** `lang="de"`: messages from the German catalogue, numbers formatted for German. */
export const German: Story = {
  args: { subject: germanSubject, lang: 'de' },
  loaders: [
    mockApi({
      me: signedIn,
      summaries: [summaryFor(germanSubject, { count: 1234, recentGivers: [people.ada, people.grace, people.linus] })],
    }),
  ],
  play: async ({ canvasElement }) => {
    const element = await untilCount(canvasElement, '1.234');
    await expect(part(element, 'givers')).toHaveTextContent('Von Ada Lovelace, Grace Hopper und Linus Pauling und 1.231 weiteren');
  },
};

const darkSubject = 'storybook/kudos-button/dark';
/** `theme="dark"`, on a dark page. */
export const DarkTheme: Story = {
  name: 'Dark theme',
  args: { subject: darkSubject, theme: 'dark' },
  decorators: [onDarkSurface],
  loaders: [
    mockApi({
      me: signedIn,
      summaries: [summaryFor(darkSubject, { count: 6, givenByMe: true, myKudosId: 'k-dark', recentGivers: [people.margaret, people.katherine] })],
    }),
  ],
  play: async ({ canvasElement }) => {
    await untilCount(canvasElement, '6');
  },
};

const liveSubject = 'storybook/kudos-button/live';
/** A second after the page opens, someone else gives kudos; the event stream brings the new count. */
export const Live: Story = {
  args: { subject: liveSubject },
  loaders: [
    mockApi({
      me: signedIn,
      summaries: [summaryFor(liveSubject, { count: 7, recentGivers: [people.ada, people.grace] })],
      live: [{ afterMs: 1000, subject: liveSubject, giver: people.linus }],
    }),
  ],
  play: async ({ canvasElement }) => {
    await untilCount(canvasElement, '7');
    const element = await untilCount(canvasElement, '8');
    await expect(part(element, 'givers')).toHaveTextContent('Linus Pauling');
  },
};

const popoverSubject = 'storybook/kudos-button/popover';
/** The popover opened from the button: the community's values, a message, and this week's allowance. */
export const Popover: Story = {
  args: { subject: popoverSubject },
  loaders: [mockApi({ me: signedIn, summaries: [summaryFor(popoverSubject, { count: 2, recentGivers: [people.ada] })] })],
  parameters: { docs: { story: { height: '380px' } } },
  play: async ({ canvasElement }) => {
    const element = await untilCount(canvasElement, '2');
    element.shadowRoot?.querySelector<HTMLButtonElement>('button.more')?.click();
    await waitFor(() => expect(element.shadowRoot?.querySelector('guild-kudos-popover')?.shadowRoot?.querySelector('[part="allowance"]')).toBeTruthy());
  },
};

const exhaustedSubject = 'storybook/kudos-button/no-kudos-left';
/** No kudos left this week: the popover says so and when they renew. */
export const NoKudosLeft: Story = {
  args: { subject: exhaustedSubject },
  loaders: [mockApi({ me: signedIn, summaries: [summaryFor(exhaustedSubject, { count: 2 })], allowanceRemaining: 0 })],
  parameters: { docs: { story: { height: '380px' } } },
  play: async ({ canvasElement }) => {
    const element = await untilCount(canvasElement, '2');
    element.shadowRoot?.querySelector<HTMLButtonElement>('button.more')?.click();
    await waitFor(() => expect(element.shadowRoot?.querySelector('guild-kudos-popover')?.shadowRoot?.querySelector('[part="allowance"]')).toBeTruthy());
  },
};

const compactSubject = 'storybook/kudos-button/compact';
/** `view="compact"`: the button and its count only, for dense lists. */
export const Compact: Story = {
  args: { subject: compactSubject, view: 'compact' },
  loaders: [mockApi({ me: signedIn, summaries: [summaryFor(compactSubject, { count: 12, recentGivers: [people.ada, people.grace] })] })],
};
