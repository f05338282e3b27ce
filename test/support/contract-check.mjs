// Checks an API answer against api.yaml: used by the browser tests (through the test runner's
// `/__contract-check` route) so that every mocked and real answer a widget sees follows the contract.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import { parse } from 'yaml';

const DOCUMENT_ID = 'https://guildkit.test/api.yaml';
const document = parse(readFileSync(resolve('api.yaml'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
const addFormats = formatsPlugin.default ?? formatsPlugin;
addFormats(ajv);
ajv.addSchema({ ...document, $id: DOCUMENT_ID }, undefined, undefined, false);

const pointerSegment = (segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const at = (pointer) =>
  pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce((node, raw) => (node ? node[raw.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), document);

const cache = new Map();

/** @returns why the answer breaks the contract, or undefined when it follows it */
export function checkResponse({ method, path, status, body }) {
  const operation = document.paths?.[path]?.[String(method).toLowerCase()];
  if (!operation) return `${method} ${path} is not in the contract.`;
  const code = String(status);
  let pointer = `#/paths/${pointerSegment(path)}/${String(method).toLowerCase()}/responses/${operation.responses[code] ? code : 'default'}`;
  let response = at(pointer);
  if (!response) return `${method} ${path} does not document a ${status} answer.`;
  if (response.$ref) {
    pointer = response.$ref;
    response = at(pointer);
  }
  const mediaType = Object.keys(response.content ?? {})[0];
  if (!mediaType) return body === undefined || body === null ? undefined : `${method} ${path} ${status} documents no body.`;
  const schemaPointer = `${pointer}/content/${pointerSegment(mediaType)}/schema`;
  let validate = cache.get(schemaPointer);
  if (!validate) {
    validate = ajv.getSchema(`${DOCUMENT_ID}${schemaPointer}`);
    cache.set(schemaPointer, validate);
  }
  if (!validate) return `No schema at ${schemaPointer}.`;
  return validate(body) ? undefined : `${method} ${path} ${status}: ${ajv.errorsText(validate.errors)}`;
}

/** Koa middleware for the test runner: POST a CheckedResponse, get `{ error }` back. */
export function contractCheckMiddleware() {
  return async (context, next) => {
    if (context.path !== '/__contract-check') return next();
    let raw = '';
    for await (const chunk of context.req) raw += chunk;
    context.type = 'application/json';
    context.body = JSON.stringify({ error: checkResponse(JSON.parse(raw)) ?? null });
  };
}
