/**
 * The store contract: one suite of behaviour every store must show, run against SQLite
 * (`sqlite.test.ts`) and PostgreSQL (`postgres.test.ts`). Each test file gets its own database;
 * tables are emptied before each test; the file fails if a store or socket is left open.
 */
import { after, before, beforeEach, describe } from 'node:test';
import type { StoreHarnessFactory } from '../support/store-harness.ts';
import { defineApiAndQueueTests } from './contract/api-and-queue.ts';
import { defineApiJobTests } from './contract/api-jobs.ts';
import type { ContractContext } from './contract/context.ts';
import { defineDispatchTests } from './contract/dispatch.ts';
import { defineEventTests } from './contract/events.ts';
import { defineHistoryTests } from './contract/history.ts';
import { defineJobAndStateTests } from './contract/jobs-and-state.ts';
import { defineListingTests } from './contract/listing.ts';
import { defineMigrationTests } from './contract/migrations.ts';
import { defineMonitorTests } from './contract/monitors.ts';
import { defineNodeTests } from './contract/nodes.ts';
import { defineOutputTests } from './contract/output.ts';
import { defineOverviewTests } from './contract/overview.ts';
import { defineQueueTests } from './contract/queue.ts';
import { defineRetentionTests } from './contract/retention.ts';
import { defineRunStartTests } from './contract/run-starts.ts';
import { defineSecretParamTests } from './contract/secret-params.ts';
import { defineSignalTests } from './contract/signals.ts';
import { defineStatusTests } from './contract/statuses.ts';

export function defineStoreContract(name: string, createHarness: StoreHarnessFactory): void {
  describe(name, () => {
    const context: Partial<ContractContext> = {};
    before(async () => {
      context.harness = await createHarness();
      context.store = await context.harness.open();
    });
    after(async () => {
      await context.store?.release();
      await context.harness?.close();
    });
    beforeEach(async () => {
      await context.harness?.reset();
    });
    const ready = context as ContractContext;
    defineMigrationTests(ready);
    defineQueueTests(ready);
    defineDispatchTests(ready);
    defineRunStartTests(ready);
    defineStatusTests(ready);
    defineSecretParamTests(ready);
    defineOutputTests(ready);
    defineListingTests(ready);
    defineJobAndStateTests(ready);
    defineApiAndQueueTests(ready);
    defineApiJobTests(ready);
    defineEventTests(ready);
    defineHistoryTests(ready);
    defineOverviewTests(ready);
    defineMonitorTests(ready);
    defineNodeTests(ready);
    defineRetentionTests(ready);
    defineSignalTests(ready);
  });
}
