import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { operations } from '../src/api/schema.js';

/** Where the contract is read from: `GUILD_API_SPEC`, else `api.yaml` in the working directory. */
export function specPath(): string {
  return resolve(process.env['GUILD_API_SPEC'] ?? 'api.yaml');
}

export type OperationId = keyof operations;

interface ParameterSpec {
  name: string;
  in: string;
  schema?: { type?: unknown };
}

interface OperationSpec {
  operationId: OperationId;
  security?: Record<string, unknown>[];
  parameters?: (ParameterSpec | { $ref: string })[];
  responses: Record<string, unknown>;
}

export interface OperationInfo {
  operationId: OperationId;
  method: string;
  path: string;
  /** `true` when the operation has no anonymous (`{}`) security alternative. */
  requiresAuth: boolean;
  /** `true` when the operation takes an `Idempotency-Key`. */
  idempotent: boolean;
  /** The status code of its success response. */
  successStatus: number;
}

export interface Contract {
  document: Record<string, unknown>;
  operations: Map<OperationId, OperationInfo>;
  /** Query parameters that hold comma-separated lists. */
  listParameters: Set<string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function loadContract(file = specPath()): Contract {
  const document: unknown = parse(readFileSync(file, 'utf8'));
  if (!isRecord(document) || !isRecord(document['paths']) || !isRecord(document['components'])) {
    throw new Error(`${file} is not an OpenAPI document.`);
  }
  const components = document['components'];
  const sharedParameters = isRecord(components['parameters']) ? components['parameters'] : {};
  const globalSecurity = Array.isArray(document['security']) ? document['security'] : [];
  const resolveParameter = (p: ParameterSpec | { $ref: string }): ParameterSpec => {
    if ('$ref' in p) {
      const found = sharedParameters[p.$ref.split('/').pop() ?? ''];
      if (!isRecord(found)) throw new Error(`Unresolved parameter ${p.$ref}`);
      return found as unknown as ParameterSpec;
    }
    return p;
  };
  const operationsById = new Map<OperationId, OperationInfo>();
  const listParameters = new Set<string>();
  for (const [path, item] of Object.entries(document['paths'])) {
    if (!isRecord(item)) continue;
    for (const [method, raw] of Object.entries(item)) {
      if (!isRecord(raw) || typeof raw['operationId'] !== 'string') continue;
      const operation = raw as unknown as OperationSpec;
      const parameters = (operation.parameters ?? []).map(resolveParameter);
      for (const parameter of parameters) {
        if (parameter.in === 'query' && parameter.schema?.type === 'array') listParameters.add(parameter.name);
      }
      const security = operation.security ?? globalSecurity;
      const successStatus = Number(Object.keys(operation.responses).find((code) => /^2\d\d$/.test(code)) ?? 200);
      operationsById.set(operation.operationId, {
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        requiresAuth: security.length > 0 && !security.some((s) => isRecord(s) && Object.keys(s).length === 0),
        idempotent: parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'),
        successStatus,
      });
    }
  }
  return { document, operations: operationsById, listParameters };
}
