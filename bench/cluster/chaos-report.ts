/**
 * A chaos run as text (the tables for docs/benchmarks.md) or JSON, and the properties it broke.
 * Hard: a fire recorded twice, a run left `running` after every node stopped, a real gap no
 * missed-fire report names, a node that exited on its own. With `strict`, a false missed-fire
 * report too (a fire reported missed that ran).
 */
import { describeMachine } from '../support/machine.ts';
import type { Percentiles } from './analyse-chaos.ts';
import type { ChaosRun } from './run-chaos.ts';
import { describeDisruption } from './run-chaos.ts';

export function chaosFailures(run: ChaosRun, strict: boolean): string[] {
  const { total, runningAtEnd } = run.figures;
  const failures: string[] = [];
  if (total.duplicates > 0) failures.push(`${total.duplicates} fire(s) recorded twice`);
  if (runningAtEnd > 0) failures.push(`${runningAtEnd} run(s) left running after every node stopped`);
  if (total.unreportedGaps > 0)
    failures.push(`${total.unreportedGaps} real gap(s) no missed-fire report names`);
  if (run.crashes.length > 0) failures.push(`${run.crashes.length} node process(es) exited on their own`);
  const refused = run.figures.disruptions.filter((disruption) => disruption.restartFailed !== undefined);
  if (refused.length > 0) failures.push(`${refused.length} node(s) could not be started again`);
  if (strict && total.falseReports > 0) {
    failures.push(
      `${total.falseReports} false missed-fire report(s) (${total.falselyMissed} fires that ran)`,
    );
  }
  return failures;
}

export function chaosJson(run: ChaosRun, strict: boolean): string {
  return JSON.stringify(
    {
      options: { ...run.options, progress: undefined },
      ...run.figures,
      settleTimedOut: run.settleTimedOut,
      crashes: run.crashes,
      failures: chaosFailures(run, strict),
    },
    null,
    2,
  );
}

export function chaosText(run: ChaosRun, strict: boolean): string {
  const { options, figures } = run;
  const lines: string[] = [];
  const out = (line = '') => lines.push(line);
  out(
    `cronplane chaos: ${options.nodes} nodes, ${options.seconds} s, seed ${options.seed}; ${describeMachine()}`,
  );
  out(
    `disruptions: ${countKinds(figures.disruptions.filter((d) => d.skipped === undefined).map((d) => (d.wasLeader ? `${d.kind} (leader)` : d.kind)))}`,
  );
  out(`fires expected from ${iso(figures.window.from)} to ${iso(figures.window.to)}`);
  out();
  out(
    '| job | expected | recorded | duplicates | real gaps | unreported gaps | gaps reported twice | missed reports | false reports | fires falsely missed |',
  );
  out('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const job of [...figures.jobs, { job: 'all', ...figures.total }]) {
    out(
      `| ${job.job} | ${job.expected} | ${job.recorded} | ${job.duplicates} | ${job.gaps} | ${job.unreportedGaps} | ${job.gapsReportedTwice} | ${job.reports} | ${job.falseReports} | ${job.falselyMissed} |`,
    );
  }
  out();
  out(`schedule:missed raised (store): ${figures.missedRaised}`);
  out(`failover after kill -9 of the leader: ${describePercentiles(figures.failoverKill)}`);
  out(`hand-over after SIGTERM of the leader: ${describePercentiles(figures.handoverStop)}`);
  const censored = figures.failover.filter((sample) => sample.censored).length;
  if (censored > 0) out(`  (${censored} sample(s) where the stopped node was back first)`);
  out(`fire lag (started - scheduled): ${describePercentiles(figures.fireLag)}`);
  out(`spread, forbid runs: ${describeSpread(figures.spread.forbid)}`);
  out(`spread, queue items: ${describeSpread(figures.spread.queue)}`);
  out(`spread, all runs:    ${describeSpread(figures.spread.all)}`);
  const { queue } = figures;
  out(
    `queue: ${queue.enqueued} enqueued (${queue.enqueueFailures} failed requests), ${queue.items} items recorded, ${queue.ranTwice} started more than once, ${queue.unfinished} unfinished`,
  );
  out(`runs left running after the end: ${figures.runningAtEnd}`);
  for (const left of figures.leftRunning) out(`  ${left}`);
  const skipped = Object.entries(figures.skipped);
  if (skipped.length > 0)
    out(`skipped runs: ${skipped.map(([reason, count]) => `${count} × ${reason}`).join('; ')}`);
  if (run.settleTimedOut)
    out('settle timed out: the cluster did not fire again, or runs of dead nodes stayed running');
  for (const job of figures.jobs) {
    if (job.unreportedAt.length === 0) continue;
    const times = job.unreportedAt.map(iso);
    out(
      `unreported gaps of ${job.job}: ${times.length > 6 ? `${times.slice(0, 3).join(', ')} ... ${times.slice(-2).join(', ')}` : times.join(', ')}`,
    );
  }
  for (const crash of run.crashes) out(`node ${crash.node} exited on its own at ${iso(crash.at)}`);
  out();
  out('disruptions:');
  for (const disruption of figures.disruptions) out(`  ${describeDisruption(disruption)}`);
  const failures = chaosFailures(run, strict);
  out();
  out(failures.length === 0 ? 'PASS' : `FAIL: ${failures.join('; ')}`);
  return lines.join('\n');
}

function describePercentiles(values: Percentiles): string {
  if (values.count === 0) return 'no samples';
  return `p50 ${ms(values.p50)}, p99 ${ms(values.p99)}, max ${ms(values.max)} (${values.count} samples)`;
}

function describeSpread(counts: Readonly<Record<string, number>>): string {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  if (total === 0) return 'none';
  return entries
    .map(([node, count]) => `${node} ${count} (${Math.round((count / total) * 100)} %)`)
    .join(', ');
}

function countKinds(kinds: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, count]) => `${count} × ${kind}`).join(', ') || 'none';
}

function ms(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value)} ms` : 'none came';
}

function iso(at: number): string {
  return new Date(at).toISOString();
}
