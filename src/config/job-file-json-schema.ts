import { z } from 'zod';
import type { JobFileKinds } from './job-file-kinds.ts';
import { jobFileSchemaFor } from './job-file-schema.ts';

type JsonSchema = { [key: string]: unknown };

/**
 * A value written as a `${VAR}` reference: substituted before validation, so it may stand where
 * the file wants a number, a flag or one of a set of words (`lookback: ${LOOKBACK_RUNS:-10}`).
 */
const variableReference: JsonSchema = {
  type: 'string',
  pattern: '\\$\\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}]*)?\\}',
  description: 'a ${VAR} reference, substituted from the environment or the env file',
};

/**
 * The JSON Schema (draft 2020-12) of a job file as written, made from the zod schema that
 * validates it (`jobFileSchemaFor`) with the kinds given, so the two cannot drift: editors
 * (yaml-language-server) complete and check a job file with it. A value that is not free text
 * may also be a `${VAR}` reference. What JSON Schema cannot say (schedules that parse, known time
 * zones, references between jobs) is left to `cronplane validate`.
 */
export function jobFileJsonSchema(kinds: JobFileKinds): JsonSchema {
  const schema = z.toJSONSchema(jobFileSchemaFor(kinds), {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as JsonSchema;
  const { $schema, ...rest } = schema;
  return {
    $schema,
    title: 'cronplane job file',
    description: 'What runs, when, where and who hears about it. Reference: docs/job-file.md.',
    ...acceptVariables(rest),
  };
}

/** Keywords whose value is a schema, and those whose value is a list or map of schemas. */
const schemaKeys = ['additionalProperties', 'items', 'not', 'contains'] as const;
const schemaListKeys = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
const schemaMapKeys = ['properties', 'patternProperties', '$defs'] as const;

/** The schema with every leaf that refuses some text (numbers, flags, words) also taking `${VAR}`. */
function acceptVariables(schema: JsonSchema): JsonSchema {
  const walked: JsonSchema = { ...schema };
  for (const key of schemaKeys) {
    const value = walked[key];
    if (isSchema(value)) walked[key] = acceptVariables(value);
  }
  for (const key of schemaListKeys) {
    const value = walked[key];
    if (Array.isArray(value))
      walked[key] = value.map((item) => (isSchema(item) ? acceptVariables(item) : item));
  }
  for (const key of schemaMapKeys) {
    const value = walked[key];
    if (isSchema(value)) {
      walked[key] = Object.fromEntries(
        Object.entries(value).map(([name, item]) => [name, isSchema(item) ? acceptVariables(item) : item]),
      );
    }
  }
  return refusesSomeText(walked) ? { anyOf: [walked, variableReference] } : walked;
}

function isSchema(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A scalar leaf that a `${VAR}` string would fail: not a string type, or a string held to a set. */
function refusesSomeText(schema: JsonSchema): boolean {
  if ('properties' in schema || 'items' in schema || 'anyOf' in schema || 'oneOf' in schema) return false;
  const types = [schema['type']].flat();
  if (types.includes('object') || types.includes('array')) return false;
  if ('enum' in schema || 'const' in schema || 'pattern' in schema) return true;
  if (types.length === 0 || types[0] === undefined) return false;
  return !types.includes('string');
}
