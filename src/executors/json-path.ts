import { CronplaneError } from '../errors/index.ts';

/** One step into a JSON value: a member name or an array index. */
export type JsonPathStep = string | number;

/**
 * A small, safe subset of JSONPath: `$` followed by steps, each `.name`, `['name']`, `["name"]`
 * or `[index]`. No wildcards, filters, slices or scripts: a path names at most one value.
 */
export interface JsonPath {
  readonly text: string;
  readonly steps: readonly JsonPathStep[];
}

const nameAt = /[A-Za-z_$][A-Za-z0-9_$-]*/y;
const indexAt = /\[(0|[1-9][0-9]{0,8})\]/y;
const quotedAt = /\[(['"])([^'"\\]*)\1\]/y;

/**
 * Reads a path such as `$.status`, `$.checks[0].name` or `$['x-status']`; throws `json-path.invalid`
 * with the character offset of the first thing it cannot read.
 */
export function parseJsonPath(text: string): JsonPath {
  const refuse = (offset: number, what: string) =>
    new CronplaneError(
      'json-path.invalid',
      `${what} at character ${offset + 1} of the JSON path ${JSON.stringify(text)}; expected $ then .name, ['name'] or [index] steps`,
      { location: { column: offset + 1 } },
    );
  if (!text.startsWith('$')) throw refuse(0, 'no leading $');
  const steps: JsonPathStep[] = [];
  let at = 1;
  while (at < text.length) {
    const char = text[at];
    if (char === '.') {
      nameAt.lastIndex = at + 1;
      const match = nameAt.exec(text);
      if (match === null) throw refuse(at + 1, 'a member name is missing');
      steps.push(match[0]);
      at = nameAt.lastIndex;
      continue;
    }
    if (char === '[') {
      indexAt.lastIndex = at;
      const index = indexAt.exec(text);
      if (index !== null) {
        steps.push(Number(index[1]));
        at = indexAt.lastIndex;
        continue;
      }
      quotedAt.lastIndex = at;
      const quoted = quotedAt.exec(text);
      if (quoted !== null) {
        steps.push(quoted[2] as string);
        at = quotedAt.lastIndex;
        continue;
      }
      throw refuse(at, 'an unreadable [...] step');
    }
    throw refuse(at, `an unexpected ${JSON.stringify(char)}`);
  }
  return { text, steps };
}

/** The value a path names in a parsed JSON document, or undefined when there is none. */
export function readJsonPath(document: unknown, path: JsonPath): unknown {
  let value = document;
  for (const step of path.steps) {
    if (typeof step === 'number') {
      value = Array.isArray(value) ? (value as unknown[])[step] : undefined;
    } else if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.hasOwn(value, step)
    ) {
      value = (value as Record<string, unknown>)[step];
    } else {
      value = undefined;
    }
    if (value === undefined) return undefined;
  }
  return value;
}
