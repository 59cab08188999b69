/** The longest the checkpoint thread waits between two checkpoints. */
export const maxCheckpointWaitMs = 5000;

/**
 * Frames (4 KiB pages) written to the log between two checkpoints below which the log counts as
 * quiet: an idle daemon's heartbeats and lease renewals write a few a second, a busy one
 * hundreds. Copying a quiet log later costs the main connection nothing.
 */
export const quietLogFrames = 64;

/** What one passive checkpoint found: `[busy, frames in the log, frames copied into the database file]`. */
export interface CheckpointResult {
  readonly log: number;
  readonly copied: number;
}

/**
 * How long the checkpoint thread waits before its next checkpoint: twice as long as the last
 * wait (up to `maxCheckpointWaitMs`) while the log is copied and grew by fewer than
 * `quietLogFrames` since the last checkpoint, `intervalMs` as soon as it grows faster. A
 * checkpoint syncs the database file, so one every `intervalMs` while a daemon only writes its
 * heartbeats was most of an idle node's CPU time off the main thread. `lastLog` is the log's
 * length at the last checkpoint (the log starts again from 0 once it was all copied).
 */
export function nextCheckpointWait(
  result: CheckpointResult,
  lastLog: number,
  lastWaitMs: number,
  intervalMs: number,
): number {
  const grown = result.log >= lastLog ? result.log - lastLog : result.log;
  const quiet = result.log === result.copied && grown < quietLogFrames;
  return quiet ? Math.min(Math.max(lastWaitMs, intervalMs) * 2, maxCheckpointWaitMs) : intervalMs;
}
