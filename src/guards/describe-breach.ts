import type { Baseline, GuardBreach } from './guard-breach.ts';

/**
 * One line for a breach, with its numbers:
 * `refusal_rate rose by 0.08 to 0.14 against the mean of the last 10 successful runs (0.06), more than 0.05`.
 */
export function describeBreach(breach: GuardBreach): string {
  const { metric, value, threshold } = breach;
  switch (breach.rule) {
    case 'above':
      return `${metric} is ${formatNumber(value)}, above ${formatNumber(threshold)}`;
    case 'below':
      return `${metric} is ${formatNumber(value)}, below ${formatNumber(threshold)}`;
    case 'rise_by':
      return `${metric} rose by ${formatNumber(breach.delta)} to ${formatNumber(value)} against ${describeBaseline(breach.baseline)}, more than ${formatNumber(threshold)}`;
    case 'drop_by':
      return `${metric} dropped by ${formatNumber(-breach.delta)} to ${formatNumber(value)} against ${describeBaseline(breach.baseline)}, more than ${formatNumber(threshold)}`;
  }
}

/** `the mean of the last 10 successful runs (0.06)`. */
export function describeBaseline(baseline: Baseline): string {
  const runs = baseline.runs === 1 ? 'the last successful run' : `the last ${baseline.runs} successful runs`;
  return `the ${baseline.kind} of ${runs} (${formatNumber(baseline.value)})`;
}

/** Six significant digits, without binary noise: 0.08000000000000002 prints as 0.08. */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(6)));
}
