/** Watching runs as they go: runs stuck past their job's max_runtime. */
export { StuckWatch, stuckEventKind, stuckDedupKey } from './stuck-watch.ts';
export type { StuckWatchOptions } from './stuck-watch.ts';
