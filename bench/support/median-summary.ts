import { median } from './median.ts';

/** A system's figure over its interleaved passes: the median and the spread around it. */
export interface MedianSummary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly passes: number;
}

/** The median, minimum and maximum of one figure measured once per pass. */
export function medianSummary(values: readonly number[]): MedianSummary {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, passes: 0 };
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    passes: values.length,
  };
}

/** `12,345 (11,002–13,870)`: the median with its min–max, each written by `format`. */
export function formatMedianSummary(summary: MedianSummary, format: (value: number) => string): string {
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`;
}
