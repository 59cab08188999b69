import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { SqliteLockHolder } from '../support/sqlite-lock-holder.ts';
import { defineStoreFaultSuite } from './store-faults-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineStoreFaultSuite('SQLite', 'another process holds the write lock', async () => {
  await harness.reset();
  let holder: SqliteLockHolder | undefined;
  return {
    url: harness.url,
    open: (options = {}) => harness.open(harness.url, options),
    async begin() {
      holder = await SqliteLockHolder.hold(harness.url.slice('sqlite:'.length));
    },
    async end() {
      await holder?.release();
      holder = undefined;
    },
    reason: /database is locked \(another process holds the write lock\)/,
  };
});
