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

/**
 * Reads with `read` again and again while `writes` run one after the other (each read and each
 * write followed by a turn of the event loop, so that they interleave on SQLite too, whose store
 * answers without one), and gives every answer read. Fails unless at least two reads were made
 * while writing.
 */
export async function readWhileWriting<T>(
  writes: readonly (() => Promise<unknown>)[],
  read: () => Promise<T>,
): Promise<T[]> {
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  let written = false;
  const writing = (async () => {
    for (const write of writes) {
      await write();
      await turn();
    }
    written = true;
  })();
  const answers: T[] = [];
  while (!written) {
    answers.push(await read());
    await turn();
  }
  await writing;
  assert.ok(answers.length > 1, `read ${answers.length} time(s) while writing; at least 2 wanted`);
  return answers;
}
