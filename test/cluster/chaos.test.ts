/**
 * A short chaos run in the suite: three real daemons on one PostgreSQL database for about 25 s,
 * three kill -9s (the leader among them), a connection kill and a SIGHUP, measured from the store.
 * The hard properties must hold; so must the targets: no false missed-fire report, each
 * real gap reported once.
 * No timing assertions: failover and lag are reported, not asserted.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { chaosFailures, chaosText } from '../../bench/cluster/chaos-report.ts';
import { runChaos } from '../../bench/cluster/run-chaos.ts';
import type { ChaosRun } from '../../bench/cluster/run-chaos.ts';
import { postgresTestUrl } from '../support/postgres.ts';

describe('chaos: three daemons on one PostgreSQL database', { timeout: 120_000 }, () => {
  let run: ChaosRun | undefined;
  before(async () => {
    run = await runChaos({
      nodes: 3,
      seconds: 25,
      kills: 3,
      stops: 0,
      connectionKills: 1,
      sighups: 1,
      edits: 0,
      seed: 42,
      serverUrl: postgresTestUrl,
      // A short run lease, so runs of killed nodes are found lost within the test's time.
      daemonArgs: ['--lease', '4000'],
      enqueuePerSecond: 2,
      minDownMs: 1000,
      restartAfterMs: 20_000,
      settleTimeoutMs: 30_000,
    });
  });
  const chaos = (): ChaosRun => {
    assert.ok(run !== undefined, 'the chaos run did not complete');
    return run;
  };

  it('disrupts the cluster as planned: kills (the leader among them), a connection kill, a SIGHUP', () => {
    const { figures } = chaos();
    const done = figures.disruptions.filter((disruption) => disruption.skipped === undefined);
    assert.equal(done.filter((disruption) => disruption.kind === 'kill').length, 3);
    assert.ok(done.some((disruption) => disruption.kind === 'kill' && disruption.wasLeader));
    assert.ok(
      done.some((disruption) => disruption.kind === 'connections' && (disruption.connections ?? 0) > 0),
      'the connection kill ended at least one connection',
    );
    assert.equal(done.filter((disruption) => disruption.kind === 'sighup').length, 1);
    assert.ok(figures.total.expected > 100, `fires expected: ${figures.total.expected}`);
  });

  it('records no fire twice, leaves no run running, and reports every real gap', () => {
    const result = chaos();
    assert.deepEqual(chaosFailures(result, false), [], chaosText(result, false));
    assert.equal(result.figures.total.duplicates, 0);
    assert.equal(result.figures.runningAtEnd, 0);
    assert.equal(result.figures.total.unreportedGaps, 0);
  });

  it('runs every queue item enqueued through the nodes', () => {
    const { figures } = chaos();
    assert.ok(figures.queue.enqueued > 0);
    assert.ok(figures.queue.items >= figures.queue.enqueued);
    assert.equal(figures.queue.unfinished, 0);
  });

  it('reports no fire missed that ran (no false schedule:missed)', () => {
    const result = chaos();
    assert.equal(result.figures.total.falseReports, 0, chaosText(result, true));
  });

  it('reports each real gap once', () => {
    const result = chaos();
    assert.equal(result.figures.total.gapsReportedTwice, 0, chaosText(result, true));
  });
});
