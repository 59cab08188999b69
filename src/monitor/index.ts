/** Watchers: runs stuck past their job's max_runtime; external monitors whose pings are late. */
export { StuckWatch, stuckEventKind, stuckDedupKey } from './stuck-watch.ts';
export type { StuckWatchOptions } from './stuck-watch.ts';
export {
  MonitorWatch,
  monitorDownKind,
  monitorTooFastKind,
  monitorDownDedupKey,
  monitorTooFastDedupKey,
} from './monitor-watch.ts';
export type { MonitorAlerts, MonitorWatchOptions } from './monitor-watch.ts';
export { monitorDeadline, lateAt, LateReason } from './monitor-deadline.ts';
export type { MonitorDeadline } from './monitor-deadline.ts';
export { monitorTimingOf } from './monitor-timing.ts';
export type { MonitorTiming } from './monitor-timing.ts';
export { parsePingAction, isPingIdShape } from './ping-action.ts';
export type { PingAction, PingActionResult } from './ping-action.ts';
