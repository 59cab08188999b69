import type { ResolvedJob } from '../config/index.ts';
import { CronplaneError } from '../errors/index.ts';
import type { JsonValue, NewRun } from '../store/index.ts';
import { checkTriggerParams } from './check-trigger-params.ts';
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
 * due now, with the trigger's parameters checked against their rules (`checkTriggerParams`)
 * before anything is planned. Manual runs have no fire key: asking twice runs twice.
 */
export function planManualRuns(job: ResolvedJob, now: number, request: ManualRunRequest): NewRun[] {
  const { values, fanKey: wanted } = checkTriggerParams(job, request.params ?? {});
  const runs = planFire(job, now, { now, trigger: request.trigger, params: values })
    .filter((run) => wanted === undefined || run.fanKey === wanted)
    .map((run): NewRun => ({
      ...run,
      runAfter: now,
      fireKey: null,
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
