import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, sql } from 'kysely';
import type { Generated } from 'kysely';
import { NodeSqliteDialect, openNodeSqliteDatabase } from '../../src/store/sqlite/index.ts';

interface Database {
  items: { id: Generated<number>; name: string; done: number };
}

describe('Kysely over node:sqlite', () => {
  let db: Kysely<Database>;
  const database = openNodeSqliteDatabase(':memory:');

  before(async () => {
    db = new Kysely<Database>({ dialect: new NodeSqliteDialect({ database }) });
    await sql`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, done INTEGER NOT NULL)`.execute(
      db,
    );
  });
  after(async () => {
    await db.destroy();
    assert.equal(database.isOpen, false, 'destroy closes the database');
  });

  it('opens databases with foreign keys on, a short busy timeout and WAL for files', () => {
    const pragmas = database.prepare('PRAGMA foreign_keys').get();
    assert.deepEqual({ ...pragmas }, { foreign_keys: 1 });
    // Short: a statement blocks the event loop at most this long; longer waits are asynchronous.
    assert.deepEqual({ ...database.prepare('PRAGMA busy_timeout').get() }, { timeout: 10 });
  });

  it('runs selects and writes, returning rows, inserted ids and affected counts', async () => {
    const inserted = await db.insertInto('items').values({ name: 'a', done: 0 }).executeTakeFirstOrThrow();
    assert.equal(inserted.insertId, 1n);
    const returned = await db
      .insertInto('items')
      .values([
        { name: 'b', done: 1 },
        { name: 'c', done: 0 },
      ])
      .returning(['id', 'name'])
      .execute();
    assert.deepEqual(returned, [
      { id: 2, name: 'b' },
      { id: 3, name: 'c' },
    ]);
    const updated = await db.updateTable('items').set({ done: 1 }).where('done', '=', 0).executeTakeFirst();
    assert.equal(updated.numUpdatedRows, 2n);
    assert.deepEqual(await db.selectFrom('items').select(['name', 'done']).orderBy('id').execute(), [
      { name: 'a', done: 1 },
      { name: 'b', done: 1 },
      { name: 'c', done: 1 },
    ]);
  });

  it('binds booleans as 1 and 0', async () => {
    const row = await sql<{ t: number; f: number }>`SELECT ${true} AS t, ${false} AS f`.execute(db);
    assert.deepEqual(row.rows, [{ t: 1, f: 0 }]);
  });

  it('keeps other queries out of a transaction until it ends, and rolls back on a throw', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ name: 'in-transaction', done: 0 }).execute();
      order.push('transaction wrote');
      await gate;
      order.push('transaction ends');
    });
    await new Promise((resolve) => setImmediate(resolve));
    const outside = db
      .selectFrom('items')
      .select('name')
      .execute()
      .then((rows) => order.push(`outside read ${rows.length} rows`));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await Promise.all([transaction, outside]);
    assert.deepEqual(order, ['transaction wrote', 'transaction ends', 'outside read 4 rows']);

    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ name: 'rolled back', done: 0 }).execute();
        throw new Error('abort');
      }),
      /abort/,
    );
    const names = await db.selectFrom('items').select('name').where('name', '=', 'rolled back').execute();
    assert.deepEqual(names, []);
  });

  it('streams the rows of a select', async () => {
    const names: string[] = [];
    for await (const row of db.selectFrom('items').select('name').orderBy('id').stream())
      names.push(row.name);
    assert.deepEqual(names.slice(0, 3), ['a', 'b', 'c']);
  });
});
