import { useContext, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../api.ts';
import { addressWith } from '../parts/address-with.ts';
import { DurationChart } from '../parts/duration-chart.tsx';
import { errorText } from '../parts/error-text.ts';
import { Facts } from '../parts/facts.tsx';
import { humaneDuration } from '../parts/humane-duration.ts';
import { JobRunsTable } from '../parts/job-runs-table.tsx';
import { Loading } from '../parts/loading.tsx';
import { LoadingPage } from '../parts/loading-page.tsx';
import { MetricChart } from '../parts/metric-chart.tsx';
import { Problem } from '../parts/problem.tsx';
import { RunCounts } from '../parts/run-counts.tsx';
import { ScheduleDetails } from '../parts/schedule-details.tsx';
import { StatusBadge } from '../parts/status-badge.tsx';
import { defaultTimeRange, isTimeRange, rangeBounds, timeRanges } from '../parts/time-range.ts';
import type { TimeRange } from '../parts/time-range.ts';
import { TriggerForm } from '../parts/trigger-form.tsx';
import { useApiView } from '../parts/use-api-view.ts';
import { When } from '../parts/when.tsx';
import { SessionContext, mayDo } from '../session-context.ts';
import type { JobDetail, JobMetricsView, RunPageView, RunStatsView } from '../types.ts';

/** Runs the duration chart draws at most: the newest in the range. */
const chartedRuns = 500;

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
  const name = encodeURIComponent(job);
  const window = `from=${from}&to=${to}`;
  const runs = useApiView<RunPageView>(`/api/runs?job=${name}&limit=${chartedRuns}&${window}`, {
    keep: true,
  });
  const stats = useApiView<RunStatsView>(`/api/runs/stats?job=${name}&${window}`, { keep: true });
  const metrics = useApiView<JobMetricsView>(`/api/jobs/${name}/metrics`, { version: to, keep: true }).view;
  const problem = runs.problem ?? stats.problem;

  return (
    <>
      <Problem text={problem} />
      <section aria-labelledby="durations-heading">
        <h2 id="durations-heading">Durations</h2>
        <DurationChart runs={runs.view?.runs} to={to} />
      </section>
      <section aria-labelledby="counts-heading">
        <h2 id="counts-heading">Runs per status</h2>
        <RunCounts stats={stats.view} />
      </section>
      <section aria-labelledby="metrics-heading">
        <h2 id="metrics-heading">Metrics</h2>
        {metrics === undefined ? (
          <Loading />
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
  const [version, setVersion] = useState(0);
  // Read again after a trigger and when live runs end: the head shows the latest run.
  const {
    view: answer,
    problem,
    setView,
    setProblem,
  } = useApiView<{ job: JobDetail }>(`/api/jobs/${encodeURIComponent(name)}`, { version });
  const job = answer?.job;
  const range = isTimeRange(location.query['range']) ? location.query['range'] : defaultTimeRange;

  const togglePause = async () => {
    if (job === undefined) return;
    try {
      const answer = await api.post<{ job: JobDetail }>(
        `/api/jobs/${encodeURIComponent(job.name)}/${job.paused ? 'resume' : 'pause'}`,
      );
      setView(answer);
    } catch (thrown) {
      setProblem(errorText(thrown));
    }
  };

  const triggered = () => {
    // New runs are on the newest page: go there (keeping the filter and range), and read it again.
    if (location.query['runs'] !== undefined)
      location.route(addressWith(location.path, location.query, { runs: null }));
    setVersion((value) => value + 1);
  };

  const pickRange = (next: TimeRange) =>
    location.route(
      addressWith(location.path, location.query, { range: next === defaultTimeRange ? null : next }),
      true,
    );

  if (job === undefined) {
    return <LoadingPage title={name} problem={problem} />;
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
      <Problem text={problem} />
      <Facts
        facts={[
          [
            'Source',
            job.source === 'api' ? (
              <span>
                <span class="tag source-api">api</span> defined through the API, version {job.version}
              </span>
            ) : (
              'the job file'
            ),
          ],
          [
            'Last run',
            job.lastRun === null ? (
              <span class="muted">never ran</span>
            ) : (
              <a href={`/runs/${job.lastRun.id}`} class="plain">
                <StatusBadge status={job.lastRun.status} /> <When at={job.lastRun.scheduledAt} />
              </a>
            ),
          ],
          [
            'Next fire',
            job.paused ? (
              <span class="muted">paused</span>
            ) : job.schedules.length === 0 ? (
              <span class="muted">on demand (no schedule)</span>
            ) : (
              <When at={job.nextFireAt} />
            ),
          ],
          job.fanOut > 1 && ['Fan-out', `${job.fanOut} runs per fire`],
          job.cooldownMs !== null && [
            'Cooldown',
            <span class="cooldown">
              {humaneDuration(job.cooldownMs)} between starts
              {job.cooldownUntil !== null && (
                <>
                  {' '}
                  · in it until <When at={job.cooldownUntil} />
                </>
              )}
            </span>,
          ],
          job.maxPerRun !== null && ['Max per run', `${job.maxPerRun} items`],
        ]}
      />

      <ScheduleDetails job={job} />

      {mayDo(session, 'trigger') && <TriggerForm job={job} onTriggered={triggered} />}

      <JobRunsTable job={job.name} version={version} onSettled={() => setVersion((value) => value + 1)} />

      <div class="section-head">
        <h2 class="sr-only">History</h2>
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
