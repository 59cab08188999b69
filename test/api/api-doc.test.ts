/**
 * docs/api.md is tested: its job file runs in a real daemon and every example request in it is
 * sent, in order; each answer must have the status and the shape the doc shows (see
 * `differenceFrom`: ids, times and durations may differ, everything else must match).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApiDaemon } from './api-harness.ts';
import { bootstrapToken, parseEvents, startApiDaemon } from './api-harness.ts';
import { differenceFrom, parseApiDoc } from './doc-examples.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import type { Store } from '../../src/store/index.ts';

const docFile = path.resolve(import.meta.dirname, '../../docs/api.md');
const doc = parseApiDoc(readFileSync(docFile, 'utf8'));

/** A documented text line matches an actual one; a sample's value may differ. */
function lineMatches(documented: string, actual: string): boolean {
  if (documented.startsWith('#') || !documented.includes(' ')) return documented === actual;
  const cut = documented.lastIndexOf(' ');
  return actual.startsWith(`${documented.slice(0, cut)} `);
}

const hour = 3_600_000;

/**
 * What docs/api.md says the store holds for `model-drift`: a run every 6 hours from
 * 2026-11-20T00:00Z for each tenant, ended a minute after it was due and reporting its
 * agreement rate then; globex's run at 2026-11-21T12:00Z reported 0.70, ended critical and
 * raised the guard's event, which the next run resolved.
 */
async function recordModelDriftHistory(store: Store): Promise<void> {
  const start = Date.parse('2026-11-20T00:00:00Z');
  const rates: Readonly<Record<string, readonly number[]>> = {
    acme: [0.84, 0.86, 0.85, 0.83, 0.87, 0.85, 0.86, 0.84, 0.85, 0.88, 0.86, 0.87],
    globex: [0.8, 0.79, 0.81, 0.8, 0.78, 0.77, 0.7, 0.79, 0.8, 0.81, 0.8, 0.82],
  };
  const now = Date.now();
  for (const [tenant, values] of Object.entries(rates)) {
    for (const [index, rate] of values.entries()) {
      const due = start + index * 6 * hour;
      // Due far ahead, so the daemon's worker leaves it to this claim.
      const { inserted } = await store.insertRuns([
        {
          job: 'model-drift',
          fanKey: tenant,
          trigger: 'schedule',
          scheduledAt: due,
          queuedAt: due,
          runAfter: now + 30 * 24 * hour,
        },
      ]);
      const id = inserted[0]?.id as number;
      const [claimed] = await store.claimRuns({
        node: 'node-0',
        now,
        aheadMs: 60 * 24 * hour,
        limit: 1,
        leaseMs: 60_000,
        runIds: [id],
      });
      assert.equal(claimed?.id, id);
      const ended = due + 60_000;
      const low = rate < 0.75;
      assert.ok(
        await store.finishRun(id, 'node-0', {
          status: low ? 'critical' : 'succeeded',
          startedAt: due,
          finishedAt: ended,
          exitCode: low ? 1 : 0,
        }),
      );
      await store.recordMetrics(id, { agreement_rate: rate }, ended);
      const dedupKey = `guard:model-drift:agreement_low:${tenant}`;
      if (low) {
        await store.recordEvent({
          kind: 'guard:agreement_low',
          dedupKey,
          severity: 'critical',
          at: ended,
          job: 'model-drift',
          runId: id,
          details: {
            guard: 'agreement_low',
            metric: 'agreement_rate',
            value: rate,
            below: 0.75,
            fan_key: tenant,
          },
        });
      } else {
        await store.resolveEvent(dedupKey, ended);
      }
    }
  }
}

/** The ping id docs/api.md shows; requests to it go to its monitor's real one. */
const documentedPingId = '5f0c1e4a9d3b47e2a8c6b1f0e9d2a7c3';

describe('the examples of docs/api.md', () => {
  let harness: StoreHarness;
  let api: ApiDaemon;

  before(async () => {
    harness = await createSqliteHarness();
    api = await startApiDaemon({ yaml: doc.jobFile, storeUrl: harness.url, node: 'node-1' });
    // The one event the doc says the store starts with: fires missed while the daemon was down.
    const missed = Date.parse('2026-11-23T02:00:00Z');
    await api.daemon.store.recordEvent({
      kind: 'schedule:missed',
      dedupKey: 'schedule:missed:nightly-report',
      severity: 'warning',
      at: Date.now(),
      job: 'nightly-report',
      details: {
        count: 1,
        first: new Date(missed).toISOString(),
        last: new Date(missed).toISOString(),
        reason: 'the scheduler was not running',
      },
    });
  });
  after(async () => {
    await api.stop();
    await harness.close();
  });

  async function pingIdOf(name: string): Promise<string> {
    const monitor = await api.daemon.store.getMonitor(name);
    assert.ok(monitor, `the doc's job file declares ${name}`);
    return monitor.pingId;
  }

  /** Lets earlier examples' runs get going or end, as a reader's would between two requests. */
  async function settle(): Promise<void> {
    for (let attempt = 0; attempt < 400; attempt++) {
      const active = (await api.daemon.store.listRuns({ status: ['pending', 'running'], limit: 100 })).runs;
      const moving = active.filter(
        (run) =>
          !(run.status === 'running' && run.job === 'long-report') &&
          !(run.status === 'pending' && run.job === 'process-audit-queue'),
      );
      if (moving.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('runs of earlier examples did not settle');
  }

  it('has examples for every endpoint the server has', () => {
    const documented = new Set(
      doc.examples.map((example) => `${example.method} ${example.target.split('?')[0]}`),
    );
    const missing = (api.daemon.server?.routes ?? [])
      .filter((route) => route.url !== '/api/openapi.json')
      .filter(
        (route) =>
          ![...documented].some((entry) =>
            new RegExp(`^${route.method} ${route.url.replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(entry),
          ),
      )
      .map((route) => `${route.method} ${route.url}`);
    assert.deepEqual(missing, []);
  });

  it('answers each example request as the doc shows', async () => {
    assert.ok(doc.examples.length >= 20, `${doc.examples.length} examples`);
    let historyRecorded = false;
    for (const example of doc.examples) {
      await settle();
      // The history the "History for charts" examples read, recorded when the doc reaches them
      // (so the run ids the earlier examples name stay theirs).
      if (!historyRecorded && example.target.includes('model-drift')) {
        await recordModelDriftHistory(api.daemon.store);
        historyRecorded = true;
      }
      const where = `docs/api.md:${example.line}: ${example.method} ${example.target}`;
      const authorization = example.headers['authorization'];
      const headers = Object.fromEntries(
        Object.entries(example.headers).filter(
          ([name]) => name !== 'authorization' && name !== 'content-type',
        ),
      );
      // The doc's ping id stands for the one the store made for its monitor.
      const target = example.target.replace(documentedPingId, await pingIdOf('nightly-backup'));
      const answer = await api.request(example.method, target, {
        token:
          authorization === undefined
            ? null
            : authorization.replace(/^Bearer \$CRONPLANE_TOKEN$/, bootstrapToken).replace(/^Bearer /, ''),
        ...(example.body === undefined ? {} : { json: JSON.parse(example.body) as unknown }),
        headers,
      });
      assert.equal(answer.status, example.status, `${where}: ${answer.text.slice(0, 400)}`);
      if (example.answerKind === 'json') {
        // This machine's host name and pid stand where the doc shows db-host-1 (the nodes view).
        const actual: unknown = JSON.parse(
          JSON.stringify(answer.body).replaceAll(JSON.stringify(hostname()), '"db-host-1"'),
        );
        const difference = differenceFrom(JSON.parse(example.answer), actual);
        assert.equal(
          difference,
          undefined,
          `${where}: ${difference ?? ''}\n${JSON.stringify(answer.body, null, 2)}`,
        );
      } else if (example.target.includes('/logs/stream')) {
        const difference = differenceFrom(parseEvents(example.answer), parseEvents(answer.text));
        assert.equal(difference, undefined, `${where}: ${difference ?? ''}\n${answer.text}`);
      } else {
        const lines = answer.text.split('\n');
        for (const line of example.answer
          .split('\n')
          .filter((candidate) => candidate !== '' && candidate !== '...')) {
          assert.ok(
            lines.some((actual) => lineMatches(line, actual)),
            `${where}: no line like ${line}`,
          );
        }
      }
    }
  });
});
