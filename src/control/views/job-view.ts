import { z } from 'zod';
import { normalizeSchedule, scheduleInWords, scheduleKind } from '../../calendar/index.ts';
import type { JobTarget, ResolvedJob, ResolvedSchedule } from '../../config/index.ts';
import { describeParamRule, reveal, Secret } from '../../config/index.ts';
import { fanKeyOf } from '../../engine/index.ts';
import { executorKinds } from '../../executors/index.ts';
import type { RunRecord } from '../../store/index.ts';
import { iso } from './run-view.ts';

const mask = Secret.mask;

export const lastRunSchema = z.object({
  id: z.int(),
  status: z.string(),
  trigger: z.string(),
  scheduledAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const scheduleCalendarSchema = z
  .object({
    text: z.string().describe('the schedule as the job file writes it'),
    kind: z.string().describe('cron, systemd, aws-cron, aws-rate, interval or startup'),
    normalForm: z
      .string()
      .describe('the canonical text in its own syntax (as `cronplane calendar` prints it)'),
    words: z
      .string()
      .describe(
        'the schedule in short English ("every day at 02:00"); "at times matching <normal form>" when irregular',
      ),
  })
  .describe('one schedule of a job, said for people');
export type ScheduleCalendarView = z.output<typeof scheduleCalendarSchema>;

export const jobViewSchema = z
  .object({
    name: z.string(),
    source: z
      .enum(['file', 'api'])
      .describe('file: a job of the job file (read-only through the API); api: defined through the API'),
    version: z
      .int()
      .nullable()
      .describe("an API job's version (its ETag; If-Match takes it); null for a job of the file"),
    description: z.string().nullable(),
    enabled: z.boolean(),
    paused: z.boolean(),
    schedules: z.array(z.string()),
    calendar: z
      .array(scheduleCalendarSchema)
      .describe('each schedule in words and in its normal form, in the order of `schedules`'),
    timezone: z.string(),
    after: z.array(z.string()),
    target: z
      .record(z.string(), z.unknown())
      .describe(
        'kind command (argv, shell), http (method, url, headers; secrets as ***) or module (path, export)',
      ),
    env: z.record(z.string(), z.string()).describe('environment of the job; secret values as ***'),
    params: z
      .record(z.string(), z.string())
      .describe('defaults of the parameters a trigger may set (secret ones as ***; required ones absent)'),
    paramRules: z
      .record(
        z.string(),
        z.object({
          type: z.string(),
          rule: z.string().describe('what a value must be, as a refusal says it'),
          required: z
            .boolean()
            .describe('true when the parameter has no default: every trigger must give it'),
          secret: z.boolean(),
          description: z.string().nullable(),
          values: z
            .array(z.string())
            .nullable()
            .describe('the values an enum parameter takes, in the order declared; null for other types'),
        }),
      )
      .describe('each parameter a trigger may set: its type and rule'),
    fanOut: z.int().describe('runs per fire'),
    fanKeys: z
      .array(z.string())
      .describe(
        'the fan-out key of each run of a fire, in the order of `for_each`; empty when the job does not fan out',
      ),
    concurrency: z.string(),
    maxParallel: z.int().nullable(),
    cooldownMs: z.int().nullable().describe('`cooldown`: the least time between the starts of two runs'),
    cooldownUntil: z
      .string()
      .nullable()
      .describe(
        'when the cooldown of the last run ends, while the job is in one (the latest of its fan-out keys)',
      ),
    maxPerRun: z
      .int()
      .nullable()
      .describe('`max_per_run`: how many items one run may process (CRONPLANE_MAX_PER_RUN)'),
    timeoutMs: z.int().nullable(),
    maxRuntimeMs: z.int().nullable(),
    retry: z.object({ attempts: z.int(), backoff: z.string(), delayMs: z.int(), maxDelayMs: z.int() }),
    queue: z
      .object({ key: z.string().nullable(), perKey: z.int().nullable(), maxPerRun: z.int().nullable() })
      .nullable(),
    nodeTags: z.array(z.string()),
    tags: z.array(z.string()).describe('labels to filter jobs by (`tags:` of the job file)'),
    nextFireAt: z.string().nullable(),
    lastRun: lastRunSchema.nullable(),
  })
  .describe('a job');
export type JobView = z.output<typeof jobViewSchema>;

export const jobPageSchema = z.object({
  jobs: z.array(jobViewSchema),
  nextCursor: z.string().nullable(),
});
export type JobPage = z.output<typeof jobPageSchema>;

export interface JobState {
  /** The version of a job defined through the API; undefined for a job of the job file. */
  readonly apiVersion?: number | undefined;
  readonly paused: boolean;
  readonly nextFireAt: number | null;
  readonly lastRun: RunRecord | undefined;
  /** When the job's cooldown ends, while it is in one; null otherwise (absent: not read). */
  readonly cooldownUntil?: number | null;
}

/** A job as the API shows it: what the job file says, secrets masked, and its state. */
export function jobView(job: ResolvedJob, state: JobState): JobView {
  return {
    name: job.name,
    source: state.apiVersion === undefined ? 'file' : 'api',
    version: state.apiVersion ?? null,
    description: job.description ?? null,
    enabled: job.enabled,
    paused: state.paused,
    schedules: job.schedules.map((schedule) => schedule.text),
    calendar: job.schedules.map(scheduleCalendarView),
    timezone: job.timezone,
    after: [...job.after],
    target: targetView(job.target),
    env: Object.fromEntries(
      Object.entries(job.env).map(([name, value]) => [name, value instanceof Secret ? mask : reveal(value)]),
    ),
    params: Object.fromEntries(
      Object.entries(job.params).flatMap(([name, spec]) =>
        spec.default === undefined ? [] : [[name, spec.secret ? mask : reveal(spec.default)]],
      ),
    ),
    paramRules: Object.fromEntries(
      Object.entries(job.params).map(([name, spec]) => [
        name,
        {
          type: spec.type,
          rule: describeParamRule(spec),
          required: spec.default === undefined,
          secret: spec.secret,
          description: spec.description ?? null,
          values: spec.type === 'enum' ? [...spec.values] : null,
        },
      ]),
    ),
    fanOut: job.fanOut.length,
    fanKeys:
      job.fanOut.length === 1 && Object.keys(job.fanOut[0] ?? {}).length === 0
        ? []
        : job.fanOut.map(fanKeyOf),
    concurrency: job.concurrency,
    maxParallel: job.maxParallel ?? null,
    cooldownMs: job.cooldownMs ?? null,
    cooldownUntil: iso(state.cooldownUntil ?? null),
    maxPerRun: job.maxPerRun ?? null,
    timeoutMs: job.timeoutMs ?? null,
    maxRuntimeMs: job.maxRuntimeMs ?? null,
    retry: {
      attempts: job.retry.attempts,
      backoff: job.retry.backoff,
      delayMs: job.retry.delayMs,
      maxDelayMs: job.retry.maxDelayMs,
    },
    queue:
      job.queue === undefined
        ? null
        : {
            key: job.queue.key ?? null,
            perKey: job.queue.perKey ?? null,
            maxPerRun: job.queue.maxPerRun ?? null,
          },
    nodeTags: [...job.nodeTags],
    tags: [...job.tags],
    nextFireAt: iso(state.nextFireAt),
    lastRun:
      state.lastRun === undefined
        ? null
        : {
            id: state.lastRun.id,
            status: state.lastRun.status,
            trigger: state.lastRun.trigger,
            scheduledAt: iso(state.lastRun.scheduledAt) as string,
            finishedAt: iso(state.lastRun.finishedAt),
          },
  };
}

/**
 * Said once per parsed schedule: specs are immutable and shared by the jobs of a file that write
 * the same text, so listing 1,000 jobs does not say `*:*:*` 1,000 times.
 */
const calendarViews = new WeakMap<ResolvedSchedule, ScheduleCalendarView>();

export function scheduleCalendarView(schedule: ResolvedSchedule): ScheduleCalendarView {
  const known = calendarViews.get(schedule);
  if (known !== undefined) return known;
  const view = {
    text: schedule.text,
    kind: scheduleKind(schedule.spec),
    normalForm: normalizeSchedule(schedule.spec),
    words: scheduleInWords(schedule.spec),
  };
  calendarViews.set(schedule, view);
  return view;
}

/** The target as its kind shows it; a kind the server does not run is shown by its name alone. */
function targetView(target: JobTarget): Record<string, unknown> {
  return executorKinds.find((kind) => kind.kind === target.kind)?.view(target) ?? { kind: target.kind };
}
