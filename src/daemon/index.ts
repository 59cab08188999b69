export { Daemon } from './daemon.ts';
export type { DaemonOptions } from './daemon.ts';
export { largeJobFileEntries, returnFreeMemory, returnFreeMemoryAfterLoad } from './return-free-memory.ts';
