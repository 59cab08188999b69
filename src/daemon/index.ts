export { Daemon } from './daemon.ts';
export type { DaemonOptions } from './daemon.ts';
