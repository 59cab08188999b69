import type { ResolvedJob } from '../config/index.ts';
import { CronplaneError } from '../errors/index.ts';
import type { JsonValue, NewRun } from '../store/index.ts';
import { planFire } from './plan-fire.ts';

export interface ManualRunRequest {
  readonly trigger: 'manual' | 'api';
  readonly requestedBy?: string | null;
  /** Values for the job's declared `params`; `fan_key` picks one fan-out entry. */
  readonly params?: Readonly<Record<string, string>>;
  readonly payload?: JsonValue | null;
  readonly dryRun?: boolean;
}

/**
 * The runs a manual or API trigger queues: one per fan-out entry (or the one `fan_key` names),
 * due now, with the declared parameters overridden. Unknown parameters are refused, naming the
 * ones the job takes. Manual runs have no fire key: asking twice runs twice.
 */
export function planManualRuns(job: ResolvedJob, now: number, request: ManualRunRequest): NewRun[] {
  const params = request.params ?? {};
  const accepted = [...Object.keys(job.params), 'fan_key'];
  for (const key of Object.keys(params)) {
    if (!accepted.includes(key)) {
      throw new CronplaneError(
        'engine.param',
        `job "${job.name}" takes no parameter "${key}"; it takes: ${accepted.join(', ')}`,
        { location: { path: `params.${key}` } },
      );
    }
  }
  const { fan_key: wanted, ...overrides } = params;
  const runs = planFire(job, now, { now, trigger: request.trigger })
    .filter((run) => wanted === undefined || run.fanKey === wanted)
    .map((run): NewRun => ({
      ...run,
      runAfter: now,
      fireKey: null,
      params: { ...run.params, ...overrides },
      payload: request.payload ?? null,
      requestedBy: request.requestedBy ?? null,
      dryRun: request.dryRun ?? job.dryRun,
    }));
  if (runs.length === 0) {
    throw new CronplaneError(
      'engine.fan-key',
      `job "${job.name}" has no fan-out entry "${wanted ?? ''}"; it has: ${job.fanOut.map((v) => Object.values(v).join(',')).join(' ')}`,
      { location: { path: 'params.fan_key' } },
    );
  }
  return runs;
}
