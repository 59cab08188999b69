import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore, parseStoreUrl, redactUrl } from '../../src/store/index.ts';
import { loadSqliteMigrations } from '../../src/store/sqlite/index.ts';
import { repositoryRoot } from '../support/run-cronplane.ts';

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
      const path = join(folder, 'data', 'cronplane.db');
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

  it('refuses a SQLite path it cannot open, naming the path and the cause, creating nothing', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cronplane-open-'));
    try {
      writeFileSync(join(folder, 'garbage.db'), 'not a database at all\n'.repeat(100));
      writeFileSync(join(folder, 'plain-file'), '');
      mkdirSync(join(folder, 'a-folder.db'));
      const cases: [string, RegExp][] = [
        [
          join(folder, 'nested', 'data', 'cronplane.db'),
          /the folder \S+\/nested does not exist; cronplane creates only the file's own folder \(\S+\/nested\/data\) when its parent exists/,
        ],
        [join(folder, 'a-folder.db'), /: it is a folder, not a file$/],
        [join(folder, 'garbage.db'), /: file is not a database$/],
        [join(folder, 'plain-file', 'cronplane.db'), /plain-file is a file, not a folder$/],
        [
          join(folder, 'plain-file', 'data', 'cronplane.db'),
          /cannot create its folder .*a part of the path is a file/,
        ],
      ];
      for (const [path, cause] of cases) {
        await assert.rejects(openStore(`sqlite:${path}`), (error: Error & { code?: string }) => {
          assert.equal(error.code, 'store.open', error.message);
          assert.ok(error.message.startsWith(`cannot open the SQLite store ${path}: `), error.message);
          assert.match(error.message, cause);
          return true;
        });
      }
      assert.equal(existsSync(join(folder, 'nested')), false, 'no folder made');
      assert.equal(
        readFileSync(join(folder, 'garbage.db'), 'utf8').slice(0, 9),
        'not a dat',
        'the file untouched',
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('says permission denied for a SQLite file or folder it may not write', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cronplane-open-'));
    try {
      chmodSync(folder, 0o755);
      const closed = join(folder, 'closed');
      mkdirSync(closed, { mode: 0o755 });
      const store = await openStore(`sqlite:${join(closed, 'mine.db')}`);
      await store.release();
      chmodSync(join(closed, 'mine.db'), 0o600);
      // Root may write anywhere: the check runs in a child process as nobody when the tests are root.
      const asOther = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      if (process.getuid?.() !== 0) chmodSync(closed, 0o555);
      const script = `import { openStore } from ${JSON.stringify(join(repositoryRoot, 'src/store/index.ts'))};
        for (const path of process.argv.slice(1)) {
          await openStore('sqlite:' + path).then(
            (store) => { console.log('opened ' + path); return store.release(); },
            (error) => console.log(error.code + ' ' + error.message),
          );
        }`;
      const output = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          script,
          join(closed, 'mine.db'),
          join(closed, 'new.db'),
          join(closed, 'sub', 'x.db'),
        ],
        { ...asOther, encoding: 'utf8' },
      );
      assert.deepEqual(output.trim().split('\n'), [
        `store.open cannot open the SQLite store ${join(closed, 'mine.db')}: cannot read and write it: permission denied`,
        `store.open cannot open the SQLite store ${join(closed, 'new.db')}: cannot create it in ${closed}: permission denied`,
        `store.open cannot open the SQLite store ${join(closed, 'sub', 'x.db')}: cannot create its folder ${join(closed, 'sub')}: permission denied`,
      ]);
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
