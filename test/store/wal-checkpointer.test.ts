import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WalCheckpointer } from '../../src/store/sqlite/wal-checkpointer.ts';

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
});
