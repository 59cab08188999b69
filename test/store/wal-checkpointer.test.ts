import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WalCheckpointer } from '../../src/store/sqlite/wal-checkpointer.ts';
import {
  maxCheckpointWaitMs,
  nextCheckpointWait,
  quietLogFrames,
} from '../../src/store/sqlite/checkpoint-wait.ts';

const folder = mkdtempSync(join(tmpdir(), 'cronplane-wal-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** A WAL database whose own connection never checkpoints, with `kib` KiB written to it. */
function writer(name: string, kib: number): { file: string; database: DatabaseSync } {
  const file = join(folder, name);
  const database = new DatabaseSync(file);
  database.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x TEXT)');
  const insert = database.prepare('INSERT INTO t (x) VALUES (?)');
  database.exec('BEGIN');
  for (let i = 0; i < kib; i++) insert.run('x'.repeat(1000));
  database.exec('COMMIT');
  return { file, database };
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > 5000) throw new Error(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

describe('the WAL checkpointer (SQLite)', () => {
  it('copies a grown log into the database file from a thread of its own, while the writer only commits', async () => {
    const { file, database } = writer('grown.db', 2048);
    const before = statSync(file).size;
    assert.ok(statSync(`${file}-wal`).size > 2 * 1024 * 1024, 'the writes are in the log');
    const checkpointer = new WalCheckpointer(file, { startAtBytes: 64 * 1024, watchMs: 10, intervalMs: 10 });
    try {
      checkpointer.watch();
      await until('the thread runs', () => checkpointer.running);
      await until('the log is in the database file', () => statSync(file).size > before + 2 * 1024 * 1024);
      const [row] = database.prepare('SELECT count(*) AS n FROM t').all() as { n: number }[];
      assert.equal(row?.n, 2048);
    } finally {
      await checkpointer.stop();
      database.close();
    }
    assert.equal(checkpointer.running, false, 'stop ends the thread');
  });

  it('starts no thread while the log stays small, and none after it was stopped', async () => {
    const { file, database } = writer('small.db', 4);
    const checkpointer = new WalCheckpointer(file, { startAtBytes: 1024 * 1024, watchMs: 10 });
    try {
      checkpointer.watch();
      await sleep(100);
      assert.equal(checkpointer.running, false);
    } finally {
      await checkpointer.stop();
    }
    checkpointer.start();
    checkpointer.watch();
    assert.equal(checkpointer.running, false);
    database.close();
  });

  it("checkpoints less and less often while the log grows by a few frames a checkpoint (an idle daemon's heartbeats), and every interval once it grows fast", () => {
    const interval = 200;
    // An idle daemon: its heartbeats and lease renewals add a few frames between checkpoints.
    let wait = interval;
    let log = 0;
    const waits: number[] = [];
    for (let look = 0; look < 8; look++) {
      const grown = log + 3;
      wait = nextCheckpointWait({ log: grown, copied: grown }, log, wait, interval);
      log = grown;
      waits.push(wait);
    }
    assert.deepEqual(waits, [400, 800, 1600, 3200, 5000, 5000, 5000, 5000]);
    assert.equal(maxCheckpointWaitMs, 5000);
    // The log was all copied and started again from 0: a few frames since are quiet too.
    assert.equal(nextCheckpointWait({ log: 2, copied: 2 }, 40, 800, interval), 1600);
    // A burst of writes, or a log not yet all copied (a reader held it): back to the interval.
    assert.equal(
      nextCheckpointWait({ log: 40 + quietLogFrames, copied: 40 + quietLogFrames }, 40, 5000, interval),
      interval,
    );
    assert.equal(nextCheckpointWait({ log: 50, copied: 30 }, 40, 5000, interval), interval);
  });
});
