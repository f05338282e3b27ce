import type { Kysely } from 'kysely';
import { now, type Database } from './db.js';
import { ensureAchievements } from './handlers/badges.js';
import { refreshReactionCount, refreshThreadCount } from './handlers/discussions.js';

export interface DemoPerson {
  id: string;
  name: string;
  title: string;
  lang: string;
}

/** The sample people of Kestrel Labs' onboarding course. */
export const DEMO_PEOPLE: DemoPerson[] = [
  { id: 'ada', name: 'Ada Okafor', title: 'Staff Engineer · onboarding buddy', lang: 'en' },
  { id: 'grace', name: 'Grace Lindqvist', title: 'Learning Designer', lang: 'en' },
  { id: 'linus', name: 'Linus Mbeki', title: 'Junior Developer, week 1', lang: 'en' },
  { id: 'mei', name: 'Mei Tanaka', title: 'Product Manager', lang: 'en' },
  { id: 'tomas', name: 'Tomás Weber', title: 'Support Lead, Berlin', lang: 'de' },
];

const DEFAULT_VALUES = [
  { id: 'helpful', label: 'Helpful' },
  { id: 'mentoring', label: 'Mentoring' },
  { id: 'knowledge-sharing', label: 'Knowledge sharing' },
];

/** Makes sure the default community exists, so kudos that name no community have a home. */
export async function ensureCommunity(db: Kysely<Database>, id: string, name: string, description?: string): Promise<void> {
  await db
    .insertInto('communities')
    .values({
      id,
      name,
      description: description ?? null,
      kudos_allowance_per_week: 10,
      ranking_allowed: 0,
      review_interval_days: 90,
      kudos_values: JSON.stringify(DEFAULT_VALUES),
      created_at: now(),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  await ensureAchievements(db, id);
}

/** Seeds the demo once: people, their roles, and a little history so the page is not empty. */
export async function seedDemo(db: Kysely<Database>, communityId: string): Promise<void> {
  await ensureCommunity(
    db,
    communityId,
    'New Joiners Guild',
    'Everyone who is learning the ropes at Kestrel Labs, and everyone who helps them.',
  );
  const existing = await db.selectFrom('people').select('id').where('id', '=', 'ada').executeTakeFirst();
  if (!existing) await seedPeopleAndKudos(db, communityId);
  await keepDemoSpotlightCurrent(db, communityId);
  // Apart, so a demo database seeded before discussions existed gets them too.
  for (const thread of DEMO_THREADS) await seedThread(db, communityId, thread);
  await seedCards(db, communityId);
}

const DAY_MS = 86_400_000;

/** Three cards in three trust states: verified, past its review date, and flagged as outdated. */
const DEMO_CARDS = [
  {
    author: 'ada',
    experts: ['ada'],
    title: 'Sign your Git commits',
    summary: 'Use your work email and an SSH signing key; the dotfiles script does both.',
    body:
      'Every commit to the monorepo must be signed with your work identity.\n\n' +
      '1. Run `./bootstrap --git` from the dotfiles repository. It asks for your work email.\n' +
      '2. It creates an SSH key for signing and sets `commit.gpgsign true`.\n' +
      '3. Add the public key to your profile as a **signing key**.\n\n' +
      'Check with `git log --show-signature -1`.',
    tags: ['onboarding', 'git'],
    verifiedDaysAgo: 2,
    reviewDays: 90,
  },
  {
    author: 'grace',
    experts: ['grace'],
    title: 'Getting on the VPN',
    summary: 'Install the client from the service catalogue, then import your certificate.',
    body: 'Install the VPN client from the service catalogue. If the certificate step fails, ask your buddy to re-issue it from the admin console.',
    tags: ['onboarding', 'vpn'],
    verifiedDaysAgo: 100,
    reviewDays: 90,
  },
  {
    author: 'ada',
    experts: ['ada'],
    title: 'Our code review checklist',
    summary: 'Five questions every reviewer asks before approving.',
    body: '- Does it do one thing?\n- Is it tested?\n- Can it be rolled back?\n- Are the names clear?\n- Would a newcomer understand it?',
    tags: ['onboarding', 'code-review'],
    verifiedDaysAgo: 20,
    reviewDays: 90,
    flag: { by: 'tomas', reason: 'The checklist moved to the engineering handbook and now has seven questions.' },
  },
];

async function seedCards(db: Kysely<Database>, communityId: string): Promise<void> {
  const any = await db.selectFrom('cards').select('id').limit(1).executeTakeFirst();
  if (any) return;
  const nowMs = Date.parse(now());
  for (const card of DEMO_CARDS) {
    const created = new Date(nowMs - (card.verifiedDaysAgo + 5) * DAY_MS).toISOString();
    const verified = new Date(nowMs - card.verifiedDaysAgo * DAY_MS).toISOString();
    const tags = JSON.stringify(card.tags);
    const row = await db
      .insertInto('cards')
      .values({
        community_id: communityId,
        status: 'published',
        author_id: card.author,
        last_editor_id: card.author,
        title: card.title,
        summary: card.summary,
        body: card.body,
        tags,
        version: 1,
        review_interval_days: card.reviewDays,
        source_subject: null,
        source_comment_id: null,
        credited_id: null,
        verified_by: card.experts[0] ?? card.author,
        verified_at: verified,
        review_by: new Date(Date.parse(verified) + card.reviewDays * DAY_MS).toISOString(),
        flagged_by: card.flag?.by ?? null,
        flag_reason: card.flag?.reason ?? null,
        flagged_at: card.flag ? now() : null,
        views: 0,
        created_at: created,
        updated_at: verified,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('card_versions')
      .values({ card_id: row.id, version: 1, title: card.title, summary: card.summary, body: card.body, tags, editor_id: card.author, created_at: created })
      .execute();
    await db.insertInto('card_experts').values(card.experts.map((person) => ({ card_id: row.id, person_id: person }))).execute();
  }
}

/** Kudos with values to grace and ada, given when the demo is first seeded. */
const DEMO_KUDOS = [
  { subject: 'onboarding/week-1/dev-environment', giver: 'linus', recipient: 'grace', value: 'helpful' },
  { subject: 'onboarding/week-1/dev-environment', giver: 'mei', recipient: 'grace', value: 'knowledge-sharing' },
  { subject: 'onboarding/week-1/code-review', giver: 'linus', recipient: 'ada', value: 'mentoring' },
];

const SPOTLIGHT_WEEK_MS = 7 * 24 * 60 * 60_000;

/**
 * A freshly seeded demo already fills this week's spotlight: the kudos above, and ada and grace as
 * facilitators since the seed. A demo database seeded longer ago than that would show an empty
 * spotlight, so when the community has no kudos in the last 7 days, the seeded kudos still given are
 * dated now again. The git-setup question stays unanswered on purpose.
 */
async function keepDemoSpotlightCurrent(db: Kysely<Database>, communityId: string): Promise<void> {
  const weekAgo = new Date(Date.now() - SPOTLIGHT_WEEK_MS).toISOString();
  const recent = await db
    .selectFrom('kudos')
    .select('id')
    .where('community_id', '=', communityId)
    .where('status', '=', 'given')
    .where('created_at', '>=', weekAgo)
    .limit(1)
    .executeTakeFirst();
  if (recent) return;
  await db
    .updateTable('kudos')
    .set({ created_at: now() })
    .where('community_id', '=', communityId)
    .where('status', '=', 'given')
    .where((eb) => eb.or(DEMO_KUDOS.map((k) => eb.and([eb('giver_id', '=', k.giver), eb('subject', '=', k.subject)]))))
    .execute();
}

async function seedPeopleAndKudos(db: Kysely<Database>, communityId: string): Promise<void> {
  const at = now();
  await db
    .insertInto('people')
    .values(DEMO_PEOPLE.map((p) => ({ id: p.id, name: p.name, title: p.title, avatar_url: null, created_at: at })))
    .execute();
  await db
    .insertInto('memberships')
    .values(
      DEMO_PEOPLE.map((p) => ({
        community_id: communityId,
        person_id: p.id,
        role: p.id === 'ada' || p.id === 'grace' ? ('facilitator' as const) : ('member' as const),
        since: at,
      })),
    )
    .execute();
  await db
    .insertInto('kudos')
    .values(
      DEMO_KUDOS.map((k) => ({
        subject: k.subject,
        giver_id: k.giver,
        recipient_id: k.recipient,
        community_id: communityId,
        message: null,
        value: k.value,
        status: 'given' as const,
        decline_message: null,
        created_at: at,
      })),
    )
    .execute();
}

interface DemoComment {
  author: string;
  body: string;
  pinned?: boolean;
  mentions?: string[];
  /** Emoji → who reacted with it. */
  reactions?: Record<string, string[]>;
  replies?: DemoComment[];
}

interface DemoThread {
  subject: string;
  mode: 'discussion' | 'question';
  comments: DemoComment[];
}

/** A lively week-1 thread (replies four deep, a pinned welcome) and an open question to accept an answer on. */
export const DEMO_THREADS: DemoThread[] = [
  {
    subject: 'course-101/week-1',
    mode: 'discussion',
    comments: [
      {
        author: 'grace',
        pinned: true,
        body: 'Welcome to week 1! Ask anything here, and when something helps you, say so: that is how we improve the course.',
        reactions: { '👍': ['linus', 'mei', 'tomas'], '🎉': ['ada'] },
      },
      {
        author: 'linus',
        body: 'The bootstrap script stops at the VPN certificate step for me. Did anyone else hit this?',
        reactions: { '👀': ['mei'] },
        replies: [
          {
            author: 'ada',
            body: 'Yes: connect to the VPN first, run `make certs`, then run the bootstrap script again.',
            reactions: { '🙏': ['linus'], '👍': ['tomas'], '💡': ['mei'] },
            replies: [
              {
                author: 'linus',
                body: 'That worked, thank you! Should this be in the lesson?',
                replies: [
                  {
                    author: 'grace',
                    mentions: ['linus'],
                    body: 'Good idea, @linus: the lesson now has a note about it.',
                    reactions: { '❤️': ['linus', 'ada'] },
                  },
                ],
              },
            ],
          },
          { author: 'tomas', body: 'Same on Windows, where the script also needs an administrator shell.' },
        ],
      },
      {
        author: 'mei',
        body: 'Tip: the service catalogue has a *good first change* filter. It saved me a lot of searching.',
        reactions: { '💡': ['linus', 'ada'], '❤️': ['grace'] },
      },
      { author: 'tomas', body: 'Is there a recording of the code review walkthrough for those of us in Berlin?' },
    ],
  },
  {
    subject: 'course-101/faq/git-setup',
    mode: 'question',
    comments: [
      { author: 'linus', body: 'How do I set up Git so that my commits use my work email and are signed?' },
      {
        author: 'ada',
        body: 'Set `git config --global user.email` to your work address, then sign with your SSH key: `git config --global gpg.format ssh`.',
        reactions: { '👍': ['grace', 'mei'] },
      },
      { author: 'mei', body: 'The setup script in the dotfiles repository asks for your email and sets up signing for you.' },
      {
        author: 'tomas',
        body: 'Also set `git config --global commit.gpgsign true`, or only some of your commits will be signed.',
        reactions: { '💡': ['mei'] },
      },
    ],
  },
];

/** Seeds one demo thread unless its subject already has one. */
async function seedThread(db: Kysely<Database>, communityId: string, thread: DemoThread): Promise<void> {
  const exists = await db.selectFrom('threads').select('subject').where('subject', '=', thread.subject).executeTakeFirst();
  if (exists) return;
  const first = thread.comments[0];
  if (!first) return;
  // A little history: one comment every twenty minutes, ending an hour ago.
  const count = (comments: DemoComment[]): number => comments.reduce((n, c) => n + 1 + count(c.replies ?? []), 0);
  let at = Date.now() - 60 * 60_000 - count(thread.comments) * 20 * 60_000;
  const next = () => {
    at += 20 * 60_000;
    return new Date(at).toISOString();
  };
  await db.transaction().execute(async (trx) => {
    const createdAt = new Date(at + 20 * 60_000).toISOString();
    await trx
      .insertInto('threads')
      .values({
        subject: thread.subject,
        community_id: communityId,
        mode: thread.mode,
        locked: 0,
        accepted_comment_id: null,
        created_by: first.author,
        created_at: createdAt,
        last_comment_at: createdAt,
        comment_count: 0,
      })
      .execute();
    const insert = async (comment: DemoComment, parentId: number | null): Promise<void> => {
      const written = next();
      const row = await trx
        .insertInto('comments')
        .values({
          subject: thread.subject,
          parent_id: parentId,
          author_id: comment.author,
          body: comment.body,
          state: 'visible',
          pinned_at: comment.pinned ? written : null,
          reaction_count: 0,
          created_at: written,
          edited_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(row.id);
      if (comment.mentions?.length) {
        await trx.insertInto('comment_mentions').values(comment.mentions.map((person) => ({ comment_id: id, person_id: person }))).execute();
      }
      const reactions = Object.entries(comment.reactions ?? {}).flatMap(([emoji, people]) =>
        people.map((person) => ({ comment_id: id, person_id: person, emoji, created_at: written })),
      );
      if (reactions.length > 0) {
        await trx.insertInto('comment_reactions').values(reactions).execute();
        await refreshReactionCount(trx, id);
      }
      await trx.updateTable('threads').set({ last_comment_at: written }).where('subject', '=', thread.subject).execute();
      for (const reply of comment.replies ?? []) await insert(reply, id);
    };
    for (const comment of thread.comments) await insert(comment, null);
    await refreshThreadCount(trx, thread.subject);
  });
}
