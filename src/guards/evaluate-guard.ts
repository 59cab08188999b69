import type { GuardEntry } from '../config/index.ts';
import { computeBaseline } from './compute-baseline.ts';
import type { Baseline, GuardBreach, GuardEvaluation } from './guard-breach.ts';
import { lookbackOf } from './guard-breach.ts';

/**
 * Judges one run's value of a guard's metric.
 *
 * - `value` undefined (the run did not report the metric, or reported something not a finite
 *   number): `missing`, nothing to judge; an open incident of the guard stays as it is.
 * - `above` / `below`: the value is strictly above / below the bound.
 * - `rise_by` / `drop_by`: the value is more than this above / below the baseline, the mean or
 *   median (`baseline`, default mean) of the first `lookback` (default 10) entries of `history`.
 *   `history` is the metric's values in earlier successful runs, newest first; the caller picks
 *   them (the same fan-out key for a `per_key` guard). With no history there is no baseline and
 *   only the fixed bounds apply.
 *
 * A change equal to its threshold does not breach; so that decimal thresholds mean what they say
 * (0.4 − 0.3 is 0.10000000000000003 in binary), differences within a billionth of the larger
 * magnitude count as equal.
 */
export function evaluateGuard(
  guard: GuardEntry,
  value: number | undefined,
  history: readonly number[],
): GuardEvaluation {
  const metric = guard.metric;
  if (value === undefined || !Number.isFinite(value)) return { kind: 'missing', metric };
  const baseline = computeBaseline(history.slice(0, lookbackOf(guard)), guard.baseline ?? 'mean');
  const breaches: GuardBreach[] = [];
  if (guard.above !== undefined && value > guard.above) {
    breaches.push({ rule: 'above', metric, value, threshold: guard.above });
  }
  if (guard.below !== undefined && value < guard.below) {
    breaches.push({ rule: 'below', metric, value, threshold: guard.below });
  }
  if (baseline !== undefined) {
    const delta = value - baseline.value;
    if (guard.rise_by !== undefined && exceeds(delta, guard.rise_by, value, baseline)) {
      breaches.push({ rule: 'rise_by', metric, value, threshold: guard.rise_by, baseline, delta });
    }
    if (guard.drop_by !== undefined && exceeds(-delta, guard.drop_by, value, baseline)) {
      breaches.push({ rule: 'drop_by', metric, value, threshold: guard.drop_by, baseline, delta });
    }
  }
  const [first, ...rest] = breaches;
  if (first === undefined) return { kind: 'passed', metric, value, baseline };
  return { kind: 'breached', metric, value, baseline, breaches: [first, ...rest] };
}

/** Whether a change is more than its threshold, beyond floating-point noise. */
function exceeds(change: number, threshold: number, value: number, baseline: Baseline): boolean {
  const noise = 1e-9 * Math.max(1, Math.abs(value), Math.abs(baseline.value), threshold);
  return change - threshold > noise;
}
