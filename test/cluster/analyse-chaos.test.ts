/**
 * The chaos figures from records made by hand: which fires count as gaps, which gaps a report
 * names, which reports are false, duplicates and failover. The short run in chaos.test.ts relies
 * on these being right.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { analyseChaos } from '../../bench/cluster/analyse-chaos.ts';
import type { ChaosTimeline } from '../../bench/cluster/analyse-chaos.ts';
import { missedReportsInLog } from '../../bench/cluster/chaos-records.ts';
import type { ChaosRecords, MissedReport, RunFact } from '../../bench/cluster/chaos-records.ts';
import { readConfig } from '../../src/config/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-chaos-analysis-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function jobsOf(yaml: string) {
  const file = path.join(folder, 'cronplane.yaml');
  writeFileSync(file, yaml);
  return readConfig(file, { kinds: builtinKinds, env: {} }).jobs;
}

const jobs = jobsOf(`version: 1
jobs:
  tick: { schedule: every 1s, concurrency: allow, run: "true" }
  fan: { schedule: every 10s, concurrency: allow, for_each: { tenant: [a, b] }, run: "true {tenant}" }
  work: { schedule: every 1s, queue: { max_per_run: 5 }, run: "true" }
`);

let nextId = 1;
function fire(job: string, scheduledAt: number, overrides: Partial<RunFact> = {}): RunFact {
  return {
    id: nextId++,
    job,
    fanKey: '',
    trigger: 'schedule',
    scheduledAt,
    queuedAt: scheduledAt - 1500,
    startedAt: scheduledAt + 5,
    status: 'succeeded',
    statusReason: null,
    node: 'node-1',
    firstRunId: null,
    ...overrides,
  };
}

const report = (first: number, last: number, count: number): MissedReport => ({
  job: 'tick',
  first,
  last,
  count,
  source: 'log',
});

// tick fires every second from 10 s to 20 s: 11 fires. 13-15 s did not run and were reported;
// 18-19 s ran but were reported missed too; 20 s did not run and nobody said so; 17 s twice.
const tickRuns = [10_000, 11_000, 12_000, 16_000, 17_000, 17_000, 18_000, 19_000].map((at) =>
  fire('tick', at),
);
const fanRuns = [10_000, 20_000].flatMap((at) => ['a', 'b'].map((fanKey) => fire('fan', at, { fanKey })));
const records: ChaosRecords = {
  runs: [...tickRuns, ...fanRuns, fire('work', 12_000, { trigger: 'api', node: 'node-2' })],
  missedEvents: [{ job: 'tick', raised: 2, report: { ...report(13_000, 15_000, 3), source: 'event' } }],
};
const timeline: ChaosTimeline = {
  from: 10_000,
  to: 20_000,
  disruptions: [
    { kind: 'kill', at: 12_400, node: 'node-1', wasLeader: true, exitAt: 12_500, restartedAt: 15_000 },
  ],
  enqueued: 1,
  enqueueFailures: 0,
  loggedMissed: [report(13_000, 15_000, 3), report(18_000, 19_000, 2)],
};

describe('chaos figures', () => {
  const figures = analyseChaos(jobs, records, timeline, 'work', 'tick');
  const tick = figures.jobs.find((job) => job.job === 'tick');

  it('counts expected fires from the calendars, fan keys included, and leaves queue jobs out', () => {
    assert.deepEqual(
      figures.jobs.map((job) => [job.job, job.expected]),
      [
        ['tick', 11],
        ['fan', 4],
      ],
    );
  });

  it('finds gaps, the ones no report names, duplicates and false reports', () => {
    assert.deepEqual(tick, {
      job: 'tick',
      expected: 11,
      recorded: 7,
      duplicates: 1,
      gaps: 4,
      unreportedGaps: 1,
      gapsReportedTwice: 0,
      unreportedAt: [20_000],
      reports: 2,
      falseReports: 1,
      falselyMissed: 2,
    });
    assert.equal(figures.missedRaised, 2);
  });

  it('measures failover from the leader exit to the next fire written', () => {
    // The next fire written after 12.5 s is the one due at 16 s, written at 14.5 s.
    assert.deepEqual(figures.failover, [{ kind: 'kill', at: 12_500, ms: 2000, censored: false }]);
  });

  it('counts runs per node and the queue items', () => {
    assert.deepEqual(figures.spread.queue, { 'node-2': 1 });
    assert.equal(figures.queue.items, 1);
    assert.equal(figures.runningAtEnd, 0);
  });

  it('reads missed-fire reports from JSON log lines, and nothing else', () => {
    const lines = [
      JSON.stringify({
        level: 40,
        job: 'tick',
        count: 3,
        first: 13_000,
        last: 15_000,
        msg: 'missed 3 fire(s): late',
      }),
      JSON.stringify({ level: 30, job: 'tick', msg: 'run finished' }),
      'cronplane: API on http://127.0.0.1:1',
    ];
    assert.deepEqual(missedReportsInLog(lines.join('\n')), [report(13_000, 15_000, 3)]);
  });
});
