/**
 * The kinds a job file is read with: channel kinds (src/notify/channels/) gathered here for
 * config, which depends on none of them.
 */
export { builtinKinds } from './builtin-kinds.ts';
export { readConfig, loadJobFile, loadJobFileText } from './job-file-readers.ts';
export type { ReadOptions } from './job-file-readers.ts';
