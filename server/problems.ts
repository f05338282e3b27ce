import type { components } from '../src/api/schema.js';

export type Problem = components['schemas']['Problem'];

/** Where Guildkit's own problem types live; `type` values are `/problems/<code>`. */
export const PROBLEM_BASE = '/problems/';

/** An error that the error handler turns into an `application/problem+json` response. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
    readonly errors?: Problem['errors'],
  ) {
    super(detail ?? title);
  }

  toProblem(instance: string): Problem {
    return {
      type: this.code === 'about:blank' ? 'about:blank' : PROBLEM_BASE + this.code,
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      instance,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const problems = {
  badRequest: (detail: string, errors?: Problem['errors']) =>
    new HttpProblem(400, 'invalid-request', 'The request breaks the contract', detail, {}, errors),
  unauthorized: (detail: string) =>
    new HttpProblem(401, 'unauthorized', 'Sign-in required', detail, { 'www-authenticate': 'Bearer' }),
  forbidden: (detail: string) => new HttpProblem(403, 'forbidden', 'Not allowed', detail),
  notFound: (detail: string) => new HttpProblem(404, 'not-found', 'Not found', detail),
  unsupportedMediaType: (detail: string) => new HttpProblem(415, 'unsupported-media-type', 'Unsupported media type', detail),
  conflict: (code: string, title: string, detail: string) => new HttpProblem(409, code, title, detail),
  unprocessable: (code: string, title: string, detail: string) => new HttpProblem(422, code, title, detail),
  notImplemented: (operationId: string) =>
    new HttpProblem(501, 'not-implemented', 'Not implemented yet', `This server does not implement ${operationId} yet.`),
};
