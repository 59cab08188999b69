import type { ResolvedJob } from '../config/index.ts';
import { Secret } from '../config/index.ts';
import { CronplaneError } from '../errors/index.ts';
import type { ExecutionRequest } from './execution-request.ts';
import type { ExecutorKindDefinition } from './executor-kind.ts';
import { executorKindOrThrow } from './executor-kind-of.ts';
import { executorKinds } from './executor-kinds.ts';

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
  /** The kinds whose targets a job may have: the built-in `executorKinds` when absent. */
  readonly kinds?: readonly ExecutorKindDefinition[];
}

/**
 * The execution request for one run of a job: the job's target with the job settings its kind
 * uses (its kind's `specFor`), and the run's params plus the built-in placeholders (`job`,
 * `run_id`, `attempt`, `scheduled_at` as ISO 8601 UTC, `fan_key`; `max_per_run` when the job sets it).
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
      scheduled_at: isoTimeOf(run.scheduledAt),
      fan_key: run.fanKey,
      ...(job.maxPerRun === undefined ? {} : { max_per_run: String(job.maxPerRun) }),
    },
    secretValues: secrets === noSecrets ? [] : Object.values(secrets),
    payload: run.payload ?? undefined,
    dryRun: run.dryRun,
    timeoutMs: overrides.timeoutMs ?? job.timeoutMs,
    ...(overrides.killGraceMs === undefined ? {} : { killGraceMs: overrides.killGraceMs }),
    captureLimitBytes: job.log.captureLimitBytes,
    target: executorKindOrThrow(job.target, overrides.kinds ?? executorKinds).specFor(job.target, job),
  };
}

/**
 * The values of the run's secret parameters. A run whose job declares secret parameters but that
 * carries none (they were cleared: it ended and is being run again) is refused rather than run
 * with `***` in their place.
 */
function secretValuesOf(job: ResolvedJob, run: RunToExecute): Readonly<Record<string, string>> {
  const values = run.secretParams?.reveal() ?? noSecrets;
  for (const name in job.params) {
    if (
      job.params[name]?.secret === true &&
      !Object.hasOwn(values, name) &&
      run.params[name] === Secret.mask
    ) {
      throw new CronplaneError(
        'executor.secret-params',
        `the value of secret parameter "${name}" is no longer kept (the store clears it when a run ends); trigger the job again`,
      );
    }
  }
  return values;
}

const noSecrets: Readonly<Record<string, string>> = Object.freeze({});

/**
 * `scheduled_at` as ISO 8601 UTC. The runs of a batch mostly share their scheduled time (a fire's
 * fan-out, a burst of enqueued runs), so the last one formatted is kept.
 */
let lastIso: { readonly at: number; readonly text: string } | undefined;

function isoTimeOf(at: number): string {
  if (lastIso?.at === at) return lastIso.text;
  const text = new Date(at).toISOString();
  lastIso = { at, text };
  return text;
}
