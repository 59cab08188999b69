/**
 * Metric guards: rules over the numbers a run reports (fixed bounds, change against the mean or
 * median of earlier successful runs), raised as `guard:<name>` incidents with a cool-down. See
 * docs/guards.md.
 */
export { evaluateGuard } from './evaluate-guard.ts';
export { computeBaseline } from './compute-baseline.ts';
export { GuardRule, BaselineKind, defaultLookback, lookbackOf } from './guard-breach.ts';
export type { Baseline, BoundBreach, ChangeBreach, GuardBreach, GuardEvaluation } from './guard-breach.ts';
export { describeBreach, describeBaseline, formatNumber } from './describe-breach.ts';
export { guardEventKind, guardDedupKey } from './guard-keys.ts';
export { defaultGuardCooldownMs, guardCooldownMs, cooldownEndsAt } from './guard-cooldown.ts';
export { guardIncident, guardRecovery, guardDedupKeyOf } from './guard-incident.ts';
export type { GuardIncidentInput, GuardRun } from './guard-incident.ts';
