/**
 * `cronplane metrics` as an operator runs it (in the test's process) on a SQLite store that holds a
 * fanned-out job's reported numbers and a guard's event (the Control contract covers the same
 * operations over the API and on PostgreSQL).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';

const yaml = `version: 1
jobs:
  drift:
    for_each: { tenant: [acme, globex] }
    run: [sh, -c, 'echo {tenant}']
    guards:
      agreement_low: { metric: agreement_rate, below: 0.75, per_key: true, severity: critical }
`;
const T0 = Date.parse('2026-11-20T00:00:00Z');
const hour = 3_600_000;

describe('cronplane metrics on a store', () => {
  let harness: StoreHarness;
  let file: string;

  before(async () => {
    harness = await createSqliteHarness();
    file = path.join(mkdtempSync(path.join(tmpdir(), 'cronplane-metrics-cli-')), 'cronplane.yaml');
    writeFileSync(file, yaml);
    const store = await openStore(harness.url);
    try {
      const rates = { acme: [0.84, 0.86, 0.85], globex: [0.8, 0.7, 0.79] };
      for (const [tenant, values] of Object.entries(rates)) {
        for (const [index, rate] of values.entries()) {
          const at = T0 + index * 6 * hour;
          const { inserted } = await store.insertRuns([
            {
              job: 'drift',
              fanKey: tenant,
              trigger: 'schedule',
              scheduledAt: at,
              queuedAt: at,
              status: 'skipped',
            },
          ]);
          await store.recordMetrics(inserted[0]?.id as number, { agreement_rate: rate }, at + 60_000);
        }
      }
      await store.recordEvent({
        kind: 'guard:agreement_low',
        dedupKey: 'guard:drift:agreement_low:globex',
        severity: 'critical',
        at: T0 + 6 * hour + 60_000,
        job: 'drift',
      });
    } finally {
      await store.release();
    }
  });

  after(() => harness.close());

  const cli = (args: readonly string[]) =>
    runCronplaneInProcess(['metrics', ...args, '--config', file, '--store', harness.url]);

  it("lists a job's metrics per key with their guards", async () => {
    const result = await cli(['drift']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      'METRIC\tKEY\tPOINTS\tFIRST\tLAST\tGUARDS',
      'agreement_rate\tacme\t3\t2026-11-20T00:01:00.000Z\t2026-11-20T12:01:00.000Z\tagreement_low',
      'agreement_rate\tglobex\t3\t2026-11-20T00:01:00.000Z\t2026-11-20T12:01:00.000Z\tagreement_low',
    ]);
  });

  it("shows one key's values over a range, the guard and its event", async () => {
    const result = await cli([
      'drift',
      'agreement_rate',
      '--key',
      'globex',
      '--from',
      '2026-11-20T00:00:00Z',
      '--to',
      '2026-11-21T00:00:00Z',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, 5), [
      'drift agreement_rate from 2026-11-20T00:00:00.000Z to 2026-11-21T00:00:00.000Z, as reported',
      'AT\tKEY\tCOUNT\tMIN\tMEAN\tMAX\tLAST\tRUN',
      '2026-11-20T00:01:00.000Z\tglobex\t1\t0.8\t0.8\t0.8\t0.8\t4',
      '2026-11-20T06:01:00.000Z\tglobex\t1\t0.7\t0.7\t0.7\t0.7\t5',
      '2026-11-20T12:01:00.000Z\tglobex\t1\t0.79\t0.79\t0.79\t0.79\t6',
    ]);
    assert.equal(lines[5], 'guard agreement_low: below 0.75 (per key)');
    assert.match(
      lines[6] ?? '',
      /^event \d+ agreement_low globex: critical at 2026-11-20T06:01:00.000Z, open$/,
    );
    const json = await cli([
      'drift',
      'agreement_rate',
      '--from',
      '2026-11-20T00:00:00Z',
      '--points',
      '10',
      '--json',
    ]);
    assert.equal(json.code, 0, json.stderr);
    const answer = JSON.parse(json.stdout) as { series: { key: string }[]; bucketMs: number | null };
    assert.deepEqual(
      answer.series.map((series) => series.key),
      ['acme', 'globex'],
    );
  });

  it('refuses an unknown metric and a bad instant, exit 2', async () => {
    const unknown = await cli(['drift', 'agreement_ratio']);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /job "drift" has no metric "agreement_ratio"; its metrics are agreement_rate/,
    );
    const bad = await cli(['drift', 'agreement_rate', '--from', 'yesterday']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--from "yesterday" is not an instant/);
  });
});
