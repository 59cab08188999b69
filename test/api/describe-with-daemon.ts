/**
 * The scaffolding of a test file that runs against a real daemon on a store: a harness created
 * and emptied, a daemon started on it with the file's job file, and both released at the end, on
 * SQLite, PostgreSQL or each in turn. The body reads the harness and the daemon through getters
 * (they exist once its tests run). Its own `before` hooks run after the daemon is up, its `after`
 * hooks before the daemon stops (node:test runs hooks in the order they were added).
 */
import { after, before, describe } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness, StoreHarnessFactory } from '../support/store-harness.ts';
import { startApiDaemon } from './api-harness.ts';
import type { ApiDaemon, StartOptions } from './api-harness.ts';

export const storeNames = ['sqlite', 'postgres'] as const;
export type StoreName = (typeof storeNames)[number];

const stores: Readonly<Record<StoreName, { readonly title: string; readonly create: StoreHarnessFactory }>> =
  {
    sqlite: { title: 'SQLite', create: createSqliteHarness },
    postgres: { title: 'PostgreSQL', create: createPostgresHarness },
  };

/** How a store's name reads in a test title: SQLite, PostgreSQL. */
export function storeTitle(storeName: StoreName): string {
  return stores[storeName].title;
}

export interface DaemonSetUp {
  /** The daemon's job file. */
  readonly yaml: string;
  /** Writes straight into the emptied store before the daemon starts. */
  readonly beforeDaemon?: (harness: StoreHarness) => Promise<void>;
  /** More options for the daemon; read when it starts. */
  readonly daemonOptions?: () => Omit<StartOptions, 'storeUrl' | 'yaml'>;
}

/** What the body of a describe block with a daemon reads. */
export interface DaemonOnStore {
  readonly storeName: StoreName;
  readonly harness: StoreHarness;
  readonly api: ApiDaemon;
}

/** A describe block with a daemon on `storeName`, started before its tests and stopped after. */
export function describeWithDaemon(
  title: string,
  storeName: StoreName,
  setUp: DaemonSetUp,
  body: (rig: DaemonOnStore) => void,
): void {
  describe(title, () => {
    let harness: StoreHarness | undefined;
    let api: ApiDaemon | undefined;
    before(async () => {
      harness = await stores[storeName].create();
      await harness.reset();
      await setUp.beforeDaemon?.(harness);
      api = await startApiDaemon({ ...setUp.daemonOptions?.(), storeUrl: harness.url, yaml: setUp.yaml });
    });
    body({
      storeName,
      get harness() {
        if (harness === undefined) throw new Error('the harness exists once the tests run');
        return harness;
      },
      get api() {
        if (api === undefined) throw new Error('the daemon exists once the tests run');
        return api;
      },
    });
    after(async () => {
      await api?.stop();
      await harness?.close();
    });
  });
}

/** `describeWithDaemon` on SQLite, then on PostgreSQL; `title` names the store. */
export function describeWithDaemonOnEachStore(
  title: (storeTitle: string) => string,
  setUp: DaemonSetUp,
  body: (rig: DaemonOnStore) => void,
): void {
  for (const storeName of storeNames)
    describeWithDaemon(title(storeTitle(storeName)), storeName, setUp, body);
}
