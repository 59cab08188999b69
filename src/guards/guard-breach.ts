import type { GuardEntry } from '../config/index.ts';

/** The conditions a guard can hold: fixed bounds, and change against the baseline. */
export const GuardRule = {
  above: 'above',
  below: 'below',
  rise_by: 'rise_by',
  drop_by: 'drop_by',
} as const;
export type GuardRule = keyof typeof GuardRule;

export const BaselineKind = {
  mean: 'mean',
  median: 'median',
} as const;
export type BaselineKind = keyof typeof BaselineKind;

/** What a guard compares a change with: the mean or median of earlier successful runs' values. */
export interface Baseline {
  readonly kind: BaselineKind;
  readonly value: number;
  /** How many earlier values it summarises (at most the guard's `lookback`). */
  readonly runs: number;
}

/** A value outside a fixed bound: `agreement_rate` 0.71 is below 0.75. */
export interface BoundBreach {
  readonly rule: 'above' | 'below';
  readonly metric: string;
  readonly value: number;
  readonly threshold: number;
}

/** A change larger than allowed: `refusal_rate` rose by 0.08 against its mean, more than 0.05. */
export interface ChangeBreach {
  readonly rule: 'rise_by' | 'drop_by';
  readonly metric: string;
  readonly value: number;
  readonly threshold: number;
  readonly baseline: Baseline;
  /** value − baseline: positive for a rise, negative for a drop. */
  readonly delta: number;
}

export type GuardBreach = BoundBreach | ChangeBreach;

/**
 * What one guard makes of one run: the metric was not reported (nothing to judge), it passed,
 * or it breached one or more of the guard's conditions.
 */
export type GuardEvaluation =
  | { readonly kind: 'missing'; readonly metric: string }
  | {
      readonly kind: 'passed';
      readonly metric: string;
      readonly value: number;
      readonly baseline: Baseline | undefined;
    }
  | {
      readonly kind: 'breached';
      readonly metric: string;
      readonly value: number;
      readonly baseline: Baseline | undefined;
      readonly breaches: readonly [GuardBreach, ...GuardBreach[]];
    };

/** How many earlier runs a guard's baseline summarises when `lookback` is not set. */
export const defaultLookback = 10;

export function lookbackOf(guard: GuardEntry): number {
  return guard.lookback ?? defaultLookback;
}
