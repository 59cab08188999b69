import { useMemo } from 'preact/hooks';
import type { MetricHistoryView } from '../types.ts';
import { Loading } from './loading.tsx';
import { metricChart } from './metric-frame.ts';
import type { ChartPalette } from './metric-frame.ts';
import { Problem } from './problem.tsx';
import { useApiView } from './use-api-view.ts';
import { UplotChart, chartColour } from './uplot-chart.tsx';
import { When } from './when.tsx';

function palette(): ChartPalette {
  return {
    series: [chartColour('busy'), chartColour('ok'), chartColour('worse'), chartColour('accent')],
    threshold: chartColour('bad'),
    warning: chartColour('warn'),
    critical: chartColour('worse'),
    axis: chartColour('muted'),
    grid: chartColour('line'),
  };
}

/** Rows of the table alternative: at most this many, newest first. */
const tableRows = 200;

/**
 * One metric of a job over a time range: a line per fan-out key with the guards' thresholds and
 * events drawn, a caption with the latest value per key, the thresholds and the events, and the
 * values as a table on request.
 */
export function MetricChart({
  job,
  metric,
  from,
  to,
}: {
  readonly job: string;
  readonly metric: string;
  readonly from: number;
  readonly to: number;
}) {
  const query = new URLSearchParams({ metric, from: String(from), to: String(to) });
  const { view: history, problem } = useApiView<MetricHistoryView>(
    `/api/jobs/${encodeURIComponent(job)}/metrics/history?${query}`,
    { keep: true },
  );

  const chart = useMemo(
    () => (history === undefined ? undefined : metricChart(history, palette())),
    [history],
  );
  const headingId = `metric-${metric.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const rows = useMemo(
    () =>
      (history?.series ?? [])
        .flatMap((series) => series.points.map((point) => ({ key: series.key, point })))
        .sort((a, b) => b.point.at.localeCompare(a.point.at))
        .slice(0, tableRows),
    [history],
  );

  return (
    <figure class="metric" aria-labelledby={headingId} data-metric={metric}>
      <h3 id={headingId}>{metric}</h3>
      {problem !== undefined ? (
        <Problem text={problem} />
      ) : chart === undefined || history === undefined ? (
        <Loading />
      ) : (
        <>
          {rows.length === 0 ? (
            <p class="muted">No values in this range.</p>
          ) : (
            <UplotChart frame={chart.frame} label={metric} />
          )}
          <figcaption>
            <span class="caption-latest">
              {chart.latest.length === 0
                ? 'No value in this range.'
                : `Latest: ${chart.latest.map((entry) => `${entry.key === '' ? '' : `${entry.key} `}${entry.value}`).join(', ')}.`}
            </span>{' '}
            <span class="caption-thresholds">
              {chart.thresholds.length === 0
                ? 'No guard on this metric.'
                : `Guard ${chart.thresholds.join('; ')}.`}
            </span>
            {history.bucketMs !== null && (
              <span class="muted"> Down-sampled: each point is the mean of its bucket.</span>
            )}
            {chart.events.length > 0 && (
              <ol class="guard-events" reversed aria-label={`guard events of ${metric} in this range`}>
                {chart.events.map(({ guard, key, event }) => (
                  <li key={event.id}>
                    <span class={`event-mark severity-${event.severity}`} aria-hidden="true" />
                    {guard}
                    {key !== null && ` for ${key}`} ({event.severity}), opened <When at={event.firstSeen} />
                    {event.count > 1 && `, ${event.count} times`}
                    {event.resolvedAt === null ? ', open' : ', resolved'}
                  </li>
                ))}
              </ol>
            )}
          </figcaption>
          {rows.length > 0 && (
            <details class="chart-table">
              <summary>{metric} as a table</summary>
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Key</th>
                    <th scope="col">{history.bucketMs === null ? 'Value' : 'Mean (min–max)'}</th>
                    <th scope="col">Run</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map(({ key, point }) => (
                    <tr key={`${key}-${point.at}`}>
                      <td>
                        <When at={point.at} />
                      </td>
                      <td>{key === '' ? '—' : key}</td>
                      <td>
                        {history.bucketMs === null
                          ? point.last
                          : `${point.mean.toPrecision(4)} (${point.min}–${point.max})`}
                      </td>
                      <td>
                        <a href={`/runs/${point.lastRunId}`}>{point.lastRunId}</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
        </>
      )}
    </figure>
  );
}
