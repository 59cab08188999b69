/**
 * A PostgreSQL store backend on a fresh test database for the tests of one file: opened before
 * them, destroyed (and the database dropped) after them. For tests of what only the PostgreSQL
 * backend does (its statements, plans and connections), below the store contract.
 */
import { after, before } from 'node:test';
import { openPostgresBackend } from '../../src/store/postgres/index.ts';
import type { StoreBackend } from '../../src/store/store-backend.ts';
import { createPostgresHarness } from './postgres.ts';
import type { StoreHarness } from './store-harness.ts';

export interface PostgresBackendRig {
  readonly harness: StoreHarness;
  readonly backend: StoreBackend;
}

/** Registers the `before` and `after` hooks; read the rig's fields inside the tests. */
export function usePostgresBackend(): PostgresBackendRig {
  const rig: { harness?: StoreHarness; backend?: StoreBackend } = {};
  before(async () => {
    rig.harness = await createPostgresHarness();
    rig.backend = openPostgresBackend(rig.harness.url);
  });
  after(async () => {
    await rig.backend?.destroy();
    await rig.harness?.close();
  });
  return {
    get harness() {
      if (rig.harness === undefined) throw new Error('the PostgreSQL harness is opened before the tests');
      return rig.harness;
    },
    get backend() {
      if (rig.backend === undefined) throw new Error('the PostgreSQL backend is opened before the tests');
      return rig.backend;
    },
  };
}
