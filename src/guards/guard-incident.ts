import type { Incident, Recovery } from '../incidents/index.ts';
import type { GuardEntry } from '../config/index.ts';
import type { RunRecord } from '../store/index.ts';
import { describeBreach, formatNumber } from './describe-breach.ts';
import type { GuardEvaluation } from './guard-breach.ts';
import { guardDedupKey, guardEventKind } from './guard-keys.ts';

/** What a guard's incident says about its run. */
export type GuardRun = Pick<RunRecord, 'id' | 'job' | 'fanKey'>;

export interface GuardIncidentInput {
  readonly name: string;
  readonly guard: GuardEntry;
  readonly run: GuardRun;
  readonly evaluation: Extract<GuardEvaluation, { kind: 'breached' }>;
}

/** The dedup key of a guard for one run: the fan-out key joins it only for a `per_key` guard. */
export function guardDedupKeyOf(name: string, guard: GuardEntry, run: GuardRun): string {
  return guardDedupKey(run.job, name, guard.per_key === true ? run.fanKey : undefined);
}

/**
 * A tripped guard as an incident: kind `guard:<name>`, routed by `notify.guard` (and by its
 * severity, default warning), with every breach's numbers in the summary and the details.
 */
export function guardIncident({ name, guard, run, evaluation }: GuardIncidentInput): Incident {
  const where = run.fanKey === '' ? '' : ` for ${run.fanKey}`;
  const details: Record<string, string | number> = {
    guard: name,
    metric: evaluation.metric,
    value: evaluation.value,
  };
  if (evaluation.baseline !== undefined) {
    details['baseline'] = Number(formatNumber(evaluation.baseline.value));
    details['baseline_of'] = `${evaluation.baseline.kind} of ${evaluation.baseline.runs} runs`;
    details['delta'] = Number(formatNumber(evaluation.value - evaluation.baseline.value));
  }
  for (const breach of evaluation.breaches) details[breach.rule] = breach.threshold;
  if (run.fanKey !== '') details['fan_key'] = run.fanKey;
  return {
    kind: guardEventKind(name),
    notifyKey: 'guard',
    severity: guard.severity ?? 'warning',
    dedupKey: guardDedupKeyOf(name, guard, run),
    job: run.job,
    runId: run.id,
    title: `${run.job}: guard ${name} tripped${where}`,
    summary: evaluation.breaches.map(describeBreach).join('\n'),
    details,
  };
}

/** A guard's incident closing because a later run's value passed it. */
export function guardRecovery(
  name: string,
  guard: GuardEntry,
  run: GuardRun,
  evaluation: Extract<GuardEvaluation, { kind: 'passed' }>,
): Recovery {
  const where = run.fanKey === '' ? '' : ` for ${run.fanKey}`;
  return {
    dedupKey: guardDedupKeyOf(name, guard, run),
    notifyKey: 'guard',
    job: run.job,
    runId: run.id,
    title: `${run.job}: guard ${name} passed again${where}`,
    summary: `${evaluation.metric} is ${formatNumber(evaluation.value)}`,
  };
}
