/**
 * A store holding jobs defined through the API beside job files, for tests of the commands and
 * the daemon that read both: job files written to a temporary folder, a database reset, and the
 * API jobs written through `LocalControl` resolved against one of the files, as a daemon on that
 * file writes them. Call `useApiJobStore` inside a `describe`: it registers the `before` that
 * sets the store up and the `after` that closes it (the harness's leak guard runs there).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { readConfig } from '../../src/config/index.ts';
import { LocalControl, storeControlParts, unlimitedActor } from '../../src/control/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import type { Store } from '../../src/store/index.ts';
import { createPostgresHarness } from './postgres.ts';
import { createSqliteHarness } from './sqlite.ts';
import type { StoreHarness, StoreHarnessFactory } from './store-harness.ts';

/** Both stores, by name: a suite over jobs defined through the API runs on each. */
export const apiJobStores = [
  ['SQLite', createSqliteHarness],
  ['PostgreSQL', createPostgresHarness],
] as const satisfies readonly (readonly [string, StoreHarnessFactory])[];

export interface ApiJobStoreOptions<Name extends string> {
  readonly createHarness: StoreHarnessFactory;
  /** The job files by name (`<name>.yaml` in the folder). */
  readonly files: Readonly<Record<Name, string>>;
  /** The file the API jobs are written against. */
  readonly writeAgainst: NoInfer<Name>;
  /** Writes the API jobs (and anything else the suite needs in the store). */
  readonly write: (control: LocalControl, store: Store) => Promise<void>;
}

export interface ApiJobStore<Name extends string> {
  /** The harness, once the `before` ran. */
  readonly harness: () => StoreHarness;
  readonly folder: string;
  /** The path of one of the job files. */
  readonly file: (name: Name) => string;
}

export function useApiJobStore<Name extends string>(options: ApiJobStoreOptions<Name>): ApiJobStore<Name> {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-api-jobs-'));
  const file = (name: Name): string => path.join(folder, `${name}.yaml`);
  for (const [name, text] of Object.entries(options.files) as [Name, string][])
    writeFileSync(file(name), text);
  let harness: StoreHarness | undefined;

  before(async () => {
    harness = await options.createHarness();
    await harness.reset();
    const store = await harness.open();
    try {
      const config = readConfig(
        file(options.writeAgainst),
        { kinds: builtinKinds, env: {} },
        { jobsBeyond: 'api' },
      );
      const control = new LocalControl(
        storeControlParts({ store, config, redact: (text) => text }),
        unlimitedActor('app'),
      );
      await options.write(control, store);
    } finally {
      await store.release();
    }
  });
  after(async () => {
    await harness?.close();
  });

  return {
    harness: () => {
      if (harness === undefined) throw new Error('the store is set up in the before hook');
      return harness;
    },
    folder,
    file,
  };
}
