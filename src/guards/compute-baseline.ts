import type { Baseline, BaselineKind } from './guard-breach.ts';

/**
 * The mean or median of earlier values; undefined when there are none (a guard's first runs have
 * no history, so only its fixed bounds apply). Non-finite values are left out.
 */
export function computeBaseline(values: readonly number[], kind: BaselineKind): Baseline | undefined {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return undefined;
  switch (kind) {
    case 'mean':
      return { kind, value: meanOf(finite), runs: finite.length };
    case 'median':
      return { kind, value: medianOf(finite), runs: finite.length };
  }
}

function meanOf(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  // Rounding may put the mean of equal values a hair outside them; keep it within their range.
  return Math.min(Math.max(mean, Math.min(...values)), Math.max(...values));
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
