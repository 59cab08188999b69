import { z } from 'zod';
import { instantForms, parseInstant } from '../../calendar/index.ts';

/** Job names as the job file allows them; anything else (`../`, `%00`) is refused before lookup. */
export const jobName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'expected a job name: lowercase letters, digits, ".", "_", "-"')
  .describe('a job name');

/** A whole number in a path or query string. */
export function wholeNumber(min: number, max: number, what: string) {
  return z
    .string()
    .regex(/^[0-9]{1,16}$/, `expected ${what} (a whole number)`)
    .transform(Number)
    .pipe(
      z.int().min(min, `expected ${what} of at least ${min}`).max(max, `expected ${what} of at most ${max}`),
    );
}

export const runId = wholeNumber(1, Number.MAX_SAFE_INTEGER, 'a run id').describe('a run id');

export const jobPath = z.strictObject({ job: jobName });
export const runPath = z.strictObject({ id: runId });

export const pageLimit = wholeNumber(1, 1000, 'a page size').describe('page size, 1-1000');
export const pageCursor = runId.describe('nextCursor of the previous page');

/**
 * Names as runs report them and fan-out values as job files give them: any text but control
 * characters. A `%XX` left in a value is an escape the query parser could not decode (not UTF-8).
 */
export function printable(max: number, what: string) {
  return z
    .string()
    .regex(
      new RegExp(`^(?!.*%[0-9A-Fa-f]{2})[^\\p{Cc}\\uFFFD]{1,${max}}$`, 'u'),
      `expected ${what}: 1-${max} characters of UTF-8 text`,
    );
}

/** An instant in a query: ISO 8601 with an offset (`2026-01-01T02:00:00Z`) or epoch milliseconds. */
export const instantQuery = z
  .string()
  .transform((text, context) => {
    const value = parseInstant(text);
    if (value === undefined) {
      context.addIssue({
        code: 'custom',
        message: `expected ${instantForms}; found ${JSON.stringify(text.slice(0, 40))}`,
      });
      return z.NEVER;
    }
    return value;
  })
  .describe('ISO 8601 date-time with an offset, or epoch milliseconds');

/** A body with no fields (POST actions that take none); an absent body is `{}`. */
export const noBody = z.strictObject({});

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('stable code, e.g. api.invalid, api.unauthorized'),
      message: z.string().describe('what was found, where, and what was expected'),
      path: z.string().optional().describe('where in the request: body.params.x, query.limit, path.id'),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .describe('an error');

/** The error answers every authenticated route may give. */
export const authErrors = {
  401: { description: 'no token, or not a valid one', schema: errorBodySchema },
  403: {
    description: 'the token lacks the scope, or the job is outside its patterns',
    schema: errorBodySchema,
  },
  429: {
    description:
      "the token's rate limit was reached, or this address failed authentication too often (see Retry-After)",
    schema: errorBodySchema,
  },
} as const;

export const badInput = {
  400: { description: 'the request is not valid', schema: errorBodySchema },
} as const;
