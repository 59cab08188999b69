/**
 * The watchers: each notices one kind of trouble and raises incidents through the incident port
 * (the daemon's `Alerter`). Every one implements `Watcher` (start, reload, release); the daemon
 * keeps them in one list. Their pure rules live in their domains (alerts/, guards/, monitor/).
 */
export { WatcherFeed } from './watcher.ts';
export type { WatchedConfig, Watcher } from './watcher.ts';
export { WatchLoop } from './watch-loop.ts';
export { RunWatch } from './run-watch.ts';
export type { RunWatchOptions } from './run-watch.ts';
export { JobWatch, schedulerStalledKind } from './job-watch.ts';
export type { JobWatchOptions } from './job-watch.ts';
export { GuardWatch, GuardAction } from './guard-watch.ts';
export type { GuardCheck, GuardWatchOptions } from './guard-watch.ts';
export { StuckWatch, stuckEventKind, stuckDedupKey } from './stuck-watch.ts';
export type { StuckWatchOptions } from './stuck-watch.ts';
export { skippedFiresKind, skippedFiresKey } from './skipped-fires.ts';
export { MonitorWatch } from './monitor-watch.ts';
export type { MonitorAlerts, MonitorWatchOptions } from './monitor-watch.ts';
