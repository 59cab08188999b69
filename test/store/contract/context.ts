/** Shared by the parts of the store contract suite: the harness, the file's store, fixtures. */
import assert from 'node:assert/strict';
import type { NewRun, Store } from '../../../src/store/index.ts';
import type { StoreHarness } from '../../support/store-harness.ts';

export interface ContractContext {
  harness: StoreHarness;
  /** A store on the file's database, open for the whole file. */
  store: Store;
}

/** The reference clock: every time in the suite is relative to it. */
export const T0 = Date.UTC(2026, 0, 1, 2, 0, 0);

export const second = 1000;

/** A pending API run due at T0, with `overrides`. */
export function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return { job: 'backup', trigger: 'api', scheduledAt: T0, queuedAt: T0, ...overrides };
}

/** `count` runs of `job`, due one millisecond apart up to T0. */
export function manyRuns(count: number, job = 'backup'): NewRun[] {
  return Array.from({ length: count }, (_, index) => newRun({ job, scheduledAt: T0 - index, queuedAt: T0 }));
}

/** For `assert.rejects`: the store's input error, naming `path`. */
export function refusedAt(path: string): (thrown: unknown) => boolean {
  return (thrown: unknown) => {
    const error = thrown as { code?: string; location?: { path?: string } };
    assert.equal(error.code, 'store.input');
    assert.equal(error.location?.path, path);
    return true;
  };
}
