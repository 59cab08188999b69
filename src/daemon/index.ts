export { Daemon } from './daemon.ts';
export type { DaemonOptions } from './daemon.ts';
export {
  collectBetweenLoadSteps,
  entriesOf,
  largeJobFileEntries,
  returnFreeMemory,
  returnFreeMemoryAfterLoad,
} from './return-free-memory.ts';
export { daemonReadOptions } from './daemon-read-options.ts';
export { HistoryPruner } from './history-pruner.ts';
export type { HistoryPrunerOptions, PruneTotals } from './history-pruner.ts';
