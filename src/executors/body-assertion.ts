import { z } from 'zod';
import type { TargetContext } from '../config/index.ts';
import { coerceError } from '../errors/index.ts';
import type { JsonPath } from './json-path.ts';
import { parseJsonPath, readJsonPath } from './json-path.ts';

const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One check of a response body: a JSON path's value, or the text as a whole. */
const bodyCheckShapes =
  'expected { json: { path, equals | matches } }, { matches: "regex" } or { contains: "text" }, or a list of them';

const bodyAssertionEntry = z.union(
  [
    z.strictObject({
      json: z.strictObject({
        /** `$.status`, `$.checks[0].state`, `$['x-status']`. */
        path: z.string().min(1),
        /** The value must be exactly this (string, number, boolean or null). */
        equals: jsonScalar.optional(),
        /** The value, as text, must match this regular expression. */
        matches: z.string().min(1).optional(),
      }),
    }),
    z.strictObject({ matches: z.string().min(1) }),
    z.strictObject({ contains: z.string().min(1) }),
  ],
  { error: bodyCheckShapes },
);

/** `http.expect_body`: one check or a list of them, all of which must hold. */
export const expectBodySchema = z.union([bodyAssertionEntry, z.array(bodyAssertionEntry).min(1)], {
  error: bodyCheckShapes,
});
export type ExpectBodyEntry = z.output<typeof expectBodySchema>;

type Scalar = string | number | boolean | null;

/** A check of a response body, resolved: paths parsed, patterns compiled (kept as text for the job's hash). */
export type BodyAssertion =
  | { readonly kind: 'json-equals'; readonly path: JsonPath; readonly value: Scalar }
  | {
      readonly kind: 'json-matches';
      readonly path: JsonPath;
      readonly pattern: string;
      readonly regex: RegExp;
    }
  | { readonly kind: 'matches'; readonly pattern: string; readonly regex: RegExp }
  | { readonly kind: 'contains'; readonly text: string };

/** Characters of a value or body shown in a failed check's message. */
export const bodyExcerptLength = 200;

/**
 * The checks of `http.expect_body`, each path parsed and each pattern compiled (JavaScript syntax,
 * the `u` flag; the pattern comes from the job file only). Problems go to `report` at their field.
 */
export function resolveBodyAssertions(
  entry: ExpectBodyEntry | undefined,
  fieldPath: readonly PropertyKey[],
  report: TargetContext['report'],
): readonly BodyAssertion[] {
  if (entry === undefined) return [];
  const list = Array.isArray(entry) ? entry : [entry];
  const at = (index: number, ...rest: PropertyKey[]) =>
    Array.isArray(entry) ? [...fieldPath, index, ...rest] : [...fieldPath, ...rest];
  const compile = (pattern: string, where: readonly PropertyKey[]): RegExp | undefined => {
    try {
      return new RegExp(pattern, 'u');
    } catch (thrown) {
      report(where, `the pattern does not compile: ${coerceError(thrown).message}`);
      return undefined;
    }
  };
  const assertions: BodyAssertion[] = [];
  list.forEach((item, index) => {
    if ('contains' in item) {
      assertions.push({ kind: 'contains', text: item.contains });
      return;
    }
    if ('matches' in item) {
      const regex = compile(item.matches, at(index, 'matches'));
      if (regex !== undefined) assertions.push({ kind: 'matches', pattern: item.matches, regex });
      return;
    }
    const { json } = item;
    let path: JsonPath;
    try {
      path = parseJsonPath(json.path);
    } catch (thrown) {
      const error = coerceError(thrown) as Error & { location?: { column?: number } };
      report(at(index, 'json', 'path'), error.message, (error.location?.column ?? 1) - 1);
      return;
    }
    if ((json.equals === undefined) === (json.matches === undefined)) {
      report(at(index, 'json'), 'a json check needs exactly one of equals or matches');
      return;
    }
    if (json.matches !== undefined) {
      const regex = compile(json.matches, at(index, 'json', 'matches'));
      if (regex !== undefined) assertions.push({ kind: 'json-matches', path, pattern: json.matches, regex });
      return;
    }
    assertions.push({ kind: 'json-equals', path, value: json.equals as Scalar });
  });
  return assertions;
}

/**
 * The first check the body fails, said as what was expected and what came (each excerpt at most
 * `bodyExcerptLength` characters); undefined when every check holds. The caller masks the text.
 */
export function failedBodyAssertion(assertions: readonly BodyAssertion[], body: string): string | undefined {
  let parsed: { value: unknown } | undefined;
  const document = (): { value: unknown } | undefined => {
    if (parsed !== undefined) return parsed;
    try {
      parsed = { value: JSON.parse(body) as unknown };
    } catch {
      return undefined;
    }
    return parsed;
  };
  for (const assertion of assertions) {
    switch (assertion.kind) {
      case 'contains':
        if (!body.includes(assertion.text)) {
          return `expected the body to contain ${JSON.stringify(assertion.text)}, got ${bodyExcerpt(body)}`;
        }
        break;
      case 'matches':
        if (!assertion.regex.test(body)) {
          return `expected the body to match /${assertion.pattern}/, got ${bodyExcerpt(body)}`;
        }
        break;
      case 'json-equals':
      case 'json-matches': {
        const read = document();
        if (read === undefined)
          return `expected a JSON body for ${assertion.path.text}, got ${bodyExcerpt(body)}`;
        const value = readJsonPath(read.value, assertion.path);
        const want =
          assertion.kind === 'json-equals'
            ? `to equal ${JSON.stringify(assertion.value)}`
            : `to match /${assertion.pattern}/`;
        if (value === undefined)
          return `expected ${assertion.path.text} ${want}, but the body has no ${assertion.path.text}`;
        const holds =
          assertion.kind === 'json-equals'
            ? value === assertion.value
            : isScalar(value) && assertion.regex.test(value === null ? 'null' : String(value));
        if (!holds) return `expected ${assertion.path.text} ${want}, got ${excerpt(JSON.stringify(value))}`;
        break;
      }
      default: {
        const unknown: never = assertion;
        throw new Error(`unknown body check ${JSON.stringify(unknown)}`);
      }
    }
  }
  return undefined;
}

/** A check in a few words, for the job's view. */
export function describeBodyAssertion(assertion: BodyAssertion): string {
  switch (assertion.kind) {
    case 'contains':
      return `body contains ${JSON.stringify(assertion.text)}`;
    case 'matches':
      return `body matches /${assertion.pattern}/`;
    case 'json-equals':
      return `${assertion.path.text} equals ${JSON.stringify(assertion.value)}`;
    case 'json-matches':
      return `${assertion.path.text} matches /${assertion.pattern}/`;
  }
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function bodyExcerpt(body: string): string {
  return body === '' ? 'an empty body' : `the body ${excerpt(JSON.stringify(body))}`;
}

function excerpt(text: string): string {
  return text.length <= bodyExcerptLength
    ? text
    : `${text.slice(0, bodyExcerptLength)}… (${text.length} characters)`;
}
