import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import { parse } from 'yaml';
import type { operations } from '../../src/api/schema.js';

/*
 * An independent check of response bodies against api.yaml: the document is read here (not through
 * the server's loader) and every `$ref` is resolved by Ajv against the whole document.
 */

export type ContractOperationId = keyof operations;

const DOCUMENT_ID = 'https://guildkit.test/api.yaml';
const formats = formatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

interface Loaded {
  ajv: Ajv2020;
  document: Record<string, unknown>;
  validators: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const document = parse(readFileSync(resolve('api.yaml'), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv2020({ allErrors: true, strict: false, discriminator: true });
  formats(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  loaded = { ajv, document, validators: new Map() };
  return loaded;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function at(document: Record<string, unknown>, pointer: string): unknown {
  let node: unknown = document;
  for (const raw of pointer.replace(/^#\//, '').split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isRecord(node) ? node[segment] : undefined;
  }
  return node;
}

/** The JSON pointer (inside api.yaml) of the schema an operation documents for a status and media type. */
export function responseSchemaPointer(operationId: ContractOperationId, status: number, mediaType?: string): string {
  const { document } = load();
  const paths = document['paths'];
  assert.ok(isRecord(paths));
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!isRecord(operation) || operation['operationId'] !== operationId) continue;
      const responses = operation['responses'];
      assert.ok(isRecord(responses), `${operationId} has no responses`);
      const code = String(status) in responses ? String(status) : 'default';
      assert.ok(code in responses, `${operationId} documents no ${status} response and no default`);
      let pointer = `#/paths/${escapePointer(path)}/${method}/responses/${code}`;
      let response = responses[code];
      while (isRecord(response) && typeof response['$ref'] === 'string') {
        pointer = response['$ref'];
        response = at(document, pointer);
      }
      assert.ok(isRecord(response), `${operationId} ${code} does not resolve`);
      const content = response['content'];
      assert.ok(isRecord(content), `${operationId} ${code} documents no body`);
      const type = mediaType ?? (status >= 400 ? 'application/problem+json' : 'application/json');
      assert.ok(type in content, `${operationId} ${code} documents no ${type} body`);
      return `${pointer}/content/${escapePointer(type)}/schema`;
    }
  }
  assert.fail(`${operationId} is not in api.yaml`);
}

function validatorAt(pointer: string): ValidateFunction {
  const { ajv, validators } = load();
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${DOCUMENT_ID}${pointer}` });
    validators.set(pointer, validate);
  }
  return validate;
}

function check(validate: ValidateFunction, body: unknown, what: string): void {
  if (!validate(body)) {
    const { ajv } = load();
    assert.fail(`${what} breaks the contract: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
  }
}

/** Fails unless `body` is valid against what api.yaml documents for `operationId` answering `status`. */
export function assertMatchesContract(operationId: ContractOperationId, status: number, body: unknown, mediaType?: string): void {
  check(validatorAt(responseSchemaPointer(operationId, status, mediaType)), body, `${operationId} ${status}`);
}

/** Fails unless `body` is valid against `#/components/schemas/<name>`. */
export function assertMatchesSchema(name: string, body: unknown): void {
  check(validatorAt(`#/components/schemas/${escapePointer(name)}`), body, name);
}
