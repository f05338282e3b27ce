import type { Middleware } from 'openapi-fetch';
import type { ContractCheck } from '../internal/config.js';

/**
 * Checks every JSON answer against the contract (development, tests, Storybook): a broken or
 * off-contract answer becomes a problem document, so stores show an error state. Production pages
 * leave it out to stay small; pass it as `configure({ middleware: contractMiddleware(check) })`.
 */
export function contractMiddleware(check: ContractCheck): Middleware {
  const broken = (detail: string, status = 502) =>
    new Response(JSON.stringify({ type: '/problems/contract-violation', title: 'Unexpected answer from the server', status, detail }), {
      status,
      headers: { 'content-type': 'application/problem+json' },
    });
  return {
    async onResponse({ response, schemaPath, request }) {
      const type = response.headers.get('content-type') ?? '';
      if (!/json/.test(type) || response.status === 204) return undefined;
      let body: unknown;
      try {
        body = await response.clone().json();
      } catch {
        return broken(`The ${response.status} answer is not valid JSON.`, response.ok ? 502 : response.status);
      }
      const violation = await check({ method: request.method, path: schemaPath, status: response.status, body });
      return violation ? broken(violation) : undefined;
    },
  };
}

