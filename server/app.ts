import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import openapiGlue from 'fastify-openapi-glue';
import type { Kysely } from 'kysely';
import { authorize } from './access.js';
import { createAuthenticator, type AuthOptions, type Authenticator } from './auth.js';
import { loadContract, type Contract, type OperationInfo } from './contract.js';
import { clock, now, type Database, type PersonRow } from './db.js';
import { EventBus } from './events.js';
import { createHandlers, RawBody, type HandlerContext } from './handlers/index.js';
import { CredentialIssuer } from './credentials.js';
import { registerBadgePages } from './badge-pages.js';
import { registerCardPages } from './card-pages.js';
import { CommentPageCache } from './handlers/page-cache.js';
import { HttpProblem, problems, type Problem } from './problems.js';
import { registerDemo } from './demo.js';

declare module 'fastify' {
  interface FastifyRequest {
    person: PersonRow | undefined;
    idempotency: { personId: string; key: string } | undefined;
  }
}

export interface AppOptions {
  db: Kysely<Database>;
  auth: AuthOptions;
  /** Origins (scheme://host:port) allowed to call the API from a browser on another origin. */
  corsOrigins?: string[];
  /** Enables the demo page, `/demo/people` and `/demo/token`. */
  demo?: boolean;
  /** The community used when a request names none. */
  defaultCommunity?: string;
  /** Folder with the script-tag bundle, served at `/guildkit/`. */
  cdnDir?: string;
  contract?: Contract;
  logLevel?: string;
  /** Requests one person (or, signed out, one address) may make per minute. */
  rateLimitPerMinute?: number;
  /** Writes one person may make per minute to each write operation. */
  writeLimitPerMinute?: number;
  /** Comments one person may post per minute (replaces the write limit on createComment). */
  commentLimitPerMinute?: number;
  /** Behind a reverse proxy: take the visitor's address from X-Forwarded-For (for anonymous rate limits). */
  trustProxy?: boolean;
  /** Keep pages of comments in memory between changes (default `true`). */
  cachePages?: boolean;
  /**
   * The origin people reach this server at (`https://guild.example.com`): badge credentials name
   * their issuer, keys and status list with it, so it must stay the same for the credentials' life.
   */
  publicUrl?: string;
}

export interface App {
  server: FastifyInstance;
  events: EventBus;
  auth: Authenticator;
  /** What handlers share (the database, events, the credential issuer), for start-up jobs and tests. */
  context: HandlerContext;
}

const formats = formatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

function newAjv(coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    discriminator: true,
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
  });
  formats(ajv);
  return ajv;
}

/**
 * One validator per distinct schema. The contract repeats its shared schemas in every route (about
 * 400 compilations of fewer than 60 schemas), and a compiled validator depends only on the schema and
 * the Ajv options, so each is compiled once per process.
 */
class ValidatorCache {
  readonly #ajv: Ajv2020;
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(coerce: boolean) {
    this.#ajv = newAjv(coerce);
  }

  compile(schema: unknown): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = this.#ajv.compile(schema as object);
      this.#compiled.set(key, validate);
    }
    return validate;
  }

  errorsText(errors: ValidateFunction['errors']): string {
    return this.#ajv.errorsText(errors);
  }
}

const validators = {
  body: new ValidatorCache(false),
  parameters: new ValidatorCache(true),
  response: new ValidatorCache(false),
};

function toPointer(part: string, error: ErrorObject): string {
  const base = `/${part}${error.instancePath}`;
  if (error.keyword === 'required' && typeof error.params['missingProperty'] === 'string') {
    return `${base}/${error.params['missingProperty']}`;
  }
  if (error.keyword === 'additionalProperties' && typeof error.params['additionalProperty'] === 'string') {
    return `${base}/${error.params['additionalProperty']}`;
  }
  return base;
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') return `unknown field ${String(error.params['additionalProperty'])}`;
  return error.message ?? error.keyword;
}

/** Header names in schemas must be lower-case to match what Node hands over. */
function lowerCaseHeaders(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = schema['properties'];
  const required = schema['required'];
  return {
    ...schema,
    ...(properties && typeof properties === 'object'
      ? { properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k.toLowerCase(), v])) }
      : {}),
    ...(Array.isArray(required) ? { required: required.map((name: string) => name.toLowerCase()) } : {}),
  };
}

function fingerprint(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

/** How long a first request may take before a repeat of its key is served as a new request. */
const PENDING_LEASE_MS = 60_000;
const KEY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Statuses that say "try again" rather than "this is the answer": never stored for a key. */
const TRANSIENT_STATUSES = new Set([401, 403, 408, 409, 425, 429]);

export async function buildApp(options: AppOptions): Promise<App> {
  const contract = options.contract ?? loadContract();
  const { db } = options;
  const events = new EventBus(db);
  const auth = createAuthenticator(db, options.auth);
  const defaultCommunity = options.defaultCommunity ?? 'general';

  const server = Fastify({
    logger: options.logLevel ? { level: options.logLevel } : false,
    forceCloseConnections: true,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 256 * 1024,
    // The longest request the contract allows (100 subjects of 512 characters) must fit.
    http: { maxHeaderSize: 64 * 1024 },
    // What the router refuses by itself (bad percent-encoding, say) is a problem document too.
    frameworkErrors: (error, request, reply) => {
      const problem = new HttpProblem(error.statusCode ?? 400, 'invalid-request', 'The request breaks the contract', error.message);
      // The hook's reply is typed for every possible route; this one answers outside any route.
      const plain = reply as unknown as FastifyReply;
      void plain.status(problem.status).type('application/problem+json').send(problem.toProblem(request.url));
    },
    // A connection that breaks HTTP itself (headers too large, say) still gets a problem document.
    clientErrorHandler: (error, socket) => {
      const status = 'code' in error && error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify(new HttpProblem(status, 'invalid-request', 'The request breaks HTTP', error.message).toProblem(''));
      if (socket.writable) {
        socket.end(`HTTP/1.1 ${status} Bad Request\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      }
    },
    routerOptions: {
      // Person ids may be 128 characters and subjects 512; the router's default would refuse them.
      maxParamLength: 1024,
      // Lists travel as `subjects=a,b`: split them here so validation sees arrays.
      querystringParser: (query: string) => {
        const result: Record<string, string | string[]> = {};
        for (const [key, value] of new URLSearchParams(query)) {
          result[key] = contract.listParameters.has(key) ? value.split(',') : value;
        }
        return result;
      },
    },
  });
  server.decorateRequest('person', undefined);
  server.decorateRequest('idempotency', undefined);

  server.setValidatorCompiler(({ schema, httpPart }) => {
    const prepared = httpPart === 'headers' ? lowerCaseHeaders(schema as Record<string, unknown>) : schema;
    const validate = (httpPart === 'body' ? validators.body : validators.parameters).compile(prepared);
    return (data: unknown) => (validate(data) ? { value: data } : { error: new ContractError(httpPart ?? 'body', validate) });
  });
  server.setSerializerCompiler(({ schema, method, url, httpStatus }) => {
    const validate = validators.response.compile(schema);
    // An answer served again from memory (a cached page) is the same object: checked and written once.
    const written = new WeakMap<object, string>();
    return (data: unknown) => {
      const known = typeof data === 'object' && data !== null ? written.get(data) : undefined;
      if (known !== undefined) return known;
      if (!validate(data)) {
        const detail = validators.response.errorsText(validate.errors);
        server.log.error({ method, url, httpStatus, detail }, 'response breaks the contract');
        throw new ResponseContractError(`${method} ${url} ${httpStatus}: ${detail}`);
      }
      const json = JSON.stringify(data);
      if (typeof data === 'object' && data !== null) written.set(data, json);
      return json;
    };
  });

  server.setErrorHandler((error: FastifyError | HttpProblem | Error, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500 && !(error instanceof HttpProblem)) request.log.error(error);
    const headers = error instanceof HttpProblem ? error.headers : {};
    if (problem.status === 429 && !('retry-after' in headers)) reply.header('retry-after', '1');
    reply.status(problem.status).headers(headers).type('application/problem+json');
    // Serialised by hand: a contract failure while reporting a contract failure must not loop.
    return reply.serializer(JSON.stringify).send(problem);
  });
  server.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .type('application/problem+json')
      .send(problems.notFound(`Nothing at ${request.method} ${request.url.split('?')[0]}.`).toProblem(request.url));
  });

  await server.register(cors, {
    origin: options.corsOrigins ?? [],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'last-event-id'],
    exposedHeaders: ['retry-after', 'idempotent-replayed'],
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    maxAge: 600,
    // An OPTIONS request that is not a full preflight is answered like any other, not with plain text.
    strictPreflight: false,
  });

  // Limits are per person, never per address alone: a whole office behind one NAT is many people.
  await server.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: options.rateLimitPerMinute ?? 600,
    timeWindow: 60_000,
    keyGenerator: (request) => (request.person ? `person:${request.person.id}` : `address:${request.ip}`),
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(429, 'rate-limited', 'Too many requests', `Slow down: try again in ${context.after}.`, {
        'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))),
      }),
  });

  const authenticate = (info: OperationInfo) => async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
      if (!match?.[1]) throw problems.unauthorized('The Authorization header must be `Bearer <token>`.');
      request.person = await auth.authenticate(match[1]);
    } else if (info.requiresAuth) {
      throw problems.unauthorized('This operation needs a signed-in person.');
    }
  };

  const idempotencyCheck = async (request: FastifyRequest, reply: FastifyReply) => {
    const person = request.person;
    const key = request.headers['idempotency-key'];
    if (!person || typeof key !== 'string') return;
    const print = fingerprint(request);
    const existing = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('person_id', '=', person.id)
      .where('key', '=', key)
      .executeTakeFirst();
    // A request that never finished (the process stopped mid-write) does not block its key for ever.
    if (existing?.state === 'pending' && Date.parse(existing.created_at) < clock.nowMs() - PENDING_LEASE_MS) {
      await db.deleteFrom('idempotency_keys').where('person_id', '=', person.id).where('key', '=', key).execute();
    } else if (existing) {
      if (existing.fingerprint !== print) {
        throw problems.unprocessable(
          'idempotency-key-reused',
          'Idempotency key reused',
          'This Idempotency-Key was already used for a different request.',
        );
      }
      if (existing.state === 'pending') {
        throw problems.conflict('idempotency-in-flight', 'Request in flight', 'The first request with this key has not finished yet.');
      }
      return reply
        .status(existing.status_code ?? 200)
        .header('idempotent-replayed', 'true')
        .type(existing.content_type ?? 'application/json')
        .serializer((payload: unknown) => String(payload))
        .send(existing.response_body ?? '');
    }
    try {
      await db
        .insertInto('idempotency_keys')
        .values({
          person_id: person.id,
          key,
          fingerprint: print,
          state: 'pending',
          status_code: null,
          content_type: null,
          response_body: null,
          created_at: now(),
        })
        .execute();
    } catch {
      throw problems.conflict('idempotency-in-flight', 'Request in flight', 'The first request with this key has not finished yet.');
    }
    request.idempotency = { personId: person.id, key };
    await pruneIdempotencyKeys();
  };

  // Keys are kept a day, long enough for any client's retries; pruned at most once a minute.
  let prunedAt = 0;
  const pruneIdempotencyKeys = async () => {
    if (Date.now() - prunedAt < 60_000) return;
    prunedAt = Date.now();
    await db.deleteFrom('idempotency_keys').where('created_at', '<', new Date(clock.nowMs() - KEY_RETENTION_MS).toISOString()).execute();
  };

  server.addHook('onSend', async (request, reply, payload) => {
    const record = request.idempotency;
    if (!record) return payload;
    request.idempotency = undefined;
    const where = db
      .updateTable('idempotency_keys')
      .where('person_id', '=', record.personId)
      .where('key', '=', record.key);
    if (reply.statusCode >= 500 || TRANSIENT_STATUSES.has(reply.statusCode)) {
      // Nothing was decided: let a retry with the same key try again.
      await db
        .deleteFrom('idempotency_keys')
        .where('person_id', '=', record.personId)
        .where('key', '=', record.key)
        .execute();
      return payload;
    }
    await where
      .set({
        state: 'done',
        status_code: reply.statusCode,
        content_type: String(reply.getHeader('content-type') ?? 'application/json'),
        response_body: typeof payload === 'string' ? payload : '',
      })
      .execute();
    return payload;
  });

  // Every request body in the contract is JSON. Other media types are refused before any handler
  // runs, so nothing reaches one without being validated (the contract's response-only types
  // are registered too, to refuse them explicitly).
  server.removeAllContentTypeParsers();
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  server.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (request, body, done) => {
    const charset = /charset=([^;\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8') {
      done(problems.unsupportedMediaType('JSON bodies are UTF-8.'));
      return;
    }
    let text: string;
    try {
      text = typeof body === 'string' ? body : utf8.decode(body);
    } catch {
      done(problems.badRequest('The body is not valid UTF-8.'));
      return;
    }
    if (text.trim() === '') {
      done(problems.badRequest('The body is empty: send JSON.'));
      return;
    }
    try {
      done(null, JSON.parse(text) as unknown);
    } catch (error) {
      done(problems.badRequest(`The body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`));
    }
  });
  server.addContentTypeParser(['application/problem+json', 'text/event-stream', 'text/plain'], (request, _payload, done) =>
    done(problems.unsupportedMediaType(`Send ${request.method} bodies as application/json.`)),
  );
  server.addHook('preValidation', (request, _reply, done) => {
    const missing = request.routeOptions.schema?.body !== undefined && request.body === undefined;
    done(missing ? problems.badRequest('This operation needs a JSON body.', [{ pointer: '/body', detail: 'required' }]) : undefined);
  });

  /** Writes have a tighter budget of their own: one person flooding kudos or comments slows nobody else. */
  const writeLimit = (info: OperationInfo) =>
    info.operationId === 'createComment' ? (options.commentLimitPerMinute ?? 20) : (options.writeLimitPerMinute ?? 120);

  const handlers = createHandlers();
  const issuer = new CredentialIssuer(db, (options.publicUrl ?? 'http://localhost:8787').replace(/\/+$/, ''));
  const context: HandlerContext = {
    db,
    events,
    defaultCommunity,
    pages: options.cachePages === false ? undefined : new CommentPageCache(events),
    issuer,
  };

  await server.register(openapiGlue, {
    specification: structuredClone(contract.document),
    prefix: 'api',
    operationResolver: (operationId: string) => {
      const info = [...contract.operations.values()].find((op) => op.operationId === operationId);
      if (!info) throw new Error(`Operation ${operationId} is not in the contract.`);
      const handler = handlers[info.operationId];
      return {
        method: info.method,
        url: info.path.replace(/\{(\w+)\}/g, ':$1'),
        ...(info.method === 'GET' ? {} : { config: { rateLimit: { max: writeLimit(info), timeWindow: 60_000 } } }),
        onRequest: authenticate(info),
        preHandler: [
          async (request: FastifyRequest) =>
            authorize(db, info.operationId, request.person, { path: stringRecord(request.params), body: request.body }),
          ...(info.idempotent ? [idempotencyCheck] : []),
        ],
        handler: async (request: FastifyRequest, reply: FastifyReply) => {
          if (!handler) throw problems.notImplemented(info.operationId);
          const result = await handler(context, request, reply);
          if (reply.sent) return reply;
          if (result === undefined) return reply.status(info.successStatus).send();
          if (result instanceof RawBody) {
            return reply.status(info.successStatus).type(result.contentType).serializer((body: unknown) => String(body)).send(result.body);
          }
          return reply.status(info.successStatus).type('application/json').send(result);
        },
      };
    },
  });

  if (options.cdnDir && existsSync(options.cdnDir)) {
    await server.register(fastifyStatic, {
      root: resolve(options.cdnDir),
      prefix: '/guildkit/',
      decorateReply: false,
      cacheControl: true,
      maxAge: 300_000,
    });
  }
  if (options.demo) await registerDemo(server, { db, auth, defaultCommunity });
  registerBadgePages(server, context);
  registerCardPages(server, context);

  return { server, events, auth, context };
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

class ContractError extends Error {
  readonly validation: ErrorObject[];
  constructor(
    readonly part: string,
    validate: ValidateFunction,
  ) {
    super('The request breaks the contract.');
    this.validation = validate.errors ?? [];
  }
}

class ResponseContractError extends Error {}

const PART_NAMES: Record<string, string> = { querystring: 'query', params: 'path', headers: 'header', body: 'body' };

function toProblem(error: unknown, request: FastifyRequest): Problem {
  const instance = request.url;
  if (error instanceof HttpProblem) return error.toProblem(instance);
  if (error instanceof ContractError || (isFastifyError(error) && error.validation)) {
    const part = error instanceof ContractError ? error.part : ((error).validationContext ?? 'body');
    const list: ErrorObject[] = error instanceof ContractError ? error.validation : ((error).validation as ErrorObject[]);
    const name = PART_NAMES[part] ?? part;
    const errors = list.map((e) => ({ pointer: toPointer(name, e), detail: describe(e) }));
    const detail = errors.map((e) => `${e.pointer}: ${e.detail}`).join('; ');
    return problems.badRequest(detail, errors).toProblem(instance);
  }
  if (isFastifyError(error)) {
    const status = error.statusCode ?? 500;
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return problems.badRequest(`The body is not valid JSON: ${error.message}`).toProblem(instance);
    }
    if (status >= 400 && status < 500) {
      return new HttpProblem(status, 'about:blank', httpTitle(status), error.message).toProblem(instance);
    }
  }
  if (error instanceof ResponseContractError) {
    return new HttpProblem(500, 'response-contract', 'The server broke its contract', error.message).toProblem(instance);
  }
  return new HttpProblem(500, 'about:blank', 'Internal server error').toProblem(instance);
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && 'code' in error;
}

function httpTitle(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad request',
    404: 'Not found',
    405: 'Method not allowed',
    406: 'Not acceptable',
    413: 'Request body too large',
    415: 'Unsupported media type',
  };
  return titles[status] ?? 'Request error';
}
