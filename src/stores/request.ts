import { errorFromException, errorFromResponse } from '../api/errors.js';

interface Result<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** Awaits an openapi-fetch call and returns its data, or throws the one error shape (`GuildApiError`). */
export async function unwrap<D>(pending: Promise<Result<D>>): Promise<D> {
  let result: Result<D>;
  try {
    result = await pending;
  } catch (error) {
    throw errorFromException(error);
  }
  if (result.error !== undefined || !result.response.ok || result.data === undefined) {
    throw errorFromResponse(result.response, result.error);
  }
  return result.data;
}

/** A fresh key for one user intention; retries of that intention reuse it. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
