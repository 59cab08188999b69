/**
 * The figures of a chaos run, from what the store recorded (pure: records and the timeline in,
 * figures out). Expected fires come from the job file's own calendars (`compileJobCalendar`, the
 * scheduler's), recorded fires are run rows by fire (job, scheduled time, fan key).
 */
import type { ResolvedJob } from '../../src/config/index.ts';
import { compileJobCalendar } from '../../src/config/index.ts';
import type { JobCalendar } from '../../src/config/index.ts';
import { fanKeyOf } from '../../src/engine/index.ts';
import { percentile } from '../support/machine.ts';
import type { ChaosActionKind } from './chaos-plan.ts';
import { fireTriggers } from './chaos-database.ts';
import type { ChaosRecords, MissedReport, RunFact } from './chaos-records.ts';

/** One disruption as it happened. */
export interface Disruption {
  readonly kind: ChaosActionKind;
  /** When it was done (Date.now). */
  readonly at: number;
  readonly node?: string;
  /** The node held the scheduler lease when it was hit. */
  readonly wasLeader: boolean;
  /** Kills and stops: when the process was gone. */
  readonly exitAt?: number;
  /** Kills and stops: when it was started again. */
  readonly restartedAt?: number;
  /** Kills and stops: why it could not be started again. */
  readonly restartFailed?: string;
  /** Connection kills: how many were ended. */
  readonly connections?: number;
  /** Why it was not done (it would have left no node up). */
  readonly skipped?: string;
}

export interface ChaosTimeline {
  /** Fires from here... */
  readonly from: number;
  /** ...to here are expected. */
  readonly to: number;
  readonly disruptions: readonly Disruption[];
  readonly enqueued: number;
  readonly enqueueFailures: number;
  readonly loggedMissed: readonly MissedReport[];
}

export interface JobFigures {
  readonly job: string;
  /** Fires (times fan keys) due in the window. */
  readonly expected: number;
  readonly recorded: number;
  /** Fires recorded twice (same job, time and fan key), at any time. */
  readonly duplicates: number;
  /** Expected fires with no run. */
  readonly gaps: number;
  readonly unreportedGaps: number;
  /** Gaps covered by two reports or more. */
  readonly gapsReportedTwice: number;
  /** The scheduled times of the unreported gaps (to look them up in the nodes' logs). */
  readonly unreportedAt: readonly number[];
  readonly reports: number;
  /** Reports naming at least one fire that ran. */
  readonly falseReports: number;
  /** Fires reported missed that ran. */
  readonly falselyMissed: number;
}

export interface FailoverSample {
  readonly kind: 'kill' | 'stop';
  readonly at: number;
  /** From the leader's exit to the next fire written; null when none came. */
  readonly ms: number | null;
  /** The killed node was back before that fire: the sample may be its own restart. */
  readonly censored: boolean;
}

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface ChaosFigures {
  readonly window: { readonly from: number; readonly to: number };
  readonly jobs: readonly JobFigures[];
  readonly total: Omit<JobFigures, 'job' | 'unreportedAt'>;
  /** `schedule:missed` raises the store counted (events.count summed). */
  readonly missedRaised: number;
  readonly failover: readonly FailoverSample[];
  readonly failoverKill: Percentiles;
  readonly handoverStop: Percentiles;
  readonly fireLag: Percentiles;
  readonly spread: {
    readonly forbid: Readonly<Record<string, number>>;
    readonly queue: Readonly<Record<string, number>>;
    readonly all: Readonly<Record<string, number>>;
  };
  readonly queue: {
    readonly enqueued: number;
    readonly enqueueFailures: number;
    readonly items: number;
    readonly ranTwice: number;
    readonly unfinished: number;
  };
  readonly runningAtEnd: number;
  /** Which runs (id, job, node) were left running. */
  readonly leftRunning: readonly string[];
  /** Skipped runs by reason. */
  readonly skipped: Readonly<Record<string, number>>;
  readonly disruptions: readonly Disruption[];
}

const isFire = (run: RunFact): boolean => (fireTriggers as readonly string[]).includes(run.trigger);

export function analyseChaos(
  jobs: readonly ResolvedJob[],
  records: ChaosRecords,
  timeline: ChaosTimeline,
  queueJob: string,
  forbidJob: string,
): ChaosFigures {
  const reports = missedReports(timeline.loggedMissed, records);
  const jobFigures = jobs
    .filter((job) => job.enabled && job.schedules.length > 0 && job.queue === undefined)
    .map((job) =>
      figuresOfJob(
        job,
        records.runs.filter((run) => run.job === job.name && isFire(run)),
        reports.filter((report) => report.job === job.name),
        timeline,
      ),
    );
  const started = records.runs.filter((run) => run.startedAt !== null && run.node !== null);
  const queueRuns = records.runs.filter((run) => run.job === queueJob);
  const items = new Map<number, RunFact[]>();
  for (const run of queueRuns) {
    const item = run.firstRunId ?? run.id;
    items.set(item, [...(items.get(item) ?? []), run]);
  }
  const failover = failoverSamples(records.runs.filter(isFire), timeline.disruptions);
  return {
    window: { from: timeline.from, to: timeline.to },
    jobs: jobFigures,
    total: sumFigures(jobFigures),
    missedRaised: records.missedEvents.reduce((sum, event) => sum + event.raised, 0),
    failover,
    failoverKill: percentiles(sampleTimes(failover, 'kill')),
    handoverStop: percentiles(sampleTimes(failover, 'stop')),
    fireLag: percentiles(
      records.runs
        .filter((run) => isFire(run) && run.startedAt !== null)
        .map((run) => (run.startedAt as number) - run.scheduledAt),
    ),
    spread: {
      forbid: countByNode(started.filter((run) => run.job === forbidJob)),
      queue: countByNode(started.filter((run) => run.job === queueJob)),
      all: countByNode(started),
    },
    queue: {
      enqueued: timeline.enqueued,
      enqueueFailures: timeline.enqueueFailures,
      items: items.size,
      ranTwice: [...items.values()].filter(
        (attempts) => attempts.filter((run) => run.startedAt !== null).length > 1,
      ).length,
      unfinished: [...items.values()].filter((attempts) =>
        attempts.every((run) => ['held', 'pending', 'running'].includes(run.status)),
      ).length,
    },
    runningAtEnd: records.runs.filter((run) => run.status === 'running').length,
    leftRunning: records.runs
      .filter((run) => run.status === 'running')
      .map(
        (run) =>
          `run ${run.id} of ${run.job} on ${run.node ?? '?'} since ${new Date(run.startedAt ?? 0).toISOString()}`,
      ),
    skipped: countBy(
      records.runs.filter((run) => run.status === 'skipped'),
      (run) => run.statusReason ?? '(no reason)',
    ),
    disruptions: timeline.disruptions,
  };
}

/**
 * Every report once: the log lines (one per report), and an event's latest details when no log
 * line says the same (a node whose output was lost).
 */
function missedReports(logged: readonly MissedReport[], records: ChaosRecords): MissedReport[] {
  const key = (report: MissedReport) => `${report.job}|${report.first}|${report.last}|${report.count}`;
  const seen = new Set(logged.map(key));
  const fromEvents = records.missedEvents
    .map((event) => event.report)
    .filter((report): report is MissedReport => report !== undefined && !seen.has(key(report)));
  return [...logged, ...fromEvents];
}

function figuresOfJob(
  job: ResolvedJob,
  runs: readonly RunFact[],
  reports: readonly MissedReport[],
  timeline: ChaosTimeline,
): JobFigures {
  const calendar = compileJobCalendar(job.schedules, job.timezone);
  const fanKeys = job.fanOut.map(fanKeyOf);
  const recordedByKey = new Map<string, number>();
  const ranAt = new Set<number>();
  for (const run of runs) {
    const key = `${run.scheduledAt}|${run.fanKey}`;
    recordedByKey.set(key, (recordedByKey.get(key) ?? 0) + 1);
    ranAt.add(run.scheduledAt);
  }
  const reportFires = reports.map((report) => firesBetween(calendar, report.first - 1, report.last));
  let expected = 0;
  let recorded = 0;
  let gaps = 0;
  let unreportedGaps = 0;
  let gapsReportedTwice = 0;
  const unreportedAt = new Set<number>();
  for (const at of firesBetween(calendar, timeline.from - 1, timeline.to)) {
    const covering = reportFires.filter((fires) => fires.includes(at)).length;
    for (const fanKey of fanKeys) {
      expected++;
      if (recordedByKey.has(`${at}|${fanKey}`)) {
        recorded++;
        continue;
      }
      gaps++;
      if (covering === 0) {
        unreportedGaps++;
        unreportedAt.add(at);
      }
      if (covering > 1) gapsReportedTwice++;
    }
  }
  const falselyMissedPerReport = reportFires.map((fires) => fires.filter((at) => ranAt.has(at)).length);
  return {
    job: job.name,
    expected,
    recorded,
    duplicates: [...recordedByKey.values()].filter((count) => count > 1).length,
    gaps,
    unreportedGaps,
    gapsReportedTwice,
    unreportedAt: [...unreportedAt],
    reports: reports.length,
    falseReports: falselyMissedPerReport.filter((count) => count > 0).length,
    falselyMissed: falselyMissedPerReport.reduce((sum, count) => sum + count, 0),
  };
}

/** The calendar's fires in (after, until]. */
function firesBetween(calendar: JobCalendar, after: number, until: number): number[] {
  const fires: number[] = [];
  for (let at = calendar.next(after); at !== null && at <= until; at = calendar.next(at)) fires.push(at);
  return fires;
}

function failoverSamples(fires: readonly RunFact[], disruptions: readonly Disruption[]): FailoverSample[] {
  const written = fires.map((run) => run.queuedAt).sort((a, b) => a - b);
  const samples: FailoverSample[] = [];
  for (const disruption of disruptions) {
    if ((disruption.kind !== 'kill' && disruption.kind !== 'stop') || !disruption.wasLeader) continue;
    if (disruption.exitAt === undefined) continue;
    const exitAt = disruption.exitAt;
    const next = written.find((at) => at > exitAt);
    samples.push({
      kind: disruption.kind,
      at: exitAt,
      ms: next === undefined ? null : next - exitAt,
      censored: next !== undefined && disruption.restartedAt !== undefined && disruption.restartedAt < next,
    });
  }
  return samples;
}

function sampleTimes(samples: readonly FailoverSample[], kind: 'kill' | 'stop'): number[] {
  return samples
    .filter((sample) => sample.kind === kind)
    .map((sample) => sample.ms ?? Number.POSITIVE_INFINITY);
}

export function percentiles(values: readonly number[]): Percentiles {
  return {
    count: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: values.length === 0 ? Number.NaN : Math.max(...values),
  };
}

function sumFigures(jobs: readonly JobFigures[]): Omit<JobFigures, 'job' | 'unreportedAt'> {
  const sum = (pick: (job: JobFigures) => number) => jobs.reduce((total, job) => total + pick(job), 0);
  return {
    expected: sum((job) => job.expected),
    recorded: sum((job) => job.recorded),
    duplicates: sum((job) => job.duplicates),
    gaps: sum((job) => job.gaps),
    unreportedGaps: sum((job) => job.unreportedGaps),
    gapsReportedTwice: sum((job) => job.gapsReportedTwice),
    reports: sum((job) => job.reports),
    falseReports: sum((job) => job.falseReports),
    falselyMissed: sum((job) => job.falselyMissed),
  };
}

function countByNode(runs: readonly RunFact[]): Record<string, number> {
  return countBy(runs, (run) => run.node ?? '(none)');
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return counts;
}
