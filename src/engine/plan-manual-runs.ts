import type { ResolvedJob } from '../config/index.ts';
import { CronplaneError } from '../errors/index.ts';
import type { JsonValue, NewRun } from '../store/index.ts';
import { checkTriggerParams } from './check-trigger-params.ts';
import { fanKeyOf, planFire } from './plan-fire.ts';

export interface ManualRunRequest {
  readonly trigger: 'manual' | 'api';
  readonly requestedBy?: string | null;
  /**
   * Values for the job's declared `params` and for its fan-out placeholders (an ad-hoc tenant);
   * `fan_key` picks one fan-out entry.
   */
  readonly params?: Readonly<Record<string, string>>;
  readonly payload?: JsonValue | null;
  readonly dryRun?: boolean;
}

/**
 * The runs a manual or API trigger queues: one per fan-out entry (or the one `fan_key` names),
 * due now, with the trigger's parameters checked against their rules (`checkTriggerParams`)
 * before anything is planned. Values given for fan-out placeholders replace the listed ones: with
 * `tenant_id` given, one run for that tenant (per combination of the other keys). Manual runs have
 * no fire key: asking twice runs twice.
 */
export function planManualRuns(job: ResolvedJob, now: number, request: ManualRunRequest): NewRun[] {
  const { values, fanKey: wanted, fanValues } = checkTriggerParams(job, request.params ?? {});
  const planned =
    Object.keys(fanValues).length === 0 ? job : { ...job, fanOut: withValues(job.fanOut, fanValues) };
  const runs = planFire(planned, now, { now, trigger: request.trigger, params: values })
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
      `job "${job.name}" has no fan-out entry "${wanted ?? ''}"; it has: ${planned.fanOut.map((v) => fanKeyOf(v)).join(' ')}`,
      { location: { path: 'params.fan_key' } },
    );
  }
  return runs;
}

/** The fan-out entries with the given values in place of the listed ones, each combination once. */
function withValues(
  fanOut: ResolvedJob['fanOut'],
  given: Readonly<Record<string, string>>,
): ResolvedJob['fanOut'] {
  const entries = new Map<string, Readonly<Record<string, string>>>();
  for (const entry of fanOut) {
    const replaced = { ...entry, ...given };
    entries.set(fanKeyOf(replaced), replaced);
  }
  return [...entries.values()];
}
