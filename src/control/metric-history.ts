/**
 * The metric operations of LocalControl: which metrics a job has, and one metric over a range
 * with what its chart draws beside it (the guards on it and their events).
 */
import type { GuardEntry, ResolvedJob } from '../config/index.ts';
import { fanKeyOf } from '../engine/index.ts';
import { guardDedupKey, guardEventKind } from '../guards/index.ts';
import type { Store } from '../store/index.ts';
import type { MetricQuery } from './control.ts';
import { badQuery, historyRange } from './history-range.ts';
import { eventView } from './views/event-view.ts';
import { iso } from './views/run-view.ts';
import { guardView } from './views/metric-history-view.ts';
import type { JobMetricsView, MetricHistoryView } from './views/metric-history-view.ts';

export const defaultMetricPoints = 500;
export const minMetricPoints = 10;
export const maxMetricPoints = 2000;
/** The guard events a history answers at most (newest first). */
const maxGuardEvents = 1000;

function guardsOn(job: ResolvedJob, metric: string): [string, GuardEntry][] {
  return [...job.guards].filter(([, guard]) => guard.metric === metric);
}

export async function listJobMetrics(store: Store, job: ResolvedJob): Promise<JobMetricsView> {
  const series = await store.listMetricSeries(job.name);
  const names = [
    ...new Set([
      ...series.map((entry) => entry.name),
      ...[...job.guards.values()].map((guard) => guard.metric),
    ]),
  ];
  return {
    job: job.name,
    metrics: names.sort().map((name) => ({
      name,
      guards: guardsOn(job, name).map(([guard]) => guard),
      keys: series
        .filter((entry) => entry.name === name)
        .map((entry) => ({
          key: entry.fanKey,
          points: entry.points,
          firstAt: iso(entry.firstAt) as string,
          lastAt: iso(entry.lastAt) as string,
        })),
    })),
  };
}

export async function readMetricHistory(
  store: Store,
  job: ResolvedJob,
  metric: string,
  query: MetricQuery,
  now: number,
): Promise<MetricHistoryView> {
  const points = query.points ?? defaultMetricPoints;
  if (!Number.isSafeInteger(points) || points < minMetricPoints || points > maxMetricPoints) {
    throw badQuery(
      'points',
      `expected a point count from ${minMetricPoints} to ${maxMetricPoints}; found ${points}`,
    );
  }
  if (metric === '') {
    throw badQuery('metric', `required: the metric to read (GET /api/jobs/${job.name}/metrics lists them)`);
  }
  const { from, to } = historyRange(query, now);
  const guards = guardsOn(job, metric);
  await checkMetric(store, job, metric, guards.length > 0);
  if (query.key !== undefined) await checkKey(store, job, metric, query.key);

  const history = await store.readMetricHistory({
    job: job.name,
    name: metric,
    ...(query.key === undefined ? {} : { fanKey: query.key }),
    from,
    to,
    maxPoints: points,
  });
  const series = new Map<string, MetricHistoryView['series'][number]['points'][number][]>();
  for (const bucket of history.buckets) {
    const list = series.get(bucket.fanKey) ?? [];
    list.push({
      at: iso(bucket.at) as string,
      count: bucket.count,
      min: bucket.min,
      max: bucket.max,
      mean: bucket.mean,
      last: bucket.last,
      lastRunId: bucket.lastRunId,
    });
    series.set(bucket.fanKey, list);
  }

  const events = await Promise.all(
    guards.map(async ([name, guard]) => {
      const perKey = guard.per_key === true;
      const page = await store.listEvents({
        job: job.name,
        kind: guardEventKind(name),
        ...(perKey && query.key !== undefined ? { dedupKey: guardDedupKey(job.name, name, query.key) } : {}),
        since: from,
        until: to,
        limit: maxGuardEvents,
      });
      const prefix = `${guardDedupKey(job.name, name)}:`;
      return page.events.map((event) => ({
        guard: name,
        key: perKey && event.dedupKey.startsWith(prefix) ? event.dedupKey.slice(prefix.length) : null,
        event: eventView(event),
      }));
    }),
  );

  return {
    job: job.name,
    metric,
    from: iso(from) as string,
    to: iso(to) as string,
    bucketMs: history.bucketMs,
    series: [...series].map(([key, list]) => ({ key, points: list })),
    guards: guards.map(([name, guard]) => guardView(name, guard)),
    events: events
      .flat()
      .sort((a, b) => b.event.id - a.event.id)
      .slice(0, maxGuardEvents),
  };
}

/** A metric the job's runs reported, or one of its guards names. */
async function checkMetric(store: Store, job: ResolvedJob, metric: string, guarded: boolean): Promise<void> {
  if (guarded) return;
  if ((await store.listMetrics({ job: job.name, name: metric, limit: 1 })).length > 0) return;
  const known = [...new Set((await store.listMetricSeries(job.name)).map((entry) => entry.name))];
  throw badQuery(
    'metric',
    `job "${job.name}" has no metric "${metric}"; ${
      known.length === 0 ? 'its runs reported none yet' : `its metrics are ${known.join(', ')}`
    }`,
  );
}

/** A fan-out key of the job's file, or one the metric was reported for. */
async function checkKey(store: Store, job: ResolvedJob, metric: string, key: string): Promise<void> {
  const declared = job.fanOut.map(fanKeyOf);
  if (declared.includes(key)) return;
  if ((await store.listMetrics({ job: job.name, name: metric, fanKey: key, limit: 1 })).length > 0) return;
  const known = declared.filter((candidate) => candidate !== '');
  throw badQuery(
    'key',
    `job "${job.name}" has no fan-out key "${key}" for ${metric}; ${
      known.length === 0 ? 'it does not fan out' : `its keys are ${known.join(', ')}`
    }`,
  );
}
