import { z } from 'zod';
import type { JobFileKinds } from './job-file-kinds.ts';
import { jobFileFrameFor, jobFileSchemaFor, jobSchemaParts, namePattern } from './job-file-schema.ts';
import type { JobEntry, JobFile } from './job-file-schema.ts';

/**
 * Validates a job file's data as `jobFileSchemaFor(kinds).safeParse` does, with the same result,
 * quicker for a file of many jobs. The job schema lists ~50 optional keys and the strict object
 * checks every one of them for every job (0.4-0.6 s of a 100,000-job file's start-up, most jobs
 * having two or three keys): here each job is checked by the schema of just the keys it has (the
 * same key schemas, in the same order, and the same check of its kind), built once per set of
 * keys. Absent optional keys add nothing to the output, so the output is the same.
 *
 * Should anything fail (the file's frame, a job with a key no job has, a job that is not a
 * mapping, any job's check), the data is validated again by the whole schema, whose issues are
 * the ones reported: a file with a problem gets the same messages, paths and order as always.
 */
export function parseJobFile(data: unknown, kinds: JobFileKinds): z.ZodSafeParseResult<JobFile> {
  return quickParse(data, kinds) ?? jobFileSchemaFor(kinds).safeParse(data);
}

/** Distinct sets of keys given their own schema; a file with more is validated whole. */
const maxKeySets = 256;

interface JobSchemas {
  readonly shape: Readonly<Record<string, z.ZodType>>;
  readonly checkKinds: ReturnType<typeof jobSchemaParts>['checkKinds'];
  /** By the job's keys in the order written, joined by newlines. */
  readonly byKeys: Map<string, z.ZodType<JobEntry>>;
}

const schemasOfKinds = new WeakMap<JobFileKinds, JobSchemas>();

function quickParse(data: unknown, kinds: JobFileKinds): z.ZodSafeParseResult<JobFile> | undefined {
  const frame = jobFileFrameFor(kinds).safeParse(data);
  if (!frame.success) return undefined;
  const entries = frame.data.jobs;
  // No `jobs:` at all: the frame's output is the whole schema's (no job to check).
  if (entries === undefined) return { success: true, data: frame.data as JobFile };
  if (!isPlainObject(entries)) return undefined;
  const schemas = jobSchemas(kinds);
  const jobs: Record<string, JobEntry> = {};
  for (const name of Object.keys(entries)) {
    // The names as `nameSchema` checks them, without a parse per name.
    if (!namePattern.test(name)) return undefined;
    const entry = entries[name];
    if (!isPlainObject(entry)) return undefined;
    const schema = schemaForKeys(schemas, Object.keys(entry));
    if (schema === undefined) return undefined;
    const parsed = schema.safeParse(entry);
    if (!parsed.success) return undefined;
    jobs[name] = parsed.data;
  }
  // `jobs` keeps its place among the file's keys (the frame's output has them in schema order).
  return { success: true, data: { ...frame.data, jobs } };
}

function jobSchemas(kinds: JobFileKinds): JobSchemas {
  let schemas = schemasOfKinds.get(kinds);
  if (schemas === undefined) {
    schemas = { ...jobSchemaParts(kinds.executors), byKeys: new Map() };
    schemasOfKinds.set(kinds, schemas);
  }
  return schemas;
}

/** The schema of a job with these keys; undefined for a key no job has (or too many key sets). */
function schemaForKeys(schemas: JobSchemas, keys: readonly string[]): z.ZodType<JobEntry> | undefined {
  const signature = keys.join('\n');
  const known = schemas.byKeys.get(signature);
  if (known !== undefined) return known;
  if (schemas.byKeys.size >= maxKeySets) return undefined;
  const present = new Set(keys);
  for (const key of keys) if (!Object.hasOwn(schemas.shape, key)) return undefined;
  const picked: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(schemas.shape)) if (present.has(key)) picked[key] = schema;
  const schema = z.strictObject(picked).superRefine(schemas.checkKinds) as unknown as z.ZodType<JobEntry>;
  schemas.byKeys.set(signature, schema);
  return schema;
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  // Anything unusual (no prototype, a class) is left to the whole schema.
  return Object.getPrototypeOf(value) === Object.prototype;
}
