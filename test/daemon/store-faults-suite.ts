/**
 * Store faults for real, on one store: the store goes away (PostgreSQL behind a proxy the test
 * cuts) or cannot be written (another process holds SQLite's write lock). The node backs off,
 * says so once each way, keeps answering /healthz, is not ready while it lasts, and records the
 * fires that fell due meanwhile once the store is back: late, not missed.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { Store } from '../../src/store/index.ts';
import { StoreHealth, watchStoreHealth } from '../../src/store/index.ts';
import { LogCapture, startApiDaemon } from '../api/api-harness.ts';
import { configOf, startHarness, waitFor } from '../support/engine-harness.ts';

/** One way of making the store fail, and of ending it. */
export interface StoreFault {
  /** Where to open the store so that the fault reaches it. */
  readonly url: string;
  /** Opens a store at `url` (tracked by the file's leak guard). */
  open(options?: { readonly busyTimeoutMs?: number }): Promise<Store>;
  begin(): Promise<void>;
  end(): Promise<void>;
  /** What /readyz and the log say while it lasts. */
  readonly reason: RegExp;
}

/** 2026-01-01T00:00:00.500Z: half a second before a whole second. */
const t0 = Date.UTC(2026, 0, 1, 0, 0, 0, 500);
/**
 * Overlap allowed: each fire has its own run. (With `forbid`, the fires a fault held up are
 * recorded together when it ends: the first runs, the others are skipped while it is active.)
 */
const tickYaml = 'version: 1\njobs:\n  tick: { schedule: every 1s, concurrency: allow, run: "true" }\n';

interface LogLine {
  readonly msg: string;
  readonly awayMs?: number;
  readonly attempts?: number;
}

function linesOf(logs: LogCapture): LogLine[] {
  return logs.text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Whole seconds in (from, to]. */
function secondsBetween(from: number, to: number): number[] {
  const seconds: number[] = [];
  for (let at = Math.floor(from / 1000) * 1000 + 1000; at <= to; at += 1000) seconds.push(at);
  return seconds;
}

export function defineStoreFaultSuite(
  storeName: string,
  faultName: string,
  makeFault: () => Promise<StoreFault>,
) {
  describe(`store faults on ${storeName}: ${faultName}`, () => {
    it('backs off while it lasts, logs once when the store goes and once when it is back, and runs the fires of the fault late', async () => {
      const fault = await makeFault();
      const logs = new LogCapture('info');
      let now = (): number => t0;
      const health = new StoreHealth({ logger: logs.logger, now: () => now() });
      // A short wait for SQLite's lock, so that each failed write costs the test little time.
      const h = await startHarness(
        async () => watchStoreHealth(await fault.open({ busyTimeoutMs: 100 }), health),
        configOf(tickYaml),
        { start: t0 },
      );
      now = () => h.clock.now();
      try {
        h.clock.advance(1000);
        await waitFor('the first fire ran', async () => (await h.runs('tick'))[0]?.status === 'succeeded');
        await fault.begin();
        const faultFrom = h.clock.now();
        // Twenty seconds of the engine's time (past a renewal of the scheduler's lease), a fifth
        // at a time, letting failures come back between steps.
        for (let step = 0; step < 100; step++) {
          h.clock.advance(200);
          await sleep(20);
        }
        const during = health.state;
        assert.equal(during.status, 'unavailable', 'the store health saw the fault');
        // Without a back-off the scheduler retries at once, hundreds of times in these 20 s.
        assert.ok(
          during.status === 'unavailable' && during.attempts <= 60,
          `attempts: ${JSON.stringify(during)}`,
        );
        assert.match(during.status === 'unavailable' ? during.reason : '', fault.reason);
        await fault.end();
        const faultTo = h.clock.now();
        // The longest back-off is 5 s: move on until every fire of the fault ran.
        const expected = secondsBetween(t0, faultTo);
        await waitFor(
          'every fire up to the end of the fault ran',
          async () => {
            h.clock.advance(100);
            const done = (await h.runs('tick')).filter(
              (run) => run.status === 'succeeded' && run.scheduledAt <= faultTo,
            );
            return done.length >= expected.length;
          },
          20_000,
        );
        const runs = (await h.runs('tick')).filter((run) => run.scheduledAt <= faultTo);
        assert.deepEqual(
          runs.map((run) => run.scheduledAt),
          expected,
          'each second of the fault fired once',
        );
        assert.ok(runs.every((run) => run.status === 'succeeded' && run.trigger === 'schedule'));
        assert.ok(
          runs.some((run) => run.scheduledAt > faultFrom && (run.startedAt ?? 0) >= faultTo),
          'fires of the fault ran after it',
        );
        const missed = await h.store.listEvents({ kind: 'schedule:missed' });
        assert.equal(missed.events.length, 0, 'no fire was recorded missed');
        assert.equal(health.state.status, 'ok');
        const lines = linesOf(logs);
        const away = lines.filter((line) => line.msg.startsWith('store unavailable'));
        const back = lines.filter((line) => line.msg.startsWith('store available again'));
        assert.equal(away.length, 1, logs.text);
        assert.equal(back.length, 1, logs.text);
        assert.match(away[0]?.msg ?? '', fault.reason);
        // Away from the first failed write (the engine's first write after the fault began, later
        // on a loaded machine, where the clock runs ahead of it) to the first good one.
        assert.ok((back[0]?.awayMs ?? 0) >= (faultTo - faultFrom) / 2, logs.text);
        assert.ok((back[0]?.attempts ?? 0) >= 1 && (back[0]?.attempts ?? 0) <= 80, logs.text);
      } finally {
        await fault.end();
        await h.release();
      }
    });

    it('answers /healthz at once and /readyz 503 naming the reason while it lasts, ready after, fires late not missed', async () => {
      const fault = await makeFault();
      const d = await startApiDaemon({ storeUrl: fault.url, yaml: tickYaml });
      try {
        const runsOf = async () =>
          [...(await d.daemon.store.listRuns({ job: 'tick', limit: 1000 })).runs].reverse();
        await waitFor(
          'a run succeeded',
          async () => (await runsOf()).some((run) => run.status === 'succeeded'),
          10_000,
        );
        assert.equal((await d.request('GET', '/readyz', { token: null })).status, 200);
        await fault.begin();
        const from = Date.now();
        // Liveness does not wait for the store: the old code froze the process for 5 s per write.
        for (let look = 0; look < 6; look++) {
          await sleep(250);
          const begin = performance.now();
          const answer = await d.request('GET', '/healthz', { token: null });
          const took = performance.now() - begin;
          assert.equal(answer.status, 200);
          assert.ok(took < 1000, `/healthz took ${Math.round(took)} ms during the fault`);
        }
        const notReady = await waitFor(
          '/readyz says why it is not ready',
          async () => {
            const answer = await d.request('GET', '/readyz', { token: null });
            const body = answer.body as { ready: boolean; reasons: string[] };
            return answer.status === 503 && body.reasons.some((reason) => fault.reason.test(reason))
              ? body
              : undefined;
          },
          5000,
        );
        assert.equal(notReady.ready, false);
        assert.match(notReady.reasons.join('\n'), /^store cannot (write|be reached): .* since \d{4}-/m);
        while (Date.now() - from < 3000) await sleep(100);
        await fault.end();
        const to = Date.now();
        await waitFor(
          '/readyz ready again',
          async () => (await d.request('GET', '/readyz', { token: null })).status === 200,
          10_000,
        );
        const expected = secondsBetween(from, to);
        await waitFor(
          'the fires of the fault ran',
          async () => {
            const done = new Set(
              (await runsOf()).filter((run) => run.status === 'succeeded').map((run) => run.scheduledAt),
            );
            return expected.every((at) => done.has(at));
          },
          15_000,
        );
        const missed = await d.daemon.store.listEvents({ kind: 'schedule:missed' });
        assert.equal(missed.events.length, 0, 'no fire was recorded missed');
        const lines = linesOf(d.logs);
        assert.equal(lines.filter((line) => line.msg.startsWith('store unavailable')).length, 1, d.logs.text);
        assert.equal(
          lines.filter((line) => line.msg.startsWith('store available again')).length,
          1,
          d.logs.text,
        );
      } finally {
        await fault.end();
        await d.stop();
      }
    });
  });
}
