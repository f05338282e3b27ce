import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { operations } from '../../src/api/schema.js';
import type { Database, PersonRow } from '../db.js';
import type { EventBus } from '../events.js';
import { problems } from '../problems.js';
import type { CommentPageCache } from './page-cache.js';
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
  setMembership: async ({ db }, { path, body, person }) =>
    setMembership(db, signedIn(person), path.communityId, path.personId, body.role),
  getSpotlight: async ({ db }, { path, query }) => getSpotlight(db, path.communityId, query),
  listThreads: async (context, { query }) => listThreads(context, query),
  updateThread: async (context, { query, body, person }) => updateThread(context, signedIn(person), query.subject, body),
  listComments: async (context, { query, person }) => listComments(context, query, person),
  createComment: async (context, { body, person }) => createComment(context, signedIn(person), body),
  getComment: async (context, { path, person }) => getComment(context, path.commentId, person),
  updateComment: async (context, { path, body, person }) => updateComment(context, signedIn(person), path.commentId, body),
  deleteComment: async (context, { path, person }) => deleteComment(context, signedIn(person), path.commentId),
  addReaction: async (context, { path, person }) => setReaction(context, signedIn(person), path.commentId, path.emoji, true),
  removeReaction: async (context, { path, person }) => setReaction(context, signedIn(person), path.commentId, path.emoji, false),
  flagComment: async (context, { path, body, person }) => flagComment(context, signedIn(person), path.commentId, body),
  listKudosSummaries: async ({ db }, { query, person }) => ({ items: await kudosSummaries(db, query.subjects, person) }),
  giveKudos: async ({ db, events, defaultCommunity }, { body, person }) =>
    giveKudos(db, events, signedIn(person), body, defaultCommunity),
  withdrawKudos: async ({ db, events }, { path, person }) => withdrawKudos(db, events, signedIn(person), path.kudosId),
  declineKudos: async ({ db, events }, { path, body, person }) => declineKudos(db, events, signedIn(person), path.kudosId, body),
  listKudos: async ({ db, defaultCommunity }, { query, person }) => listKudos(db, query, person, defaultCommunity),
  getKudosAllowance: async ({ db, defaultCommunity }, { query, person }) =>
    kudosAllowance(db, signedIn(person), query.community ?? defaultCommunity),
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
