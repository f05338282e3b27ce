import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { operations } from '../../src/api/schema.js';
import type { CredentialIssuer } from '../credentials.js';
import type { Database, PersonRow } from '../db.js';
import type { EventBus } from '../events.js';
import { problems } from '../problems.js';
import type { CommentPageCache } from './page-cache.js';
import {
  createAward,
  evaluateAwards,
  getAward,
  getBadgeWall,
  getCredential,
  getIssuer,
  getIssuerKeys,
  getStatusList,
  listAchievements,
  listAwards,
  listBadgeWalls,
  revokeAward,
  verifyAward,
  type MeasureKind,
} from './badges.js';
import {
  createCard,
  flagCard,
  getCard,
  getOEmbed,
  listCards,
  listCardVersions,
  recordCardView,
  updateCard,
  verifyCard,
  voteCard,
} from './cards.js';
import { getCommunityRow, listCommunities, listMembers, setMembership } from './communities.js';
import {
  createComment,
  deleteComment,
  flagComment,
  getComment,
  listComments,
  listThreads,
  setReaction,
  updateComment,
  updateThread,
} from './discussions.js';
import { declineKudos, giveKudos, kudosAllowance, kudosSummaries, listKudos, withdrawKudos } from './kudos.js';
import { getMe, getPersonOr404, listPeople, setPreferences, toCommunity, toPerson } from './people.js';
import { getSpotlight } from './spotlight.js';

export interface HandlerContext {
  db: Kysely<Database>;
  events: EventBus;
  defaultCommunity: string;
  pages?: CommentPageCache | undefined;
  issuer: CredentialIssuer;
}

/** A body the contract types as something other than JSON (a VC-JWT), written as it is. */
export class RawBody {
  constructor(
    readonly contentType: string,
    readonly body: string,
  ) {}
}

/** For operations whose only success content is not JSON: the generated type of their body is `never`. */
function raw(contentType: string, body: string): never {
  return new RawBody(contentType, body) as never;
}

/**
 * Awards the badges an activity has just earned, once its own transaction has committed. A failure
 * is logged and never fails the activity: the next qualifying activity, or the catch-up at start,
 * awards what was missed.
 */
async function afterActivity(
  context: HandlerContext,
  request: FastifyRequest,
  personId: string | undefined,
  communityId: string | undefined,
  kinds: readonly MeasureKind[],
): Promise<void> {
  if (!personId || !communityId) return;
  try {
    await evaluateAwards(context, personId, communityId, kinds);
  } catch (error) {
    request.log.error({ err: error, personId, communityId }, 'awarding badges failed');
  }
}

async function threadCommunity(db: Kysely<Database>, subject: string): Promise<string | undefined> {
  const row = await db.selectFrom('threads').select('community_id').where('subject', '=', subject).executeTakeFirst();
  return row?.community_id;
}

async function commentAuthorId(db: Kysely<Database>, id: string | null): Promise<string | undefined> {
  if (id === null || !/^\d+$/.test(id)) return undefined;
  const row = await db.selectFrom('comments').select('author_id').where('id', '=', Number(id)).executeTakeFirst();
  return row?.author_id;
}

type Operations = operations;
type OperationId = keyof Operations;
type JsonContent<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type SuccessBody<K extends OperationId> = Operations[K]['responses'] extends infer R
  ? 200 extends keyof R
    ? JsonContent<R[200]>
    : 201 extends keyof R
      ? JsonContent<R[201]>
      : undefined
  : never;
type Params<K extends OperationId, Where extends 'query' | 'path'> = NonNullable<Operations[K]['parameters'][Where]>;
type RequestBody<K extends OperationId> = Operations[K] extends { requestBody: infer B } ? JsonContent<B> : undefined;

/** What a handler receives: the request as the contract typed and already validated it. */
export interface OperationInput<K extends OperationId> {
  query: Params<K, 'query'>;
  path: Params<K, 'path'>;
  body: RequestBody<K>;
  person: PersonRow | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

export type OperationHandler<K extends OperationId> = (
  context: HandlerContext,
  input: OperationInput<K>,
) => Promise<SuccessBody<K>>;

export type Handlers = { [K in OperationId]?: OperationHandler<K> };
export type RawHandler = (context: HandlerContext, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

function signedIn(person: PersonRow | undefined): PersonRow {
  if (!person) throw problems.unauthorized('This operation needs a signed-in person.');
  return person;
}

const implemented: Handlers = {
  getMe: async ({ db }, { person }) => getMe(db, signedIn(person)),
  listPeople: async ({ db }, { query }) => listPeople(db, query),
  updatePreferences: async ({ db }, { body, person }) => setPreferences(db, signedIn(person), body),
  getPerson: async ({ db }, { path, person }) =>
    toPerson(await getPersonOr404(db, path.personId === 'me' ? signedIn(person).id : path.personId)),
  listCommunities: async ({ db }, { query }) => listCommunities(db, query),
  getCommunity: async ({ db }, { path }) => toCommunity(await getCommunityRow(db, path.communityId)),
  listMembers: async ({ db }, { path, query }) => listMembers(db, path.communityId, query),
  setMembership: async (context, { path, body, person, request }) => {
    const membership = await setMembership(context.db, signedIn(person), path.communityId, path.personId, body.role);
    await afterActivity(context, request, membership.personId, membership.communityId, ['facilitator']);
    return membership;
  },
  getSpotlight: async ({ db }, { path, query }) => getSpotlight(db, path.communityId, query),
  listThreads: async (context, { query }) => listThreads(context, query),
  updateThread: async (context, { query, body, person, request }) => {
    const thread = await updateThread(context, signedIn(person), query.subject, body);
    if ('acceptedCommentId' in body && thread.acceptedCommentId !== null) {
      await afterActivity(context, request, await commentAuthorId(context.db, thread.acceptedCommentId), thread.community, ['accepted-answers']);
    }
    return thread;
  },
  listComments: async (context, { query, person }) => listComments(context, query, person),
  createComment: async (context, { body, person, request }) => {
    const comment = await createComment(context, signedIn(person), body);
    await afterActivity(context, request, comment.author?.id, await threadCommunity(context.db, comment.subject), ['comments']);
    return comment;
  },
  getComment: async (context, { path, person }) => getComment(context, path.commentId, person),
  updateComment: async (context, { path, body, person }) => updateComment(context, signedIn(person), path.commentId, body),
  deleteComment: async (context, { path, person }) => deleteComment(context, signedIn(person), path.commentId),
  addReaction: async (context, { path, person }) => setReaction(context, signedIn(person), path.commentId, path.emoji, true),
  removeReaction: async (context, { path, person }) => setReaction(context, signedIn(person), path.commentId, path.emoji, false),
  flagComment: async (context, { path, body, person }) => flagComment(context, signedIn(person), path.commentId, body),
  listKudosSummaries: async ({ db }, { query, person }) => ({ items: await kudosSummaries(db, query.subjects, person) }),
  giveKudos: async (context, { body, person, request }) => {
    const receipt = await giveKudos(context.db, context.events, signedIn(person), body, context.defaultCommunity);
    await afterActivity(context, request, receipt.kudos.recipient.id, receipt.kudos.communityId, ['kudos-received']);
    return receipt;
  },
  withdrawKudos: async ({ db, events }, { path, person }) => withdrawKudos(db, events, signedIn(person), path.kudosId),
  declineKudos: async ({ db, events }, { path, body, person }) => declineKudos(db, events, signedIn(person), path.kudosId, body),
  listKudos: async ({ db, defaultCommunity }, { query, person }) => listKudos(db, query, person, defaultCommunity),
  getKudosAllowance: async ({ db, defaultCommunity }, { query, person }) =>
    kudosAllowance(db, signedIn(person), query.community ?? defaultCommunity),
  listAchievements: async (context, { query }) => listAchievements(context, query),
  getBadgeWall: async (context, { path, query, person }) =>
    getBadgeWall(context, path.personId === 'me' ? signedIn(person).id : path.personId, query.community),
  listBadgeWalls: async (context, { query, person }) => listBadgeWalls(context, query.people, query.community, person),
  listAwards: async (context, { query }) => listAwards(context, query),
  createAward: async (context, { body, person }) => createAward(context, signedIn(person), body),
  getAward: async (context, { path }) => getAward(context, path.awardId),
  revokeAward: async (context, { path, body, person }) => revokeAward(context, signedIn(person), path.awardId, body.reason),
  getCredential: async (context, { path }) => raw('application/vc+jwt', await getCredential(context, path.awardId)),
  verifyAward: async (context, { path }) => verifyAward(context, path.awardId),
  getIssuer: async (context, { path }) => getIssuer(context, path.communityId),
  getIssuerKeys: async (context, { path }) => getIssuerKeys(context, path.communityId),
  getStatusList: async (context, { path }) => raw('application/vc+jwt', await getStatusList(context, path.communityId)),
  listCards: async (context, { query, person }) => listCards(context, query, person),
  getCard: async (context, { path, person }) => getCard(context, path.cardId, person),
  createCard: async (context, { body, person, request }) => {
    const card = await createCard(context, signedIn(person), body);
    if (card.status === 'published') await afterActivity(context, request, card.author.id, card.communityId, ['cards-written']);
    return card;
  },
  updateCard: async (context, { path, body, person, request }) => {
    const card = await updateCard(context, signedIn(person), path.cardId, body);
    if (body.status === 'published') await afterActivity(context, request, card.author.id, card.communityId, ['cards-written']);
    return card;
  },
  listCardVersions: async (context, { path, query, person }) => listCardVersions(context, path.cardId, query, person),
  verifyCard: async (context, { path, body, person, request }) => {
    const card = await verifyCard(context, signedIn(person), path.cardId, body);
    await afterActivity(context, request, person?.id, card.communityId, ['cards-verified']);
    return card;
  },
  flagCard: async (context, { path, body, person }) => flagCard(context, signedIn(person), path.cardId, body),
  voteCard: async (context, { path, body, person }) => voteCard(context, signedIn(person), path.cardId, body),
  recordCardView: async (context, { path, person }) => recordCardView(context, path.cardId, person),
  getOEmbed: async (context, { query }) => getOEmbed(context, query),
  streamEvents: async ({ events }, { request, reply }) => {
    const origin = reply.getHeader('access-control-allow-origin');
    await events.stream(request, reply, origin ? { 'access-control-allow-origin': String(origin), vary: 'Origin' } : {});
    return undefined as never;
  },
};

/**
 * Binds each implemented operation to the request. The request was validated against the contract
 * before it gets here, which is what makes reading it as the generated types sound.
 */
export function createHandlers(): Partial<Record<OperationId, RawHandler>> {
  const bound: Partial<Record<OperationId, RawHandler>> = {};
  for (const [operationId, handler] of Object.entries(implemented)) {
    const run = handler as OperationHandler<OperationId>;
    bound[operationId as OperationId] = (context, request, reply) =>
      run(context, {
        query: (request.query ?? {}),
        path: (request.params ?? {}) as never,
        body: request.body as never,
        person: request.person,
        request,
        reply,
      });
  }
  return bound;
}
