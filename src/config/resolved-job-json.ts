import { defaultAlertOutput, jobDefaults } from './job-defaults.ts';
import type { ResolvedJob } from './resolved-config.ts';

/**
 * What a resolved job has for each setting when neither it nor `defaults:` nor the file's
 * `timezone` gives one (a command job of a file in UTC): the values `resolveJob` applies, written
 * as `resolvedJobJson` writes them. A setting with this value is left out of a job's JSON.
 */
export const unsetJobSettings = {
  enabled: jobDefaults.enabled,
  schedules: [],
  after: [],
  timezone: 'UTC',
  env: {},
  envFiles: [],
  params: {},
  fanOut: [{}],
  retry: {
    attempts: jobDefaults.retry.attempts,
    backoff: jobDefaults.retry.backoff,
    delayMs: jobDefaults.retry.delay,
    maxDelayMs: jobDefaults.retry.max_delay,
    jitter: jobDefaults.retry.jitter,
  },
  concurrency: jobDefaults.concurrency,
  catchUp: jobDefaults.catch_up,
  randomizedDelayMs: jobDefaults.randomized_delay,
  limits: {},
  exitCodes: {},
  pre: [],
  notify: {},
  watch: {},
  guards: {},
  nodeTags: jobDefaults.node_tags,
  tags: jobDefaults.tags,
  log: { captureLimitBytes: jobDefaults.log.capture_limit, format: jobDefaults.log.format },
  metrics: { from: 'none' },
  priority: jobDefaults.priority,
  dryRun: jobDefaults.dry_run,
  alert: { include: [], outputLines: defaultAlertOutput.lines, outputBytes: defaultAlertOutput.bytes },
} as const satisfies Partial<Record<keyof ResolvedJob, unknown>>;

/**
 * A resolved job as JSON text: what its `configHash` is taken over and what the `jobs` table
 * stores (`spec_json`). It holds the job's settings in the resolved job's order, less those
 * equal to `unsetJobSettings` (a job of one schedule and one command is its `name`, `schedules`
 * and `target`: about 120 bytes instead of 630), so `{ ...unsetJobSettings, ...spec }` is the
 * whole job. Each schedule is its text and syntax, not the calendar model parsed from them; the
 * job's Maps (exit codes and guards) are written as objects; the hash itself is left out.
 *
 * A first sync of 100,000 jobs builds this twice per job (the hash, then the row), so the
 * comparison is cheap: the jobs of a file have their keys in one order, and at each place of that
 * order the walk remembers the key it met, its unset value, and the last frozen part it met there
 * (a part `SharedParts` gives many jobs) with whether it is unset; another frozen part is written
 * as JSON once (`frozenTexts`); an unshared empty part is compared by its keys.
 */
export function resolvedJobJson(job: ResolvedJob | Omit<ResolvedJob, 'configHash'>): string {
  const settings = job as unknown as Readonly<Record<string, unknown>>;
  const own: Record<string, unknown> = {};
  let place = 0;
  // A resolved job is a plain object of its own keys: `for...in` walks them without a list per job.
  for (const key in settings) {
    const at = place++;
    let value = settings[key];
    if (value === undefined || key === 'configHash') continue;
    if (key === 'schedules') {
      value = job.schedules.map((schedule) => ({ text: schedule.text, syntax: schedule.spec.syntax }));
    } else if (value instanceof Map) {
      value = Object.fromEntries(value);
    }
    if (!isUnset(at, key, value)) own[key] = value;
  }
  return JSON.stringify(own);
}

/** What the walk met at each place of a job's key order (see `resolvedJobJson`). */
const met = {
  keys: [] as string[],
  unsetTexts: [] as (string | undefined)[],
  unsetValues: [] as unknown[],
  parts: [] as unknown[],
  partsUnset: [] as boolean[],
};

const unsetValues: Readonly<Record<string, unknown>> = unsetJobSettings;

/** JSON of frozen parts already written (shared parts, never changed once a job holds them). */
const frozenTexts = new WeakMap<object, string>();

/** Whether `value`, the job's `key` at place `at` of its key order, is what a job that sets nothing has. */
function isUnset(at: number, key: string, value: unknown): boolean {
  if (met.keys[at] !== key) {
    met.keys[at] = key;
    const unset = unsetValues[key];
    met.unsetTexts[at] = Object.hasOwn(unsetValues, key) ? JSON.stringify(unset) : undefined;
    met.unsetValues[at] = unset;
    met.parts[at] = undefined;
  }
  const unset = met.unsetTexts[at];
  if (unset === undefined) return false;
  if (value === null || typeof value !== 'object') return value === met.unsetValues[at];
  if (met.parts[at] === value) return met.partsUnset[at] === true;
  if (Object.isFrozen(value)) {
    let text = frozenTexts.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      frozenTexts.set(value, text);
    }
    met.parts[at] = value;
    met.partsUnset[at] = text === unset;
    return text === unset;
  }
  // Only an empty object or list can equal an empty unset value; a full one is written once, below.
  if (unset === '[]' || unset === '{}') {
    const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
    return empty && JSON.stringify(value) === unset;
  }
  return JSON.stringify(value) === unset;
}
