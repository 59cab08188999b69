/**
 * The body of the WAL checkpoint thread (see `wal-checkpointer.ts`): its own connection to the
 * database file, a passive checkpoint every `intervalMs`, closed when told to stop. It runs only
 * inside a worker thread started for it: imported anywhere else, it does nothing.
 */
import { DatabaseSync } from 'node:sqlite';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { nextCheckpointWait } from './checkpoint-wait.ts';

/** Marks the worker data of a checkpoint thread. */
export const checkpointThreadKind = 'cronplane-wal-checkpoint';

interface CheckpointThreadData {
  readonly kind: typeof checkpointThreadKind;
  readonly file: string;
  readonly intervalMs: number;
  readonly busyTimeoutMs: number;
}

function isCheckpointThreadData(data: unknown): data is CheckpointThreadData {
  return (
    typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === checkpointThreadKind
  );
}

function runCheckpointThread(data: CheckpointThreadData): void {
  const database = new DatabaseSync(data.file, { timeout: data.busyTimeoutMs });
  const checkpoint = database.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  checkpoint.setReturnArrays(true);
  let timer: NodeJS.Timeout | undefined;
  // While little is written, look less and less often (up to 5 s): an idle daemon stays idle.
  let wait = data.intervalMs;
  let lastLog = 0;
  const stop = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    database.close();
    parentPort?.close();
  };
  const tick = (): void => {
    try {
      // [busy, frames in the log, frames copied into the database file]
      const [, log, copied] = checkpoint.get() as unknown as [number, number, number];
      wait = nextCheckpointWait({ log, copied }, lastLog, wait, data.intervalMs);
      lastLog = log;
    } catch {
      // Busy or locked for a moment: the next tick tries again.
      wait = data.intervalMs;
    }
    timer = setTimeout(tick, wait);
  };
  parentPort?.once('message', stop);
  tick();
}

if (!isMainThread && isCheckpointThreadData(workerData)) runCheckpointThread(workerData);
