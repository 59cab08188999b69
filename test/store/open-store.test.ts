import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore, parseStoreUrl, redactUrl } from '../../src/store/index.ts';
import { loadSqliteMigrations } from '../../src/store/sqlite/index.ts';

describe('store URLs', () => {
  it('reads SQLite files, in-memory SQLite and PostgreSQL URLs', () => {
    assert.deepEqual(parseStoreUrl('sqlite:./data/cronplane.db'), {
      kind: 'sqlite',
      path: './data/cronplane.db',
    });
    assert.deepEqual(parseStoreUrl('sqlite:///var/lib/cronplane/x.db'), {
      kind: 'sqlite',
      path: '/var/lib/cronplane/x.db',
    });
    assert.deepEqual(parseStoreUrl('sqlite::memory:'), { kind: 'sqlite', path: ':memory:' });
    assert.deepEqual(parseStoreUrl('postgres://u@db:5432/x'), {
      kind: 'postgres',
      connectionString: 'postgres://u@db:5432/x',
    });
    assert.equal(parseStoreUrl('postgresql://u@db/x').kind, 'postgres');
  });

  it('refuses any other URL, naming the accepted forms and hiding a password', () => {
    assert.throws(
      () => parseStoreUrl('mysql://admin:hunter2@db/x'),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'store.url');
        assert.match(
          error.message,
          /sqlite:\.\/data\/cronplane\.db, sqlite::memory:, postgres:\/\/user@host:5432\/db/,
        );
        assert.match(error.message, /mysql:\/\/admin:\*\*\*@db\/x/);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
    assert.throws(() => parseStoreUrl('sqlite:'), { code: 'store.url' });
    assert.throws(() => parseStoreUrl('./data/cronplane.db'), { code: 'store.url' });
    assert.equal(redactUrl('postgres://u:secret@h/db'), 'postgres://u:***@h/db');
  });

  it('creates the folder of a SQLite file and migrates it on open', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cronplane-open-'));
    try {
      const path = join(folder, 'nested', 'data', 'cronplane.db');
      const store = await openStore(`sqlite:${path}`);
      try {
        assert.ok(existsSync(path));
        assert.equal(store.dialect, 'sqlite');
        assert.equal((await store.listMigrations()).length, (await loadSqliteMigrations()).length);
      } finally {
        await store.release();
      }
      const again = await openStore(`sqlite:${path}`);
      assert.deepEqual((await again.migrate()).applied, []);
      await again.release();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('opens an in-memory SQLite store that can be released twice', async () => {
    const store = await openStore('sqlite::memory:');
    const { inserted } = await store.insertRuns([
      { job: 'a', trigger: 'manual', scheduledAt: 1, queuedAt: 1 },
    ]);
    assert.equal(inserted.length, 1);
    await store.release();
    await store.release();
  });
});
