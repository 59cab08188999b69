/**
 * Gives the operating system back the heap pages that reading a large job file left behind.
 *
 * Parsing and validating a file of 100,000 jobs builds a few hundred megabytes of short-lived
 * objects. A normal collection frees them, but V8 keeps the freed pages pooled for reuse, so the
 * resident size of an idle daemon stays at the peak of its start-up. Only a "last resort"
 * collection (what V8 does under memory pressure) hands the pooled pages back. Node exposes it
 * through `gc()` of `--expose-gc` only, so the function is taken from a fresh context created
 * while the flag is briefly on; the flag is switched off again at once, so no other context
 * (the daemon's own, or any later one) gets a `gc` global.
 *
 * While such a file loads, its reading (the parse's garbage) is collected before it is resolved,
 * and on a reload, where the file in force is still held, what resolving left is collected before
 * the engine's start: a plain full collection (`collectBetweenLoadSteps`). V8 would otherwise let
 * a step's garbage, promoted by young collections, grow the heap until its own next full
 * collection, and the next step would take new pages instead of reusing the last one's (with
 * 100,000 jobs a start-up peak of 630-660 MB once, where the data kept is about 110 MB; 430 MB
 * now without the first collection, 395 MB with it, and no lower with the other two at a start).
 */
import v8 from 'node:v8';
import type { LoadedJobFile } from '../config/index.ts';
import vm from 'node:vm';

/** Job files with at least this many jobs and monitors are followed by a collection of last resort. */
export const largeJobFileEntries = 10_000;

type GcFunction = (options: {
  readonly type: 'major';
  readonly execution: 'sync';
  readonly flavor: 'regular' | 'last-resort';
}) => void;

let collect: GcFunction | undefined;

function gcFunction(): GcFunction {
  if (collect !== undefined) return collect;
  const exposed = (globalThis as { gc?: GcFunction }).gc;
  if (typeof exposed === 'function') {
    collect = exposed;
    return collect;
  }
  v8.setFlagsFromString('--expose-gc');
  try {
    collect = vm.runInNewContext('gc') as GcFunction;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
  return collect;
}

/** Collects all garbage and returns V8's pooled free pages to the system (a pause of tens to hundreds of ms). */
export function returnFreeMemory(): void {
  gcFunction()({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/**
 * Between two steps of loading a job file of at least `largeJobFileEntries` jobs and monitors: a
 * full collection (tens of ms for such a file), whose freed pages V8 keeps for the next step.
 */
export function collectBetweenLoadSteps(entries: number): boolean {
  if (entries < largeJobFileEntries) return false;
  gcFunction()({ type: 'major', execution: 'sync', flavor: 'regular' });
  return true;
}

/** Jobs and monitors of a job file as read: what `collectBetweenLoadSteps` is given after reading. */
export function entriesOf(loaded: Pick<LoadedJobFile, 'jobFile'>): number {
  const { jobs, monitors } = loaded.jobFile;
  return Object.keys(jobs ?? {}).length + Object.keys(monitors ?? {}).length;
}

/** After reading a job file: returns the parse's pages when the file was large enough to matter. */
export function returnFreeMemoryAfterLoad(entries: number): boolean {
  if (entries < largeJobFileEntries) return false;
  returnFreeMemory();
  return true;
}
