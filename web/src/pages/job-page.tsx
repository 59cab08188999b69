import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiFailure, api } from '../api.ts';
import { DurationChart } from '../parts/duration-chart.tsx';
import { JobRunsTable } from '../parts/job-runs-table.tsx';
import { MetricChart } from '../parts/metric-chart.tsx';
import { RunCounts } from '../parts/run-counts.tsx';
import { ScheduleDetails } from '../parts/schedule-details.tsx';
import { StatusBadge } from '../parts/status-badge.tsx';
import { defaultTimeRange, isTimeRange, rangeBounds, timeRanges } from '../parts/time-range.ts';
import type { TimeRange } from '../parts/time-range.ts';
import { TriggerForm } from '../parts/trigger-form.tsx';
import { When } from '../parts/when.tsx';
import { SessionContext, mayDo } from '../session-context.ts';
import type { JobDetail, JobMetricsView, RunPageView, RunStatsView, RunView } from '../types.ts';

/** Runs the duration chart draws at most: the newest in the range. */
const chartedRuns = 500;

function message(thrown: unknown): string {
  return thrown instanceof ApiFailure ? thrown.message : String(thrown);
}

/** The charts of the range: durations of recent runs, run counts per status, and each metric. */
function JobCharts({
  job,
  range,
  version,
}: {
  readonly job: string;
  readonly range: TimeRange;
  readonly version: number;
}) {
  // The range's end is taken when the range or the version changes, not on every render.
  const { from, to } = useMemo(() => rangeBounds(range, Date.now()), [range, version]);
  const [runs, setRuns] = useState<readonly RunView[] | undefined>(undefined);
  const [stats, setStats] = useState<RunStatsView | undefined>(undefined);
  const [metrics, setMetrics] = useState<JobMetricsView | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  useEffect(() => {
    let current = true;
    const name = encodeURIComponent(job);
    const window = `from=${from}&to=${to}`;
    Promise.all([
      api.get<RunPageView>(`/api/runs?job=${name}&limit=${chartedRuns}&${window}`),
      api.get<RunStatsView>(`/api/runs/stats?job=${name}&${window}`),
      api.get<JobMetricsView>(`/api/jobs/${name}/metrics`),
    ]).then(
      ([page, counted, reported]) => {
        if (!current) return;
        setRuns(page.runs);
        setStats(counted);
        setMetrics(reported);
      },
      (thrown: unknown) => current && setProblem(message(thrown)),
    );
    return () => {
      current = false;
    };
  }, [job, from, to]);

  return (
    <>
      {problem !== undefined && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <section aria-labelledby="durations-heading">
        <h2 id="durations-heading">Durations</h2>
        <DurationChart runs={runs} to={to} />
      </section>
      <section aria-labelledby="counts-heading">
        <h2 id="counts-heading">Runs per status</h2>
        <RunCounts stats={stats} />
      </section>
      <section aria-labelledby="metrics-heading">
        <h2 id="metrics-heading">Metrics</h2>
        {metrics === undefined ? (
          <p class="muted">Loading…</p>
        ) : metrics.metrics.length === 0 ? (
          <p class="muted">The runs of this job report no metric.</p>
        ) : (
          <div class="metric-grid">
            {metrics.metrics.map((metric) => (
              <MetricChart key={metric.name} job={job} metric={metric.name} from={from} to={to} />
            ))}
          </div>
        )}
      </section>
    </>
  );
}

/**
 * One job: what it is and whether it is paused, a form to run it with its parameters, its runs a
 * page at a time, and its history as charts (durations, runs per status, each metric with its guards).
 */
export function JobPage({ name }: { readonly name: string }) {
  const session = useContext(SessionContext);
  const location = useLocation();
  const [job, setJob] = useState<JobDetail | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const range = isTimeRange(location.query['range']) ? location.query['range'] : defaultTimeRange;

  useEffect(() => {
    setJob(undefined);
    setProblem(undefined);
  }, [name]);
  // Read again after a trigger and when live runs end: the head shows the latest run.
  useEffect(() => {
    let current = true;
    api
      .get<{ job: JobDetail }>(`/api/jobs/${encodeURIComponent(name)}`)
      .then((answer) => current && setJob(answer.job))
      .catch((thrown: unknown) => current && setProblem(message(thrown)));
    return () => {
      current = false;
    };
  }, [name, version]);

  const togglePause = async () => {
    if (job === undefined) return;
    try {
      const answer = await api.post<{ job: JobDetail }>(
        `/api/jobs/${encodeURIComponent(job.name)}/${job.paused ? 'resume' : 'pause'}`,
      );
      setJob(answer.job);
    } catch (thrown) {
      setProblem(message(thrown));
    }
  };

  const triggered = () => {
    // New runs are on the newest page: go there (keeping the filter and range), and read it again.
    const query = new URLSearchParams(location.query);
    if (query.has('runs')) {
      query.delete('runs');
      location.route(`${location.path}${query.size === 0 ? '' : `?${query}`}`);
    }
    setVersion((value) => value + 1);
  };

  const pickRange = (next: TimeRange) => {
    const query = new URLSearchParams(location.query);
    if (next === defaultTimeRange) query.delete('range');
    else query.set('range', next);
    location.route(`${location.path}${query.size === 0 ? '' : `?${query}`}`, true);
  };

  if (job === undefined) {
    return (
      <main>
        <h1>{name}</h1>
        {problem === undefined ? (
          <p class="muted">Loading…</p>
        ) : (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
      </main>
    );
  }

  return (
    <main class="job-page">
      <div class="page-head">
        <div>
          <h1>
            {job.name}
            {job.paused && <span class="tag">paused</span>}
            {!job.enabled && <span class="tag">disabled</span>}
          </h1>
          {job.description !== null && <p class="description">{job.description}</p>}
        </div>
        {mayDo(session, 'admin') && (
          <button type="button" onClick={() => void togglePause()}>
            {job.paused ? 'Resume' : 'Pause'}
          </button>
        )}
      </div>
      {problem !== undefined && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <dl class="facts">
        <dt>Last run</dt>
        <dd>
          {job.lastRun === null ? (
            <span class="muted">never ran</span>
          ) : (
            <a href={`/runs/${job.lastRun.id}`} class="plain">
              <StatusBadge status={job.lastRun.status} /> <When at={job.lastRun.scheduledAt} />
            </a>
          )}
        </dd>
        <dt>Next fire</dt>
        <dd>
          {job.paused ? (
            <span class="muted">paused</span>
          ) : job.schedules.length === 0 ? (
            <span class="muted">on demand (no schedule)</span>
          ) : (
            <When at={job.nextFireAt} />
          )}
        </dd>
        {job.fanOut > 1 && (
          <>
            <dt>Fan-out</dt>
            <dd>{job.fanOut} runs per fire</dd>
          </>
        )}
      </dl>

      <ScheduleDetails job={job} />

      {mayDo(session, 'trigger') && <TriggerForm job={job} onTriggered={triggered} />}

      <JobRunsTable job={job.name} version={version} onSettled={() => setVersion((value) => value + 1)} />

      <div class="section-head">
        <h2 class="visually-hidden">History</h2>
        <fieldset class="range-picker">
          <legend>Charts over the last</legend>
          {(Object.keys(timeRanges) as TimeRange[]).map((choice) => (
            <label key={choice}>
              <input
                type="radio"
                name="range"
                value={choice}
                checked={choice === range}
                onChange={() => pickRange(choice)}
              />{' '}
              {timeRanges[choice].label}
            </label>
          ))}
        </fieldset>
      </div>
      <JobCharts job={job.name} range={range} version={version} />
    </main>
  );
}
