import type { Kysely } from 'kysely';
import type { components } from '../../src/api/schema.js';
import { now, type Database, type PersonRow } from '../db.js';
import { HttpProblem } from '../problems.js';
import { getCommunityRow } from './communities.js';
import { toCommunity, toPerson } from './people.js';

type Schemas = components['schemas'];
type Entry = Schemas['SpotlightEntry'];
type Kind = Entry['kind'];

/** The most entries a spotlight holds. Each kind is read at most this deep, so the merge is exact. */
export const SPOTLIGHT_LIMIT = 20;

const DAY_MS = 24 * 60 * 60 * 1000;

/** How far back each period reaches from now: rolling, so Monday morning is not an empty spotlight. */
const PERIOD_DAYS: Record<Schemas['SpotlightPeriod'], number> = { week: 7, month: 30, quarter: 90 };

/** Ties between kinds at the same moment or count: kudos first, then answers, then new roles. */
const KIND_ORDER: Record<Kind, number> = { 'kudos-received': 0, helped: 1, facilitator: 2, badge: 3 };

interface Achievement {
  kind: Kind;
  personId: string;
  count: number;
  since: string;
  value?: Schemas['KudosValue'];
}

function rankingForbidden(communityName: string): HttpProblem {
  return new HttpProblem(
    403,
    'ranking-forbidden',
    'Ranking forbidden',
    `${communityName} does not allow rankings: ask for mode=celebrate instead.`,
  );
}

/** "Mentoring" reads "for mentoring"; an acronym such as "GDPR awareness" keeps its capitals. */
function inSentence(label: string): string {
  return /^\p{Lu}\p{Ll}/u.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

function reasonFor(achievement: Achievement): string {
  const { kind, count, value } = achievement;
  if (kind === 'kudos-received') return `${count} kudos${value ? ` for ${inSentence(value.label)}` : ''}`;
  if (kind === 'helped') return count === 1 ? '1 accepted answer' : `${count} accepted answers`;
  if (kind === 'facilitator') return 'New facilitator';
  return count === 1 ? '1 badge' : `${count} badges`;
}

/** The value most thanked for: most kudos, then the most recent, then the first id, so ties read the same. */
function outranks(a: { value: Schemas['KudosValue']; n: number; latest: string }, b: typeof a): boolean {
  return (a.n - b.n || a.latest.localeCompare(b.latest) || b.value.id.localeCompare(a.value.id)) > 0;
}

function byRecency(a: Achievement, b: Achievement): number {
  return b.since.localeCompare(a.since) || b.count - a.count || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.personId.localeCompare(b.personId);
}

function byCount(a: Achievement, b: Achievement): number {
  return b.count - a.count || b.since.localeCompare(a.since) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.personId.localeCompare(b.personId);
}

/**
 * A community's spotlight in six queries at most, whatever its size: the community, the top
 * recipients of kudos, the values those were thanked for, the top answerers, the new facilitators,
 * and the people named. Opted-out people are left out in each query, so they never take a place.
 */
export async function getSpotlight(
  db: Kysely<Database>,
  communityId: string,
  query: { period?: Schemas['SpotlightPeriod']; mode?: Schemas['SpotlightMode'] },
): Promise<Schemas['Spotlight']> {
  const period = query.period ?? 'week';
  const mode = query.mode ?? 'celebrate';
  const community = toCommunity(await getCommunityRow(db, communityId));
  const { rankingAllowed } = community.settings;
  if (mode === 'leaderboard' && !rankingAllowed) throw rankingForbidden(community.name);
  const to = now();
  const from = new Date(Date.parse(to) - PERIOD_DAYS[period] * DAY_MS).toISOString();
  const leaderboard = mode === 'leaderboard';
  const optedOut = db.selectFrom('person_preferences').select('person_id').where('spotlight_opt_out', '=', 1);

  // Timestamps are RFC 3339 UTC strings from toISOString(), which order as text as they do in time.
  const kudosInPeriod = db
    .selectFrom('kudos')
    .where('community_id', '=', community.id)
    .where('status', '=', 'given')
    .where('created_at', '>=', from)
    .where('created_at', '<=', to)
    .where('recipient_id', 'not in', optedOut);
  const recipients = await kudosInPeriod
    .select(['recipient_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('created_at').as('latest')])
    .groupBy('recipient_id')
    .orderBy(leaderboard ? 'n' : 'latest', 'desc')
    .orderBy(leaderboard ? 'latest' : 'n', 'desc')
    .orderBy('recipient_id')
    .limit(SPOTLIGHT_LIMIT)
    .execute();
  const valueCounts =
    recipients.length === 0
      ? []
      : await kudosInPeriod
          .select(['recipient_id', 'value', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('created_at').as('latest')])
          .where(
            'recipient_id',
            'in',
            recipients.map((row) => row.recipient_id),
          )
          .where('value', 'is not', null)
          .groupBy(['recipient_id', 'value'])
          .execute();

  // The answer's author, once per accepted answer; an asker accepting their own answer does not count.
  const answerers = await db
    .selectFrom('threads')
    .innerJoin('comments', 'comments.id', 'threads.accepted_comment_id')
    .select(['comments.author_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('threads.last_comment_at').as('latest')])
    .where('threads.community_id', '=', community.id)
    .where('threads.mode', '=', 'question')
    .where('comments.state', '=', 'visible')
    .whereRef('comments.author_id', '!=', 'threads.created_by')
    .where('threads.last_comment_at', '>=', from)
    .where('threads.last_comment_at', '<=', to)
    .where('comments.author_id', 'not in', optedOut)
    .groupBy('comments.author_id')
    .orderBy(leaderboard ? 'n' : 'latest', 'desc')
    .orderBy(leaderboard ? 'latest' : 'n', 'desc')
    .orderBy('comments.author_id')
    .limit(SPOTLIGHT_LIMIT)
    .execute();

  // A facilitator is new from their promotion (`role_since`), or from joining as one.
  const facilitators = await db
    .selectFrom('memberships')
    .select(['person_id', (eb) => eb.fn.coalesce('role_since', 'since').as('since')])
    .where('community_id', '=', community.id)
    .where('role', '=', 'facilitator')
    .where((eb) => eb(eb.fn.coalesce('role_since', 'since'), '>=', from))
    .where((eb) => eb(eb.fn.coalesce('role_since', 'since'), '<=', to))
    .where('person_id', 'not in', optedOut)
    .orderBy('since', 'desc')
    .orderBy('person_id')
    .limit(SPOTLIGHT_LIMIT)
    .execute();

  const labels = new Map(community.settings.kudosValues.map((value) => [value.id, value]));
  const mostThanked = new Map<string, { value: Schemas['KudosValue']; n: number; latest: string }>();
  for (const row of valueCounts) {
    const value = row.value === null ? undefined : labels.get(row.value);
    if (!value) continue;
    const n = Number(row.n);
    const latest = String(row.latest);
    const best = mostThanked.get(row.recipient_id);
    const candidate = { value, n, latest };
    if (!best || outranks(candidate, best)) mostThanked.set(row.recipient_id, candidate);
  }

  const achievements: Achievement[] = [
    ...recipients.map((row) => {
      const value = mostThanked.get(row.recipient_id)?.value;
      return { kind: 'kudos-received' as const, personId: row.recipient_id, count: Number(row.n), since: String(row.latest), ...(value ? { value } : {}) };
    }),
    ...answerers.map((row) => ({ kind: 'helped' as const, personId: row.author_id, count: Number(row.n), since: String(row.latest) })),
    ...facilitators.map((row) => ({ kind: 'facilitator' as const, personId: row.person_id, count: 1, since: row.since })),
  ]
    .sort(leaderboard ? byCount : byRecency)
    .slice(0, SPOTLIGHT_LIMIT);

  const ids = [...new Set(achievements.map((achievement) => achievement.personId))];
  const people = new Map<string, PersonRow>();
  if (ids.length > 0) {
    for (const row of await db.selectFrom('people').selectAll().where('id', 'in', ids).execute()) people.set(row.id, row);
  }

  const entries: Entry[] = [];
  for (const achievement of achievements) {
    const person = people.get(achievement.personId);
    if (!person) continue;
    // Competition ranking (1, 2, 2, 4): sorted by count, the first entry with this count has as many before it as rank them higher.
    const rank = achievements.findIndex((other) => other.count === achievement.count) + 1;
    entries.push({
      kind: achievement.kind,
      person: toPerson(person),
      count: achievement.count,
      ...(achievement.value ? { value: achievement.value } : {}),
      reason: reasonFor(achievement),
      since: achievement.since,
      ...(leaderboard ? { rank } : {}),
    });
  }
  return { communityId: community.id, period, mode, from, to, rankingAllowed, entries };
}
