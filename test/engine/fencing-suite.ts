import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/store/index.ts';
import { ControlledWork, configOf, startHarness, waitFor } from '../support/engine-harness.ts';
import type { StoreFactory } from '../support/engine-harness.ts';

const t0 = Date.UTC(2026, 0, 1, 0, 0, 0, 500);
const second = 1000;

/**
 * Fencing by lease expiry with the engine's clock: a node whose lease renewals fail stops its
 * runs before the lease it was last granted expires, and records no end for them. (The
 * PostgreSQL test `fencing-postgres.test.ts` does it with killed connections and a real process.)
 */
export function defineFencingSuite(storeName: string, makeStore: StoreFactory): void {
  describe(`fencing on ${storeName}`, () => {
    it('stops a run whose lease it cannot renew just before the lease expires, and leaves its end to the sweep', async () => {
      const work = new ControlledWork();
      work.autoResult = undefined;
      let renewing = true;
      const failing = async (): Promise<Store> => {
        const store = await makeStore();
        return {
          ...store,
          renewLeases: async (...args) => {
            if (!renewing) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
            return store.renewLeases(...args);
          },
        };
      };
      // A 30 s lease, renewed every 10 s; stopped 11 s (the kill grace and a second) before it ends.
      const h = await startHarness(failing, configOf('version: 1\njobs:\n  long: { run: "true" }\n'), {
        start: t0,
        runLeaseMs: 30 * second,
        work,
      });
      try {
        const [run] = await h.engine.trigger({ job: 'long' });
        await waitFor('it runs', () => work.held.length === 1);
        await h.advance(10 * second);
        await waitFor(
          'renewed',
          async () => (await h.store.getRunOrThrow(run?.id as number)).leaseExpiresAt === t0 + 40 * second,
        );
        renewing = false;
        // Renewals at 20 s and 30 s fail; the lease granted at 10 s ends at 40 s: stopped at 29 s.
        await h.advance(18 * second);
        assert.equal(work.stopped.length, 0, 'still running 12 s before its lease ends');
        await h.advance(1 * second);
        await waitFor('stopped', () => work.stopped.length === 1);
        assert.match(work.stopped[0]?.reason ?? '', /fenced: the lease could not be renewed/);
        const fenced = await h.store.getRunOrThrow(run?.id as number);
        assert.equal(fenced.status, 'running', 'its end is not recorded');
        assert.ok(h.clock.now() < (fenced.leaseExpiresAt ?? 0));
        // A sweep after 40 s finds the lease expired. (The timed sweep re-arms when the previous one
        // ends, so under load the one of 30 s may re-arm after the clock has moved past 45 s: the
        // test sweeps itself rather than depend on that timing.)
        await h.advance(17 * second);
        await h.engine.sweepLostRuns();
        assert.equal((await h.store.getRunOrThrow(run?.id as number)).status, 'lost');
      } finally {
        await h.release();
      }
    });
  });
}
