import type { Decorator, Loader, Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, userEvent, waitFor } from 'storybook/test';
import '../src/define/badge-wall.js';
import type { GuildBadgeWall } from '../src/elements/badge-wall/badge-wall.js';
import { configure, defaultConfig } from '../src/internal/config.js';
import { badgeApiBase, createBadgeApi, people, signedIn, type Achievement, type Award, type BadgeScenario, type BadgeWall, type CredentialCase } from './mock-api.js';

interface BadgeWallArgs {
  user?: string;
  community?: string;
  category?: string;
  hideLocked?: boolean;
  lang?: 'en' | 'de';
  theme?: 'light' | 'dark' | 'auto';
}

type Story = StoryObj<BadgeWallArgs>;

const COMMUNITY = 'c-engineering';
const me = signedIn.person;

function achievement(id: string, name: string, fields: Partial<Achievement>): Achievement {
  return {
    id,
    type: 'Achievement',
    name,
    description: '',
    criteria: { narrative: '' },
    // No such image in Storybook: the badge shows its initials, as it does whenever an image fails.
    image: { id: `/badges/${id}.png` },
    communityId: COMMUNITY,
    earnedCount: 0,
    ...fields,
  };
}

const FIRST = achievement('first-contribution', 'First contribution', {
  description: 'Welcome to the community: you shared something for the first time.',
  criteria: { narrative: 'Write your first comment or answer in any discussion.' },
  category: 'Participation',
  tags: ['welcome'],
  measure: { kind: 'comments', target: 1 },
  earnedCount: 42,
  alignment: [{ targetName: 'Written communication', targetUrl: 'https://skills.example.com/written-communication' }],
});
const HELPFUL = achievement('helpful', 'Helpful', {
  description: 'People keep thanking you for your help.',
  criteria: { narrative: 'Receive 10 kudos from other members.' },
  category: 'Recognition',
  tags: ['kudos'],
  measure: { kind: 'kudos-received', target: 10 },
  earnedCount: 17,
});
const MENTOR = achievement('mentor', 'Mentor', {
  description: 'You help others grow.',
  criteria: { narrative: 'Receive 5 kudos for mentoring.' },
  category: 'Recognition',
  tags: ['kudos', 'mentoring'],
  measure: { kind: 'kudos-received', target: 5, value: 'mentoring' },
  earnedCount: 6,
});
const SOLVER = achievement('problem-solver', 'Problem solver', {
  description: 'Your answers solve other people’s problems.',
  criteria: { narrative: 'Have 5 of your answers accepted in question threads.' },
  category: 'Helping',
  tags: ['answers'],
  measure: { kind: 'accepted-answers', target: 5 },
  earnedCount: 9,
});
const KEEPER = achievement('knowledge-keeper', 'Knowledge keeper', {
  description: 'You keep the community’s knowledge true.',
  criteria: { narrative: 'Verify 10 knowledge cards, confirming they are still correct.' },
  category: 'Knowledge',
  tags: ['cards'],
  measure: { kind: 'cards-verified', target: 10 },
  earnedCount: 4,
  validityDays: 365,
});
const FACILITATOR = achievement('facilitator', 'Facilitator', {
  description: 'You facilitate this community.',
  criteria: { narrative: 'Be named a facilitator of the community.' },
  category: 'Participation',
  measure: { kind: 'facilitator', target: 1 },
  earnedCount: 2,
});

function award(id: string, of: Achievement, recipient: BadgeWall['person'], fields: Partial<Award> = {}): Award {
  return {
    id,
    achievement: of,
    recipient,
    issuer: { id: `${badgeApiBase()}/issuers/${COMMUNITY}`, name: 'Engineering Guild' },
    validFrom: '2026-11-02T09:30:00.000Z',
    result: { status: 'Completed' },
    evidence: [],
    credentialUrl: `${badgeApiBase()}/awards/${id}/credential`,
    verificationUrl: `https://guild.example.com/badges/verify/${id}`,
    ...fields,
  };
}

function myWall(): BadgeWall {
  return {
    person: me,
    earned: [
      award('aw-first', FIRST, me, { evidence: [{ id: 'https://guild.example.com/threads/week-1#c-12', name: 'Answer about test doubles' }] }),
      award('aw-helpful', HELPFUL, me, { validFrom: '2026-10-15T14:00:00.000Z', awardedBy: people.katherine, evidence: [{ id: 'https://guild.example.com/kudos/k-3', narrative: 'Ten thank-yous for code reviews' }] }),
      award('aw-keeper', KEEPER, me, { validFrom: '2025-01-10T10:00:00.000Z', validUntil: '2026-01-10T10:00:00.000Z', result: { status: 'Expired' } }),
    ],
    inProgress: [
      { achievement: SOLVER, current: 3, target: 5 },
      { achievement: MENTOR, current: 2, target: 5 },
    ],
    locked: [FACILITATOR],
  };
}

const recent: Award[] = [
  award('aw-r1', SOLVER, people.ada, { validFrom: '2026-11-28T16:00:00.000Z' }),
  award('aw-r2', FIRST, people.linus, { validFrom: '2026-11-27T09:00:00.000Z' }),
  award('aw-r3', MENTOR, people.grace, { validFrom: '2026-11-25T11:30:00.000Z' }),
];

function mockBadges(scenario: BadgeScenario, options: { timeoutMs?: number; attempts?: number } = {}): Loader<BadgeWallArgs> {
  return async ({ canvasElement }) => {
    // Disconnect the previous story's elements first, or they would follow the page-wide configuration.
    canvasElement.replaceChildren();
    const api = await createBadgeApi(scenario);
    configure({
      fetch: api.fetch,
      getToken: api.getToken,
      timeoutMs: options.timeoutMs ?? defaultConfig.timeoutMs,
      retry: options.attempts ? { attempts: options.attempts } : {},
    });
  };
}

function wallIn(canvasElement: HTMLElement): GuildBadgeWall {
  const element = canvasElement.querySelector('guild-badge-wall');
  if (!element) throw new Error('No <guild-badge-wall> in the story.');
  return element;
}

function inShadow(element: Element, selector: string): HTMLElement | null {
  return element.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;
}

function buttonLabelled(element: Element, label: string): HTMLButtonElement | undefined {
  return [...(element.shadowRoot?.querySelectorAll<HTMLButtonElement>('button') ?? [])].find((b) => b.textContent?.replace(/\s+/g, ' ').trim() === label);
}

async function untilBadges(canvasElement: HTMLElement, count: number): Promise<GuildBadgeWall> {
  const element = wallIn(canvasElement);
  await waitFor(() => expect(element.shadowRoot?.querySelectorAll('[part="badge"]')).toHaveLength(count), { timeout: 4000 });
  return element;
}

/** Opens a badge's details and waits for the verification's verdict. */
async function openAndVerify(canvasElement: HTMLElement, badge: string, verdict: string): Promise<void> {
  const element = await untilBadges(canvasElement, 6);
  const opener = buttonLabelled(element, badge);
  await expect(opener).toBeDefined();
  if (opener) await userEvent.click(opener);
  await waitFor(() => expect(inShadow(element, 'dialog')).toHaveAttribute('open'));
  await waitFor(
    () => {
      const result = inShadow(element, 'guild-badge-verification')?.shadowRoot?.querySelector('[part="verdict"]');
      return expect(result).toHaveTextContent(verdict);
    },
    { timeout: 8000 },
  );
}

function verificationStory(kind: CredentialCase, verdict: string, badge = 'First contribution'): Story {
  return {
    loaders: [mockBadges({ me: signedIn, walls: [myWall()], credentials: { 'aw-first': kind } }, kind === 'offline' ? { attempts: 1 } : {})],
    play: ({ canvasElement }) => openAndVerify(canvasElement, badge, verdict),
  };
}

const inSideBlock: Decorator<BadgeWallArgs> = (story) => html`<aside style="inline-size: 17rem">${story()}</aside>`;
const onDarkSurface: Decorator<BadgeWallArgs> = (story) => html`<div style="background: #0b1220; color: #e5e7eb; padding: 1.5rem; color-scheme: dark">${story()}</div>`;

const meta = {
  title: 'Elements/Badge wall',
  component: 'guild-badge-wall',
  tags: ['autodocs'],
  args: { user: 'me' },
  render: (args) => html`
    <guild-badge-wall
      user=${ifDefined(args.user)}
      community=${ifDefined(args.community)}
      category=${ifDefined(args.category)}
      ?hide-locked=${args.hideLocked ?? false}
      lang=${ifDefined(args.lang)}
      theme=${ifDefined(args.theme)}
    ></guild-badge-wall>
  `,
  argTypes: {
    hideLocked: { control: 'boolean', name: 'hide-locked' },
    lang: { control: 'inline-radio', options: ['en', 'de'], description: 'The language (read from the element or its nearest ancestor).' },
    theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
  },
  parameters: {
    // Each story runs in its own frame: configuration is page-wide.
    docs: { story: { inline: false, height: '560px' } },
  },
} satisfies Meta<BadgeWallArgs>;

export default meta;

/** The wall never answers: the skeleton stays. */
export const Loading: Story = {
  loaders: [mockBadges({ me: signedIn, walls: [myWall()], hang: true }, { timeoutMs: 2 ** 31 - 1 })],
  play: async ({ canvasElement }) => {
    const element = wallIn(canvasElement);
    await waitFor(() => expect(inShadow(element, '.skeleton')).not.toBeNull());
  },
};

/** `user="me"`: earned (one expired), in progress toward the criteria, and locked. */
export const MyBadges: Story = {
  name: 'Earned, in progress, locked',
  loaders: [mockBadges({ me: signedIn, walls: [myWall()] })],
  play: async ({ canvasElement }) => {
    const element = await untilBadges(canvasElement, 6);
    await expect(inShadow(element, '[data-state="in-progress"] .status')).toHaveTextContent('3 of 5 accepted answers');
    await expect(inShadow(element, '[data-state="expired"] .label')).toHaveTextContent('Expired');
  },
};

/** `hide-locked`: only what is earned or under way. */
export const HideLocked: Story = {
  name: 'Hide locked',
  args: { hideLocked: true },
  loaders: [mockBadges({ me: signedIn, walls: [myWall()] })],
  play: async ({ canvasElement }) => {
    await untilBadges(canvasElement, 5);
  },
};

/** `category="Recognition"`, and the chips to change it. */
export const CategoryFilter: Story = {
  name: 'Category filter',
  args: { category: 'Recognition' },
  loaders: [mockBadges({ me: signedIn, walls: [myWall()] })],
  play: async ({ canvasElement }) => {
    const element = await untilBadges(canvasElement, 2);
    await expect(inShadow(element, '[part="filter"]')).not.toBeNull();
  },
};

/** In a narrow LMS side block the grid becomes a list: it follows its container, not the window. */
export const NarrowSideBlock: Story = {
  name: 'Narrow side block',
  decorators: [inSideBlock],
  loaders: [mockBadges({ me: signedIn, walls: [myWall()] })],
  play: async ({ canvasElement }) => {
    await untilBadges(canvasElement, 6);
  },
};

/** `community` without `user`: the catalogue with how many earned each, and who earned one lately. */
export const Catalogue: Story = {
  args: { user: undefined, community: COMMUNITY },
  loaders: [mockBadges({ me: null, achievements: [FIRST, HELPFUL, MENTOR, SOLVER, KEEPER, FACILITATOR], recent })],
  play: async ({ canvasElement }) => {
    const element = await untilBadges(canvasElement, 6);
    await expect(inShadow(element, '[part="recent"] button')).toHaveTextContent('Ada Lovelace earned Problem solver');
  },
};

/** Nothing earned, under way or to unlock yet. */
export const Empty: Story = {
  loaders: [mockBadges({ me: signedIn, walls: [{ person: me, earned: [], inProgress: [], locked: [] }] })],
  play: async ({ canvasElement }) => {
    const element = wallIn(canvasElement);
    await waitFor(() => expect(inShadow(element, '.note')).toHaveTextContent('No badges yet.'), { timeout: 4000 });
  },
};

/** A community without badges. */
export const EmptyCatalogue: Story = {
  name: 'Empty catalogue',
  args: { user: undefined, community: COMMUNITY },
  loaders: [mockBadges({ me: null, achievements: [], recent: [] })],
  play: async ({ canvasElement }) => {
    const element = wallIn(canvasElement);
    await waitFor(() => expect(inShadow(element, '.note')).toHaveTextContent('This community has no badges yet.'), { timeout: 4000 });
  },
};

/** The first load fails with a `500`; "Try again" loads the wall. */
export const LoadError: Story = {
  name: 'Error',
  loaders: [mockBadges({ me: signedIn, walls: [myWall()], failLoads: 1 }, { attempts: 1 })],
  play: async ({ canvasElement }) => {
    const element = wallIn(canvasElement);
    await waitFor(() => expect(inShadow(element, '[role="alert"]')).toHaveTextContent('The badges could not be loaded'), { timeout: 4000 });
    const retry = buttonLabelled(element, 'Try again');
    if (retry) await userEvent.click(retry);
    await untilBadges(canvasElement, 6);
  },
};

/** `user="me"` for a visitor nobody signed in: a hint, and no request. */
export const SignedOut: Story = {
  name: 'Anonymous: my badges',
  loaders: [mockBadges({ me: null, walls: [myWall()] })],
  play: async ({ canvasElement }) => {
    const element = wallIn(canvasElement);
    await waitFor(() => expect(inShadow(element, '.note')).toHaveTextContent('Sign in to see your badges.'), { timeout: 4000 });
  },
};

/** Walls are public: an anonymous visitor sees Margaret's. */
export const AnonymousPublicWall: Story = {
  name: 'Anonymous: someone’s wall',
  args: { user: me.id },
  loaders: [mockBadges({ me: null, walls: [myWall()] })],
  play: async ({ canvasElement }) => {
    await untilBadges(canvasElement, 6);
  },
};

/** Three walls on a team page: one request for all of them. */
export const SeveralWalls: Story = {
  name: 'Several walls, one request',
  render: () => html`<div style="display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr))">
    <guild-badge-wall user="me"></guild-badge-wall>
    <guild-badge-wall user=${people.ada.id} hide-locked></guild-badge-wall>
    <guild-badge-wall user=${people.grace.id} hide-locked></guild-badge-wall>
  </div>`,
  loaders: [
    mockBadges({
      me: signedIn,
      walls: [
        myWall(),
        { person: people.ada, earned: [award('aw-ada', SOLVER, people.ada)], inProgress: [{ achievement: MENTOR, current: 4, target: 5 }], locked: [] },
        { person: people.grace, earned: [award('aw-grace', MENTOR, people.grace)], inProgress: [], locked: [KEEPER] },
      ],
    }),
  ],
};

/** A badge's details, opened from the wall: criteria, evidence, issuer, dates, skills, actions and verification. */
export const DetailDialog: Story = {
  name: 'Details dialog',
  loaders: [mockBadges({ me: signedIn, walls: [myWall()] })],
  play: ({ canvasElement }) => openAndVerify(canvasElement, 'First contribution', 'Verified'),
};

/** The credential's signature, issuer, dates and revocation status all check out. */
export const Verified: Story = { name: 'Verification: verified', ...verificationStory('valid', 'Verified') };
/** The credential was changed after it was signed. */
export const Tampered: Story = { name: 'Verification: tampered', ...verificationStory('tampered', 'Could not verify') };
/** Its validity ended. */
export const Expired: Story = { name: 'Verification: expired', ...verificationStory('expired', 'Expired') };
/** Its bit is set in the issuer's signed status list. */
export const Revoked: Story = { name: 'Verification: revoked', ...verificationStory('revoked', 'Revoked') };
/** Signed by a key the issuer never published. */
export const SignedByAnotherKey: Story = { name: 'Verification: another key', ...verificationStory('other-key', 'Could not verify') };
/** An unsigned (`alg: none`) credential. */
export const Unsigned: Story = { name: 'Verification: alg none', ...verificationStory('alg-none', 'Could not verify') };
/** The issuer's keys cannot be fetched: the reason, and "Check again". */
export const Offline: Story = { name: 'Verification: offline', ...verificationStory('offline', 'Could not verify') };

/** Two seconds in, an accepted answer earns "Problem solver": it moves to earned and is celebrated. */
export const LiveAward: Story = {
  name: 'Live award',
  loaders: [mockBadges({ me: signedIn, walls: [myWall()], live: [{ afterMs: 2000, award: award('aw-live', SOLVER, me, { validFrom: new Date().toISOString() }) }] })],
  play: async ({ canvasElement }) => {
    const element = await untilBadges(canvasElement, 6);
    await waitFor(() => expect(inShadow(element, '.celebrate')).not.toBeNull(), { timeout: 5000 });
  },
};

/** `lang="de"`: the German catalogue. */
export const German: Story = {
  args: { lang: 'de' },
  loaders: [mockBadges({ me: signedIn, walls: [myWall()] })],
  play: async ({ canvasElement }) => {
    const element = await untilBadges(canvasElement, 6);
    await waitFor(() => expect(inShadow(element, 'h2')).toHaveTextContent('Deine Abzeichen'));
  },
};

/** `theme="dark"`, on a dark page. */
export const DarkTheme: Story = {
  name: 'Dark theme',
  args: { theme: 'dark' },
  decorators: [onDarkSurface],
  loaders: [mockBadges({ me: signedIn, walls: [myWall()] })],
  play: async ({ canvasElement }) => {
    await untilBadges(canvasElement, 6);
  },
};
