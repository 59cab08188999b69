import type { ResolvedJob } from '../config/index.ts';
import { Secret } from '../config/index.ts';
import { CronplaneError } from '../errors/index.ts';
import type { ExecutionRequest, ExecutionTarget } from './execution-request.ts';

/** The parts of a run an execution needs (a store's run record has them all). */
export interface RunToExecute {
  readonly id: number | string;
  readonly attempt: number;
  /** The fan-out values (and any `--param`s) of the run; secret parameters as `***`. */
  readonly params: Readonly<Record<string, string>>;
  /** The secret parameters' values, while the run may execute (see `SecretParams`). */
  readonly secretParams?: { reveal(): Readonly<Record<string, string>> };
  readonly fanKey: string;
  /** Epoch milliseconds. */
  readonly scheduledAt: number;
  readonly payload?: unknown;
  readonly dryRun: boolean;
}

export interface RequestOverrides {
  readonly timeoutMs?: number;
  readonly killGraceMs?: number;
}

/**
 * The execution request for one run of a job: the job's target with the job settings its kind
 * uses, and the run's params plus the built-in placeholders (`job`, `run_id`, `attempt`,
 * `scheduled_at` as ISO 8601 UTC, `fan_key`). A module job passes its target through unchanged,
 * so the module executor finds its cached function by identity.
 */
export function executionRequestFor(
  job: ResolvedJob,
  run: RunToExecute,
  overrides: RequestOverrides = {},
): ExecutionRequest {
  const runId = String(run.id);
  const attempt = run.attempt;
  const secrets = secretValuesOf(job, run);
  return {
    runId,
    job: job.name,
    attempt,
    params: {
      ...run.params,
      ...secrets,
      job: job.name,
      run_id: runId,
      attempt: String(attempt),
      scheduled_at: new Date(run.scheduledAt).toISOString(),
      fan_key: run.fanKey,
    },
    secretValues: Object.values(secrets),
    payload: run.payload ?? undefined,
    dryRun: run.dryRun,
    timeoutMs: overrides.timeoutMs ?? job.timeoutMs,
    ...(overrides.killGraceMs === undefined ? {} : { killGraceMs: overrides.killGraceMs }),
    captureLimitBytes: job.log.captureLimitBytes,
    target: targetFor(job),
  };
}

/**
 * The values of the run's secret parameters. A run whose job declares secret parameters but that
 * carries none (they were cleared: it ended and is being run again) is refused rather than run
 * with `***` in their place.
 */
function secretValuesOf(job: ResolvedJob, run: RunToExecute): Readonly<Record<string, string>> {
  const values = run.secretParams?.reveal() ?? {};
  for (const [name, spec] of Object.entries(job.params)) {
    if (spec.secret && !Object.hasOwn(values, name) && run.params[name] === Secret.mask) {
      throw new CronplaneError(
        'executor.secret-params',
        `the value of secret parameter "${name}" is no longer kept (the store clears it when a run ends); trigger the job again`,
      );
    }
  }
  return values;
}

function targetFor(job: ResolvedJob): ExecutionTarget {
  const target = job.target;
  switch (target.kind) {
    case 'command':
      return {
        ...target,
        cwd: job.cwd,
        user: job.user,
        group: job.group,
        env: job.env,
        envFiles: job.envFiles,
        limits: job.limits,
        exitCodes: job.exitCodes,
        condition: job.condition,
        metricsFromStdout: job.metrics.from === 'stdout_json',
      };
    case 'http':
      return target.metricsField === undefined &&
        job.metrics.from === 'http_json' &&
        job.metrics.field !== undefined
        ? { ...target, metricsField: job.metrics.field }
        : target;
    case 'module':
      return target;
    default: {
      const unknown: never = target;
      throw new Error(`unknown target kind ${JSON.stringify(unknown)}`);
    }
  }
}
