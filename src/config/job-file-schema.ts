import { z } from 'zod';
import { isKnownTimeZone, parseDuration } from '../calendar/index.ts';
import { coerceError } from '../errors/index.ts';
import { parseAlertTemplate, templateFieldPattern } from './alert-template.ts';
import { ParamType } from './param-spec.ts';
import { parseCpuQuota, parseSize } from './parse-size.ts';
import type { ChannelKindSchema, ExecutorKindSchema, JobFileKinds } from './job-file-kinds.ts';
import { Secret } from './secret.ts';

/**
 * The schema of the job file (`cronplane.yaml`), version 1. Keys are snake_case as users write
 * them; unknown keys are errors everywhere. Durations become milliseconds, sizes bytes, and the
 * values that must never be shown become `Secret`s.
 */

function fromText<T>(parse: (text: string) => T, expected: string) {
  return z.string({ error: `expected ${expected}` }).transform((text, context): T => {
    try {
      return parse(text);
    } catch (thrown) {
      context.addIssue({ code: 'custom', message: coerceError(thrown).message });
      return z.NEVER;
    }
  });
}

/** `30s`, `10m`, `24h`, `1h30m`, in milliseconds. */
export const durationSchema = z.union([z.string(), z.number()]).transform((value, context): number => {
  if (typeof value === 'number') {
    context.addIssue({
      code: 'custom',
      message: `expected a duration with a unit like "30s", "10m" or "24h"; got the bare number ${value} (write "${value}s" for seconds)`,
    });
    return z.NEVER;
  }
  try {
    return parseDuration(value);
  } catch (thrown) {
    context.addIssue({ code: 'custom', message: coerceError(thrown).message });
    return z.NEVER;
  }
});

export const sizeSchema = fromText(parseSize, 'a size like "512M" or "2G"');
export const cpuSchema = fromText(parseCpuQuota, 'a CPU quota like "50%"');

/** A string that is a secret wherever it is written. */
export const secretSchema = z
  .string({ error: 'expected a string (a secret; write it as "${ENV_VAR}" to keep it out of the file)' })
  .transform((value) => new Secret(value));

/** An environment value: a string, a number or boolean (stringified), or `{ secret: "..." }`. */
export const envValueSchema = z.union([
  z.string(),
  z.number().transform(String),
  z.boolean().transform(String),
  z.strictObject({ secret: z.string() }).transform((value) => new Secret(value.secret)),
]);
export const envSchema = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name (letters, digits, _)'),
  envValueSchema,
);

export const paramTypes = Object.keys(ParamType) as [ParamType, ...ParamType[]];

export const scheduleSyntaxes = ['cron', 'systemd', 'aws', 'interval'] as const;

/** One schedule: a string whose kind is detected, or `{ expr, syntax }` to force a parser. */
export const scheduleEntrySchema = z.union(
  [z.string().min(1), z.strictObject({ expr: z.string().min(1), syntax: z.enum(scheduleSyntaxes) })],
  {
    error:
      'expected a schedule string ("0 2 * * *", "*-*-* 02:00:00", "every 30s", "rate(1 hour)") or { expr, syntax }',
  },
);
/** Several schedules fire on the union of their elapses, like several systemd OnCalendar= lines. */
export const scheduleSchema = z.union([scheduleEntrySchema, z.array(scheduleEntrySchema).min(1)]);

export const concurrencyPolicies = ['allow', 'forbid', 'replace', 'queue'] as const;
export const catchUpPolicies = ['skip', 'once', 'all'] as const;
export const outcomes = ['success', 'warning', 'failure', 'critical', 'skip'] as const;
export const severities = ['info', 'warning', 'failure', 'critical'] as const;

/** What to notify about, each routed to a list of channel names. */
export const notifyKeys = [
  'failure',
  'critical',
  'warning',
  'recovery',
  'missed',
  'stuck',
  'guard',
  'down',
  'up',
] as const;
export const notifySchema = z.partialRecord(z.enum(notifyKeys), z.array(z.string().min(1)));

export const retrySchema = z.strictObject({
  attempts: z.int().min(1, 'expected at least 1 attempt (1 means no retry)').max(100),
  backoff: z.enum(['fixed', 'exponential']).optional(),
  delay: durationSchema.optional(),
  max_delay: durationSchema.optional(),
  /** Random spread added to each delay, as a fraction of it (0.2 = up to 20% more). */
  jitter: z.number().min(0).max(1).optional(),
});

export const limitsSchema = z.strictObject({
  memory: sizeSchema.optional(),
  cpu: cpuSchema.optional(),
  open_files: z.int().min(1).optional(),
  processes: z.int().min(1).optional(),
});

/** Exit code → meaning; codes not listed follow the default: 0 success, anything else failure. */
export const exitCodesSchema = z.record(
  z.string().regex(/^(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$/, 'expected an exit code 0-255'),
  z.enum(outcomes),
);

/** A command: a string split like a shell would, or an array of arguments (`run:`, a condition's `run:`). */
export const commandLineSchema = z.union([z.string().min(1), z.array(z.string()).min(1)], {
  error:
    'expected a command: a string (split like a shell would, without running one) or an array of arguments',
});

/** A skip condition, as systemd's ExecCondition=: exit 0 runs the job, 1-254 skip it, 255 fails it. */
export const conditionSchema = z.union([
  commandLineSchema,
  z.strictObject({
    run: commandLineSchema,
    shell: z.boolean().optional(),
    timeout: durationSchema.optional(),
  }),
]);

/** A command run before the main one (`pre:`): a command line, or `{ run, shell }`. */
export const preStepSchema = z.union([
  commandLineSchema,
  z.strictObject({ run: commandLineSchema, shell: z.boolean().optional() }),
]);

/**
 * `dry_run`: whether the job's runs are dry when no trigger says (a boolean), or that with the
 * environment variable that tells the program (`{ default, env, true, false }`): the run's own
 * flag is written into it, so the record and the program agree.
 */
export const dryRunSchema = z.union([
  z.boolean(),
  z.strictObject({
    default: z.boolean().optional(),
    env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name (letters, digits, _)'),
    true: z.string().optional(),
    false: z.string().optional(),
  }),
]);

export const metricsSchema = z.union([
  z.enum(['stdout_json', 'none']),
  z.strictObject({ from: z.enum(['stdout_json', 'http_json']), field: z.string().optional() }),
]);

export const guardSchema = z
  .strictObject({
    metric: z.string().min(1),
    /** Fixed bounds: an event when the value is above / below. */
    above: z.number().optional(),
    below: z.number().optional(),
    /** Change against the baseline of the last `lookback` successful runs. */
    rise_by: z.number().positive().optional(),
    drop_by: z.number().positive().optional(),
    baseline: z.enum(['mean', 'median']).optional(),
    lookback: z.int().min(1).optional(),
    /** Compare each fan-out key (tenant) with its own history. */
    per_key: z.boolean().optional(),
    cooldown: durationSchema.optional(),
    severity: z.enum(severities).optional(),
  })
  .refine(
    (guard) =>
      guard.above !== undefined ||
      guard.below !== undefined ||
      guard.rise_by !== undefined ||
      guard.drop_by !== undefined,
    { message: 'a guard needs at least one condition: above, below, rise_by or drop_by' },
  );

export const watchSchema = z.strictObject({
  /** An event when no run succeeded within this window. */
  expect_success_within: durationSchema.optional(),
  /** An event after this many failures in a row. */
  consecutive_failures: z.int().min(1).optional(),
  /** An event when a successful run took less than this (it probably did nothing). */
  min_duration: durationSchema.optional(),
  /** An event when a run is far slower than its history (ratio to the median duration). */
  slower_than: z.number().gt(1).optional(),
  /** Repeat the alert at this interval while the problem is open. */
  remind_every: durationSchema.optional(),
  /** Resolve only after this many successes in a row. */
  recover_after: z.int().min(1).optional(),
  /** An event after this many fires in a row skipped by `concurrency: forbid` (a hung run); 0: never. */
  skipped_fires: z.int().min(0).optional(),
});

/** What a job's failure alert shows beside its title (docs/alerts.md#evidence). */
export const alertSchema = z.strictObject({
  /** Metrics, facts or `payload.FIELD`s of the run shown as the alert's details, in this order. */
  include: z
    .array(z.string().regex(templateFieldPattern, 'expected a metric or fact name, or payload.FIELD'))
    .optional(),
  /** A line with `{field}` slots put first in the alert's summary. */
  message: z
    .string()
    .min(1)
    .superRefine((value, context) => {
      const parsed = parseAlertTemplate(value);
      if (typeof parsed === 'string') context.addIssue({ code: 'custom', message: parsed });
    })
    .optional(),
  /** How much of a failed run's output the alert carries: the last lines of a command, the start of an HTTP body. */
  output_lines: z.int().min(0).max(200).optional(),
  output_bytes: sizeSchema.optional(),
});

/** `alerts:` at the top of the job file: how notifications are grouped. */
export const alertsSchema = z.strictObject({
  /** Failures told within this window go out as one message per channel; "0s" sends each at once. */
  group_window: durationSchema.optional(),
  /**
   * How long the first notification after a quiet window waits for others to join it; "0s" (the
   * default) sends it at once. With a wait, a burst inside it is one message per channel.
   */
  group_wait: durationSchema.optional(),
});

export const queueSchema = z.strictObject({
  /** The payload field that names the rate-limit key, e.g. organization_id. */
  key: z.string().min(1).optional(),
  /** How many items of one key may be in progress at once. */
  per_key: z.int().min(1).optional(),
  /** How many items one run takes. */
  max_per_run: z.int().min(1).optional(),
});

export const logSchema = z.strictObject({
  /** Also append the job's output to this file ({job} and {fan_key} placeholders allowed). */
  file: z.string().min(1).optional(),
  /** Rotate the file past this size, keeping `keep` old files. */
  max_size: sizeSchema.optional(),
  keep: z.int().min(0).optional(),
  /** Output kept per run in the store; the rest is dropped and the run marked truncated. */
  capture_limit: sizeSchema.optional(),
  format: z.enum(['text', 'json']).optional(),
});

const scalarSchema = z.union([z.string(), z.number().transform(String), z.boolean().transform(String)]);

/** One trigger parameter: its default alone (a string parameter), or its declaration. */
export const paramSchema = z.union([
  scalarSchema,
  z.strictObject({
    type: z.enum(paramTypes).optional(),
    /** For a string: the whole value must match (anchored, unicode). */
    pattern: z.string().min(1).optional(),
    /** For an integer or number: bounds, inclusive. */
    min: z.number().optional(),
    max: z.number().optional(),
    /** For an enum: the values allowed. */
    values: z.array(z.union([z.string(), z.number().transform(String)])).optional(),
    /** Absent: every manual or API trigger must give the parameter. */
    default: scalarSchema.optional(),
    /** The value is stored as *** and masked in the run's output. */
    secret: z.boolean().optional(),
    description: z.string().optional(),
  }),
]);

/** A job's tag: 1-64 letters, digits, `_`, `.`, `:` or `-`. */
export const tagSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected a tag: 1 to 64 letters, digits, _ . : or -');

/** The settings a job may take and `defaults:` may give to every job. */
const inheritable = {
  timezone: z.string().min(1).optional(),
  cwd: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  group: z.string().min(1).optional(),
  env: envSchema.optional(),
  env_file: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  timeout: durationSchema.optional(),
  max_runtime: durationSchema.optional(),
  start_deadline: durationSchema.optional(),
  retry: retrySchema.optional(),
  concurrency: z.enum(concurrencyPolicies).optional(),
  max_parallel: z.int().min(1).optional(),
  /** The least time between the starts of two runs of the job (of one fan-out key). */
  cooldown: durationSchema.optional(),
  /** How many items one run may process: `CRONPLANE_MAX_PER_RUN`, `{max_per_run}`, a queue's default. */
  max_per_run: z.int().min(1).optional(),
  catch_up: z.enum(catchUpPolicies).optional(),
  catch_up_window: durationSchema.optional(),
  randomized_delay: durationSchema.optional(),
  limits: limitsSchema.optional(),
  exit_codes: exitCodesSchema.optional(),
  notify: notifySchema.optional(),
  watch: watchSchema.optional(),
  node_tags: z.array(z.string().min(1)).optional(),
  /** Labels people filter jobs by (the dashboard's overview); `defaults:` gives them to jobs without their own. */
  tags: z.array(tagSchema).optional(),
  log: logSchema.optional(),
  metrics: metricsSchema.optional(),
  priority: z.int().optional(),
  dry_run: dryRunSchema.optional(),
  alert: alertSchema.optional(),
};

export const defaultsSchema = z.strictObject(inheritable);

/** A job's keys before the keys of its executor kind (the order problems are found in). */
const jobHead = {
  ...inheritable,
  description: z.string().optional(),
  schedule: scheduleSchema.optional(),
  /** Start when each of these jobs finishes successfully. */
  after: z.array(z.string().min(1)).min(1).optional(),
  enabled: z.boolean().optional(),
  /**
   * A template: never runs itself; its instances are created through the API, each with its own
   * `params` values, which the template's `{param}` placeholders (its schedule's too) take.
   */
  template: z.boolean().optional(),
};

/** A job's keys after the keys of its executor kind. */
const jobTail = {
  for_each: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a placeholder name (letters, digits, _)'),
      z.union([z.string(), z.array(z.union([z.string(), z.number()]).transform(String)).min(1)]),
    )
    .optional(),
  /**
   * Parameters a manual or API trigger may set, usable as {placeholders}: `name: default` (a
   * string with the default pattern), or `name: { type, pattern, min, max, values, default,
   * secret, description }`.
   */
  params: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a parameter name (letters, digits, _)'),
      paramSchema,
    )
    .optional(),
  condition: conditionSchema.optional(),
  /** Commands run in order before the main one, as systemd's ExecStartPre=; one failing fails the run. */
  pre: z.array(preStepSchema).min(1).optional(),
  guards: z.record(z.string().min(1), guardSchema).optional(),
  queue: queueSchema.optional(),
};

/**
 * The stored entry of a template's instance (docs/job-file.md#templates-and-instances): the
 * template's name, the values of its params, and any job setting but what runs (the template's).
 */
export const instanceEntrySchema = z.strictObject({
  ...jobHead,
  ...jobTail,
  template: z.string().min(1, 'expected the name of a template of the job file'),
  params: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a parameter name (letters, digits, _)'),
      scalarSchema,
    )
    .optional(),
});
export type InstanceEntry = z.output<typeof instanceEntrySchema>;

/** `a, b or c`, as the job file's messages list things. */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/**
 * A job: its own keys, and the keys of every executor kind it is read with; it names exactly one
 * kind, and a kind's other keys (`shell`) apply only to a job that names it.
 */
export function jobSchemaFor(kinds: readonly ExecutorKindSchema[]) {
  const { shape, checkKinds } = jobSchemaParts(kinds);
  return z.strictObject(shape).superRefine(checkKinds);
}

/**
 * What `jobSchemaFor` is made of: the schema of each key a job may have (its own, then its kinds'
 * keys, in the order problems are found in), and the check of the kind it names. The quick
 * validation of a large file (`parse-job-file.ts`) builds a job's schema from the keys it has.
 */
export function jobSchemaParts(kinds: readonly ExecutorKindSchema[]) {
  const fields: Record<string, z.ZodType> = {};
  for (const kind of kinds) {
    for (const [key, schema] of Object.entries(kind.fields.shape)) fields[key] = schema.optional();
  }
  const keys = kinds.map((kind) => kind.key);
  const none = `a job needs exactly one of ${listed(kinds.map((kind) => `${kind.key} (${kind.noun})`))}; found none`;
  const shape = { ...jobHead, ...fields, ...jobTail };
  const checkKinds = (parsed: Readonly<Record<string, unknown>>, context: z.RefinementCtx): void => {
    const job: Readonly<Record<string, unknown>> = parsed;
    const named = keys.filter((key) => job[key] !== undefined);
    if (named.length !== 1) {
      context.addIssue({
        code: 'custom',
        message:
          named.length === 0
            ? none
            : `a job needs exactly one of ${listed(keys)}; found ${named.join(' and ')}`,
      });
    }
    for (const kind of kinds) {
      if (job[kind.key] !== undefined) continue;
      for (const key of Object.keys(kind.fields.shape)) {
        if (key !== kind.key && job[key] !== undefined) {
          context.addIssue({
            code: 'custom',
            path: [key],
            message: `${key} applies only to a job with ${kind.key}`,
          });
        }
      }
    }
  };
  return { shape, checkKinds };
}

/** A daily window in which a channel stays quiet: only notifications of `min_severity` or above go out. */
export const quietHoursSchema = z.strictObject({
  from: z
    .string()
    .regex(/^(?:[01]?[0-9]|2[0-3]):[0-5][0-9]$/, 'expected a time of day "HH:MM", e.g. "22:00"'),
  to: z.string().regex(/^(?:[01]?[0-9]|2[0-3]):[0-5][0-9]$/, 'expected a time of day "HH:MM", e.g. "07:00"'),
  /** The zone of `from` and `to`; the file's `timezone` when absent. */
  timezone: z
    .string()
    .min(1)
    .refine(isKnownTimeZone, { message: 'expected an IANA time zone such as "UTC" or "Europe/Berlin"' })
    .optional(),
  /** Notifications of this severity or above still go out; `critical` when absent. */
  min_severity: z.enum(severities).optional(),
});

/**
 * A channel: exactly one key, the kind's, with that kind's settings. Built from the kinds the file
 * is read with (src/kinds gives the built-in ones).
 */
export function channelSchemaFor(kinds: readonly ChannelKindSchema[]) {
  return z.union(
    kinds.map((kind) => z.strictObject({ [kind.kind]: kind.schema })),
    { error: `expected a channel with exactly one of ${listed(kinds.map((kind) => kind.kind))}` },
  );
}

export const monitorSchema = z
  .strictObject({
    description: z.string().optional(),
    /** When the external job is expected to ping: a schedule, or a period between pings. */
    schedule: scheduleSchema.optional(),
    period: durationSchema.optional(),
    timezone: z.string().min(1).optional(),
    grace: durationSchema.optional(),
    expect_success_within: durationSchema.optional(),
    /** Pings whose run took less than this are reported as suspiciously fast. */
    min_duration: durationSchema.optional(),
    /** Tell the channels again at this interval while the monitor stays down (else `defaults.watch.remind_every`). */
    remind_every: durationSchema.optional(),
    notify: notifySchema.optional(),
  })
  .refine((monitor) => (monitor.schedule === undefined) !== (monitor.period === undefined), {
    message: 'a monitor needs exactly one of schedule (when the job runs) or period (time between pings)',
  });

/** How long cronplane keeps its own history; everything is kept when a part is not given. */
export const retentionSchema = z.strictObject({
  /** Finished runs older than this are removed with their transitions, output and metrics. */
  runs: durationSchema.optional(),
  /** The output of finished runs older than this is removed; the run records stay. */
  logs: durationSchema.optional(),
  /** Monitor pings older than this are removed. */
  pings: durationSchema.optional(),
});

export const serverSchema = z.strictObject({
  /** host:port; loopback unless told otherwise. */
  listen: z.string().min(1).optional(),
  /** Base URL for links in alerts, e.g. https://cron.example.com. */
  public_url: z.string().optional(),
});

/** What a job, monitor or channel may be named (`nameSchema`). */
export const namePattern = /^[a-z0-9][a-z0-9._-]{0,99}$/;

export const nameSchema = z
  .string()
  .regex(
    namePattern,
    'expected a name of lowercase letters, digits, ".", "_" and "-", starting with a letter or digit',
  );

/** `build` made once per list of kinds (a schema is built for the kinds a file is read with). */
function oncePerKinds<Schema>(build: (kinds: JobFileKinds) => Schema): (kinds: JobFileKinds) => Schema {
  const built = new WeakMap<JobFileKinds, Schema>();
  return (kinds) => {
    let schema = built.get(kinds);
    if (schema === undefined) {
      schema = build(kinds);
      built.set(kinds, schema);
    }
    return schema;
  };
}

/** The schema of a whole job file read with these kinds; built once per list of kinds. */
export const jobFileSchemaFor = oncePerKinds((kinds) =>
  fileSchemaWith(kinds, z.record(nameSchema, jobSchemaFor(kinds.executors)).optional()),
);

/**
 * The job file's schema with `jobs:` taken as it is: the quick validation of a large file
 * (`parse-job-file.ts`) checks the jobs and their names itself.
 */
export const jobFileFrameFor = oncePerKinds((kinds) => fileSchemaWith(kinds, z.unknown()));

function fileSchemaWith<Jobs extends z.ZodType>(kinds: JobFileKinds, jobs: Jobs) {
  return z.strictObject({
    version: z.literal(1, { error: 'expected version: 1 (the only job-file version so far)' }),
    timezone: z.string().min(1).optional(),
    store: z.string().min(1).optional(),
    env_file: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    server: serverSchema.optional(),
    defaults: defaultsSchema.optional(),
    channels: z.record(nameSchema, channelSchemaFor(kinds.channels)).optional(),
    jobs,
    monitors: z.record(nameSchema, monitorSchema).optional(),
    retention: retentionSchema.optional(),
    alerts: alertsSchema.optional(),
  });
}

export type JobFile = z.output<ReturnType<typeof jobFileSchemaFor>>;
/**
 * A job as declared: its own settings, and its executor kind's keys (`run`, `http`, ...), which
 * that kind's `resolve` reads.
 */
export type JobEntry = z.output<z.ZodObject<typeof jobHead & typeof jobTail>> &
  Readonly<Record<string, unknown>>;
export type JobDefaults = z.output<typeof defaultsSchema>;
/** A channel as declared: `{ <kind>: settings }`; src/notify reads it with its kind. */
export type ChannelEntry = Readonly<Record<string, unknown>>;
export type QuietHoursEntry = z.output<typeof quietHoursSchema>;
export type MonitorEntry = z.output<typeof monitorSchema>;
export type GuardEntry = z.output<typeof guardSchema>;
export type DryRunEntry = z.output<typeof dryRunSchema>;
export type ParamEntry = z.output<typeof paramSchema>;
export type ScheduleEntry = z.output<typeof scheduleEntrySchema>;
export type ConcurrencyPolicy = (typeof concurrencyPolicies)[number];
export type CatchUpPolicy = (typeof catchUpPolicies)[number];
export type Outcome = (typeof outcomes)[number];
export type Severity = (typeof severities)[number];
export type NotifyKey = (typeof notifyKeys)[number];
