import type { z } from 'zod';
import { ApiError } from './api-error.ts';
import type { ApiIssue } from './api-error.ts';

/** The parts of a request a route validates, as they are named in error paths. */
export type InputPart = 'path' | 'query' | 'body';

/**
 * Validates one part of a request against its schema, or throws a 400 that names every
 * problem: its place (`body.params.tenant`), what was expected, what was found. Unknown fields
 * are refused by the schemas (strict objects) and named here with the fields that are allowed.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, part: InputPart): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => describeIssue(issue, part, schema, value));
  const first = issues[0] ?? { path: part, message: `${part}: not valid` };
  const unknownField = result.error.issues.some((issue) => issue.code === 'unrecognized_keys');
  throw new ApiError(400, unknownField ? 'api.unknown-field' : 'api.invalid', first.message, {
    path: first.path,
    issues,
  });
}

function describeIssue(
  issue: z.core.$ZodIssue,
  part: InputPart,
  schema: z.ZodType,
  value: unknown,
): ApiIssue[] {
  const path = [part, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(schema, issue.path);
    return issue.keys.map((key) => ({
      path: `${path}.${key}`,
      message: `${path}: unknown field "${key}"; ${allowed.length === 0 ? 'no fields are accepted here' : `expected only ${allowed.join(', ')}`}`,
    }));
  }
  if (issue.code === 'invalid_type') {
    const found = valueAt(value, issue.path);
    return [
      {
        path,
        message:
          found === undefined
            ? `${path}: required, expected ${issue.expected}`
            : `${path}: expected ${issue.expected}, found ${describeValue(found)}`,
      },
    ];
  }
  return [{ path, message: `${path}: ${lowerFirst(issue.message)}` }];
}

/** The keys an object schema accepts at a path (for naming them in an unknown-field error). */
function allowedKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  for (const key of path) {
    const shape = shapeOf(current);
    if (shape === undefined) return [];
    current = shape[String(key)];
  }
  return Object.keys(shapeOf(current) ?? {});
}

function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  let current = schema as { def?: { type?: string; innerType?: unknown; in?: unknown }; shape?: unknown };
  for (let depth = 0; depth < 5 && current?.def !== undefined; depth++) {
    if (current.shape !== undefined && typeof current.shape === 'object')
      return current.shape as Record<string, unknown>;
    const next = current.def.innerType ?? current.def.in;
    if (next === undefined) return undefined;
    current = next as typeof current;
  }
  return undefined;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}...` : text}`;
}

function lowerFirst(text: string): string {
  return text.length === 0 ? text : text[0]!.toLowerCase() + text.slice(1);
}
