export { Engine } from './engine.ts';
export type { EngineOptions, TriggerInput } from './engine.ts';
export type { RunEnd, RunEndListener } from './run-end.ts';
export { Scheduler, defaultStartDeadlineMs, leaderLeaseName } from './scheduler.ts';
export { Worker } from './worker.ts';
export { defaultLeaderLeaseMs, defaultLeaderPollMs } from './leader-lease.ts';
export { defaultRunLeaseMs } from './worker-options.ts';
export { limitOf } from './claim-due-runs.ts';
export type { WorkerOptions } from './worker.ts';
export type { ExecuteRun, ExecuteInput, RunResult } from './run-result.ts';
export { planFire, fanKeyOf, forbidSkipReason } from './plan-fire.ts';
export { checkTriggerParams } from './check-trigger-params.ts';
export { splitSecretParams } from './split-secret-params.ts';
export { planCatchUp } from './plan-catch-up.ts';
export { shouldRetry } from './retry-policy.ts';
export { planRetry } from './plan-retry.ts';
export type { RetryRequest } from './plan-retry.ts';
export { planManualRuns } from './plan-manual-runs.ts';
export { runsQueuedChannel } from './wake-ups.ts';
export { untilStored } from './until-stored.ts';
export { runInForeground } from './run-in-foreground.ts';
export type { ForegroundRunInput, ForegroundRunResult } from './run-in-foreground.ts';
export { createExecuteRun } from './execute-run.ts';
export type { ExecuteRunOptions } from './execute-run.ts';
export { TimerHeap } from './timer-heap.ts';
export { schedulerStall, schedulerStallMs } from './scheduler-stall.ts';
export type { SchedulerStall } from './scheduler-stall.ts';
export { ApiJobFeed, defaultApiJobPollMs } from './api-job-feed.ts';
export { jobsInForce } from './jobs-in-force.ts';
export type { ApiJobEntry, ApiJobFeedOptions } from './api-job-feed.ts';
export {
  insertTriggeredRuns,
  recordRunsInCooldown,
  releaseInCooldown,
  cooldownSkipReason,
  cooldownUntil,
  readLastStarts,
} from './cooldown.ts';
export type { CooldownRecording, LastStarts } from './cooldown.ts';
