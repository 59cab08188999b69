import { useMemo } from 'preact/hooks';
import type uPlot from 'uplot';
import type { RunView } from '../types.ts';
import { UplotChart, chartColour } from './uplot-chart.tsx';
import type { ChartFrame } from './uplot-chart.tsx';
import { humaneDuration } from './humane-duration.ts';
import { Loading } from './loading.tsx';

const failing = new Set(['failed', 'timed_out', 'lost', 'critical']);

function durationFrame(runs: readonly RunView[], to: number): ChartFrame {
  const ended = runs
    .filter((run) => run.durationMs !== null)
    .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  const xs = ended.map((run) => Date.parse(run.scheduledAt) / 1000);
  const seconds = ended.map((run) => (run.durationMs as number) / 1000);
  const failed = ended.map((run, index) => (failing.has(run.status) ? (seconds[index] ?? null) : null));
  const axis = chartColour('muted');
  const grid = chartColour('line');
  const bad = chartColour('bad');
  return {
    data: [xs, seconds, failed],
    options: {
      legend: { show: false },
      // From the first run shown to now, an hour at least: runs close together are not spread wide.
      scales: { x: { time: true, range: (_chart, low) => [Math.min(low, to - 3600), to] } },
      axes: [
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        {
          stroke: axis,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          size: 70,
          values: (_chart, splits) => splits.map((value) => humaneDuration(Math.round(value * 1000))),
        },
      ],
      series: [
        { label: 'scheduled' },
        { label: 'duration', stroke: chartColour('busy'), width: 1.5, points: { show: true, size: 5 } },
        // Failures: drawn as crosses by the hook below, not by colour alone.
        { label: 'failed', stroke: bad, width: 0, paths: () => null, points: { show: false } },
      ],
      hooks: {
        draw: [
          (chart: uPlot) => {
            const { ctx } = chart;
            const size = 5 * devicePixelRatio;
            ctx.save();
            ctx.strokeStyle = bad;
            ctx.lineWidth = 2.5 * devicePixelRatio;
            failed.forEach((value, index) => {
              if (value === null) return;
              const x = chart.valToPos(xs[index] as number, 'x', true);
              const y = chart.valToPos(value, 'y', true);
              ctx.beginPath();
              ctx.moveTo(x - size, y - size);
              ctx.lineTo(x + size, y + size);
              ctx.moveTo(x + size, y - size);
              ctx.lineTo(x - size, y + size);
              ctx.stroke();
            });
            ctx.restore();
          },
        ],
      },
    },
  };
}

/** How long recent runs took, over their scheduled time; failures marked with a cross. */
export function DurationChart({
  runs,
  to,
}: {
  readonly runs: readonly RunView[] | undefined;
  readonly to: number;
}) {
  const frame = useMemo(() => (runs === undefined ? undefined : durationFrame(runs, to / 1000)), [runs, to]);
  if (runs === undefined || frame === undefined) return <Loading />;
  const ended = runs.filter((run) => run.durationMs !== null);
  if (ended.length === 0) return <p class="muted">No run ended in this range.</p>;
  const durations = ended.map((run) => run.durationMs as number).sort((a, b) => a - b);
  const failures = ended.filter((run) => failing.has(run.status)).length;
  const median = durations[Math.floor(durations.length / 2)] ?? null;
  const latest = [...ended].sort((a, b) => b.scheduledAt.localeCompare(a.scheduledAt))[0];
  return (
    <figure class="durations" aria-labelledby="durations-heading">
      <UplotChart frame={frame} label="durations" />
      <figcaption>
        <span class="legend-item">
          <span class="mark-dot" aria-hidden="true" /> a run
        </span>
        <span class="legend-item">
          <span class="mark-cross" aria-hidden="true">
            ✕
          </span>{' '}
          failed, timed out, lost or critical
        </span>{' '}
        {ended.length} runs ended: median {humaneDuration(median)}, longest{' '}
        {humaneDuration(durations.at(-1) ?? null)}
        {latest !== undefined &&
          `, latest ${humaneDuration(latest.durationMs)} (${latest.status.replace('_', ' ')})`}
        ; {failures === 0 ? 'no failure' : `${failures} failed`}.
      </figcaption>
    </figure>
  );
}
