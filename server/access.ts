import type { Kysely } from 'kysely';
import type { Database, PersonRow } from './db.js';
import type { OperationId } from './contract.js';
import { roleIn } from './handlers/communities.js';
import { parseCommentId } from './handlers/discussions.js';
import { parseKudosId } from './handlers/kudos.js';
import { problems } from './problems.js';

/**
 * Who may call each operation, in one table, checked before the handler reads anything:
 *
 * - `anyone`: anonymous visitors too (the contract lists `{}` among its security requirements);
 * - `signed-in`: any person with a valid token;
 * - `owner`: the person who created the resource; `owner()` reads only whose it is (`undefined`:
 *   no such resource, `404`). An id in the URL never grants anything by itself;
 * - `self-or-facilitator`: the person themselves, for a `member` role only, or a facilitator of
 *   the community.
 *
 * Operations later issues will implement are listed too, so nothing is ever open by omission.
 */
export type Access =
  | { who: 'anyone' }
  | { who: 'signed-in' }
  | {
      who: 'owner';
      owner: (db: Kysely<Database>, path: Record<string, string>) => Promise<string | undefined>;
      what: string;
      /** How the owner came to own it, for the refusal: "the person who <verb> this <what>" (default `gave`). */
      verb?: string;
    }
  | { who: 'self-or-facilitator' };

const anyone: Access = { who: 'anyone' };
const signedIn: Access = { who: 'signed-in' };

async function kudosGiver(db: Kysely<Database>, path: Record<string, string>): Promise<string | undefined> {
  const id = parseKudosId(path['kudosId'] ?? '');
  if (id === undefined) return undefined;
  const row = await db.selectFrom('kudos').select('giver_id').where('id', '=', id).executeTakeFirst();
  return row?.giver_id;
}

async function kudosRecipient(db: Kysely<Database>, path: Record<string, string>): Promise<string | undefined> {
  const id = parseKudosId(path['kudosId'] ?? '');
  if (id === undefined) return undefined;
  const row = await db.selectFrom('kudos').select('recipient_id').where('id', '=', id).executeTakeFirst();
  return row?.recipient_id;
}

/** A comment's author; a deleted comment (a placeholder) belongs to nobody any more. */
async function commentAuthor(db: Kysely<Database>, path: Record<string, string>): Promise<string | undefined> {
  const id = parseCommentId(path['commentId'] ?? '');
  if (id === undefined) return undefined;
  const row = await db.selectFrom('comments').select(['author_id', 'state']).where('id', '=', id).executeTakeFirst();
  return row && row.state !== 'deleted' ? row.author_id : undefined;
}

export const ACCESS: Record<OperationId, Access> = {
  getMe: signedIn,
  listPeople: anyone,
  // Only ever the caller's own: the path has no person in it.
  updatePreferences: signedIn,
  getPerson: anyone,
  listCommunities: anyone,
  getCommunity: anyone,
  listMembers: anyone,
  setMembership: { who: 'self-or-facilitator' },
  // Open to all; whether `mode=leaderboard` is allowed is the community's setting (server/handlers/spotlight.ts).
  getSpotlight: anyone,
  listThreads: anyone,
  updateThread: signedIn,
  listComments: anyone,
  createComment: signedIn,
  getComment: anyone,
  updateComment: signedIn,
  // Who may pin, hide, lock or accept depends on the thread's community and the request body:
  // those rules live in server/handlers/discussions.ts. Deleting is for the author alone.
  deleteComment: { who: 'owner', owner: commentAuthor, what: 'comment', verb: 'wrote' },
  addReaction: signedIn,
  removeReaction: signedIn,
  flagComment: signedIn,
  listKudos: anyone,
  giveKudos: signedIn,
  listKudosSummaries: anyone,
  withdrawKudos: { who: 'owner', owner: kudosGiver, what: 'kudos' },
  getKudosAllowance: signedIn,
  declineKudos: { who: 'owner', owner: kudosRecipient, what: 'kudos', verb: 'received' },
  listAchievements: anyone,
  getBadgeWall: anyone,
  listBadgeWalls: anyone,
  listAwards: anyone,
  // Facilitators of the achievement's community only: the rule lives in server/handlers/badges.ts.
  createAward: signedIn,
  getAward: anyone,
  // Credentials, their verification and the issuer's keys and status list are public by design.
  getCredential: anyone,
  verifyAward: anyone,
  getIssuer: anyone,
  getIssuerKeys: anyone,
  getStatusList: anyone,
  revokeAward: signedIn,
  listCards: anyone,
  createCard: signedIn,
  getCard: anyone,
  updateCard: signedIn,
  listCardVersions: anyone,
  verifyCard: signedIn,
  flagCard: signedIn,
  voteCard: signedIn,
  // Counted only for signed-in people (once a day); anonymous views are answered and not counted.
  recordCardView: anyone,
  getOEmbed: anyone,
  streamEvents: anyone,
};

/** Throws the problem that refuses `person` this operation, or returns when they may go on. */
export async function authorize(
  db: Kysely<Database>,
  operationId: OperationId,
  person: PersonRow | undefined,
  request: { path: Record<string, string>; body: unknown },
): Promise<void> {
  const rule = ACCESS[operationId];
  if (rule.who === 'anyone') return;
  if (!person) throw problems.unauthorized('This operation needs a signed-in person.');
  if (rule.who === 'signed-in') return;
  if (rule.who === 'owner') {
    const owner = await rule.owner(db, request.path);
    if (owner === undefined) throw problems.notFound(`No such ${rule.what}.`);
    if (owner !== person.id) throw problems.forbidden(`Only the person who ${rule.verb ?? 'gave'} this ${rule.what} may do this.`);
    return;
  }
  const communityId = request.path['communityId'] ?? '';
  const community = await db.selectFrom('communities').select('id').where('id', '=', communityId).executeTakeFirst();
  if (!community) throw problems.notFound(`No community with id ${communityId}.`);
  const target = request.path['personId'] === 'me' ? person.id : request.path['personId'];
  const role = typeof request.body === 'object' && request.body !== null && 'role' in request.body ? request.body.role : undefined;
  if (target === person.id && role === 'member') return;
  if ((await roleIn(db, communityId, person.id)) !== 'facilitator') {
    throw problems.forbidden('Only a facilitator may set roles other than joining as a member yourself.');
  }
}
