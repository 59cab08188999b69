/**
 * External monitors' rules: when a monitor is due (a pure function of its timing and its record),
 * what its incidents say, and the ping's URL actions. The watch itself is `MonitorWatch` in
 * src/watchers/.
 */
export {
  downIncident,
  isoTime,
  lateText,
  monitorDownKind,
  monitorTooFastKind,
  monitorDownDedupKey,
  monitorTooFastDedupKey,
  bodyTail,
} from './monitor-incident.ts';
export { monitorDeadline, lateAt, LateReason } from './monitor-deadline.ts';
export type { MonitorDeadline } from './monitor-deadline.ts';
export { monitorTimingOf } from './monitor-timing.ts';
export type { MonitorTiming } from './monitor-timing.ts';
export { parsePingAction, isPingIdShape } from './ping-action.ts';
export type { PingAction, PingActionResult } from './ping-action.ts';
