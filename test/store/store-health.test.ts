import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { Backoff } from '../../src/backoff/index.ts';
import { StoreHealth, isStoreFault, storeAccessOf, storeFaultOf } from '../../src/store/index.ts';
import { LogCapture } from '../api/api-harness.ts';
import { SqliteLockHolder } from '../support/sqlite-lock-holder.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

describe('the back-off of loops that retry the store', () => {
  it('doubles from 100 ms, never waits more than 5 s, and starts over after a success', () => {
    const highest = new Backoff({ random: () => 1 });
    const waits = Array.from({ length: 10 }, () => highest.next());
    assert.deepEqual(waits, [125, 250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000]);
    const lowest = new Backoff({ random: () => 0 });
    assert.deepEqual([lowest.next(), lowest.next(), lowest.next()], [100, 200, 400]);
    lowest.reset();
    assert.equal(lowest.failures, 0);
    assert.equal(lowest.next(), 100);
  });
});

describe('store faults', () => {
  it('knows a write lock held by another process from a mistake in the request', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cronplane-fault-')), 'x.db');
    const setup = new DatabaseSync(file);
    setup.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER PRIMARY KEY)');
    setup.close();
    const holder = await SqliteLockHolder.hold(file);
    const database = new DatabaseSync(file, { timeout: 10 });
    try {
      const locked = captureError(() => database.exec('INSERT INTO t VALUES (1)'));
      assert.equal(storeFaultOf(locked), 'database is locked (another process holds the write lock)');
      // Reads go on while another process writes (WAL).
      assert.deepEqual({ ...database.prepare('SELECT count(*) AS n FROM t').get() }, { n: 0 });
    } finally {
      await holder.release();
    }
    database.exec('INSERT INTO t VALUES (1)');
    const duplicate = captureError(() => database.exec('INSERT INTO t VALUES (1)'));
    assert.equal(isStoreFault(duplicate), false, 'a constraint is not a fault of the store');
    assert.equal(isStoreFault(new Error('syntax error')), false);
    database.close();
  });

  it('knows a PostgreSQL server that cannot be reached', async () => {
    const proxy = await TcpProxy.start({ host: '127.0.0.1', port: 5432 });
    await proxy.cut();
    const client = new pg.Client({
      connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`,
    });
    const refused = await client.connect().then(
      () => undefined,
      (error: unknown) => error,
    );
    await client.end().catch(() => undefined);
    assert.match(storeFaultOf(refused) ?? '', /ECONNREFUSED/);
    assert.match(storeFaultOf({ code: '57P01', message: 'terminating connection' }) ?? '', /shutting down/);
    assert.equal(isStoreFault({ code: '23505', message: 'duplicate key' }), false);
  });

  it('reads and writes by the name of the store call', () => {
    assert.equal(storeAccessOf('listRuns'), 'read');
    assert.equal(storeAccessOf('getLease'), 'read');
    assert.equal(storeAccessOf('claimRuns'), 'write');
    assert.equal(storeAccessOf('probeWrite'), 'write');
  });
});

describe('the store health', () => {
  const locked = Object.assign(new Error('database is locked'), { code: 'ERR_SQLITE_ERROR', errcode: 5 });

  it('logs one line when the store goes and one when it is back, with how long and how many attempts', () => {
    const logs = new LogCapture('info');
    let now = 1_000;
    const health = new StoreHealth({ logger: logs.logger, now: () => now });
    assert.equal(health.failed(locked, 'write'), true);
    for (let attempt = 0; attempt < 4; attempt++) {
      now += 500;
      health.failed(locked, 'write');
      // Reads work while another process holds the write lock: they do not end the fault.
      health.succeeded('read');
    }
    assert.equal(health.state.status, 'unavailable');
    assert.match(
      health.describe() ?? '',
      /^store cannot write: database is locked \(another process holds the write lock\) since 1970-01-01T00:00:01\.000Z \(5 failed attempts\)$/,
    );
    now += 1_000;
    health.succeeded('write');
    health.succeeded('write');
    assert.equal(health.state.status, 'ok');
    const lines = logs.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.length, 2, logs.text);
    assert.match(String(lines[0]?.['msg']), /^store unavailable: database is locked/);
    assert.equal(lines[1]?.['awayMs'], 3000);
    assert.equal(lines[1]?.['attempts'], 5);
    assert.equal(lines[1]?.['msg'], 'store available again after 3.0 s and 5 failed attempts');
  });

  it('ignores errors that are not store faults', () => {
    const logs = new LogCapture('info');
    const health = new StoreHealth({ logger: logs.logger, now: () => 0 });
    assert.equal(health.failed(new Error('no such job'), 'write'), false);
    assert.equal(health.state.status, 'ok');
    assert.equal(logs.text, '');
  });
});

function captureError(work: () => void): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
