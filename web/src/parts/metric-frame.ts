/**
 * A metric's history as a chart draws it: one series per fan-out key, the guards' thresholds as
 * dashed lines (fixed bounds) or a band around a rolling baseline (rise_by / drop_by), and the
 * guards' events as marks; and the same facts in words, for the caption.
 */
import type uPlot from 'uplot';
import type { GuardView, MetricHistoryView } from '../types.ts';
import type { ChartFrame } from './uplot-chart.tsx';

export interface ChartPalette {
  readonly series: readonly string[];
  readonly threshold: string;
  readonly warning: string;
  readonly critical: string;
  readonly axis: string;
  readonly grid: string;
}

/** A guard's threshold in words: `above 0.1`, `rises by more than 0.05 over the mean of the last 10 runs, per key`. */
export function describeGuard(guard: GuardView): string {
  const parts: string[] = [];
  if (guard.above !== null) parts.push(`above ${guard.above}`);
  if (guard.below !== null) parts.push(`below ${guard.below}`);
  const baseline = `the ${guard.baseline} of the last ${guard.lookback} runs`;
  if (guard.riseBy !== null) parts.push(`rises by more than ${guard.riseBy} over ${baseline}`);
  if (guard.dropBy !== null) parts.push(`drops by more than ${guard.dropBy} under ${baseline}`);
  return `${guard.name} (${guard.severity}) breaks when ${parts.join(' or ')}${guard.perKey ? ', per key' : ''}`;
}

function baselineOf(values: readonly number[], kind: GuardView['baseline']): number | undefined {
  if (values.length === 0) return undefined;
  if (kind === 'mean') return values.reduce((sum, value) => sum + value, 0) / values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * The band edge of a baseline guard along `points`: each point's baseline is that of the
 * `lookback` points before it (the values shown, so an approximation where a failed run reported).
 */
function bandAlong(points: readonly Point[], guard: GuardView, offset: number): Map<number, number> {
  const edge = new Map<number, number>();
  points.forEach((point, index) => {
    const baseline = baselineOf(
      points.slice(Math.max(0, index - guard.lookback), index).map((earlier) => earlier.y),
      guard.baseline,
    );
    if (baseline !== undefined) edge.set(point.x, baseline + offset);
  });
  return edge;
}

export interface MetricChart {
  readonly frame: ChartFrame;
  /** The latest value per key, for the caption. */
  readonly latest: readonly { readonly key: string; readonly value: number; readonly at: string }[];
  readonly thresholds: readonly string[];
  /** The guards' events in the range, newest first. */
  readonly events: MetricHistoryView['events'];
}

const dashes: readonly (number[] | undefined)[] = [undefined, [8, 4], [2, 3], [10, 3, 2, 3]];

export function metricChart(history: MetricHistoryView, palette: ChartPalette): MetricChart {
  const keyPoints = history.series.map((series) => ({
    key: series.key,
    points: series.points.map((point) => ({ x: Date.parse(point.at) / 1000, y: point.mean })),
  }));
  const columns: { label: string; values: Map<number, number>; series: uPlot.Series }[] = [];
  keyPoints.forEach(({ key, points }, index) => {
    const dash = dashes[Math.floor(index / palette.series.length) % dashes.length];
    columns.push({
      label: key === '' ? history.metric : key,
      values: new Map(points.map((point) => [point.x, point.y])),
      series: {
        label: key === '' ? history.metric : key,
        stroke: palette.series[index % palette.series.length] ?? palette.axis,
        width: 2,
        ...(dash === undefined ? {} : { dash }),
        spanGaps: true,
        points: { show: true, size: 5 },
      },
    });
  });

  const xs = [...new Set(keyPoints.flatMap(({ points }) => points.map((point) => point.x)))].sort(
    (a, b) => a - b,
  );
  const edgeSeries = (label: string, values: Map<number, number>, dash: number[]) => ({
    label,
    values,
    series: { label, stroke: palette.threshold, width: 1.5, dash, spanGaps: true, points: { show: false } },
  });
  for (const guard of history.guards) {
    for (const [bound, value] of [
      ['above', guard.above],
      ['below', guard.below],
    ] as const) {
      if (value === null) continue;
      // A bound is drawn across the whole range, however few the values.
      const flat = new Map(
        [...xs, Date.parse(history.from) / 1000, Date.parse(history.to) / 1000].map((x) => [x, value]),
      );
      columns.push(edgeSeries(`${guard.name}: ${bound} ${value}`, flat, [6, 4]));
    }
    if (guard.riseBy === null && guard.dropBy === null) continue;
    const groups = guard.perKey
      ? keyPoints
      : [{ key: '', points: keyPoints.flatMap(({ points }) => points).sort((a, b) => a.x - b.x) }];
    for (const { key, points } of groups) {
      const whose = key === '' ? '' : ` ${key}`;
      if (guard.riseBy !== null)
        columns.push(
          edgeSeries(
            `${guard.name}${whose}: baseline + ${guard.riseBy}`,
            bandAlong(points, guard, guard.riseBy),
            [3, 3],
          ),
        );
      if (guard.dropBy !== null)
        columns.push(
          edgeSeries(
            `${guard.name}${whose}: baseline − ${guard.dropBy}`,
            bandAlong(points, guard, -guard.dropBy),
            [3, 3],
          ),
        );
    }
  }

  const allXs = [...new Set([...xs, ...columns.flatMap((column) => [...column.values.keys()])])].sort(
    (a, b) => a - b,
  );
  const data: uPlot.AlignedData = [
    allXs,
    ...columns.map((column) => allXs.map((x) => column.values.get(x) ?? null)),
  ];
  const markColour = (severity: string) => (severity === 'critical' ? palette.critical : palette.warning);
  const events = history.events;
  const options: ChartFrame['options'] = {
    scales: { x: { time: true, range: [Date.parse(history.from) / 1000, Date.parse(history.to) / 1000] } },
    axes: [
      { stroke: palette.axis, grid: { stroke: palette.grid, width: 1 }, ticks: { stroke: palette.grid } },
      {
        stroke: palette.axis,
        grid: { stroke: palette.grid, width: 1 },
        ticks: { stroke: palette.grid },
        size: 60,
      },
    ],
    series: [{ label: 'time' }, ...columns.map((column) => column.series)],
    cursor: { focus: { prox: 16 } },
    hooks: {
      // Each guard event: a dashed vertical line where it opened and a triangle with its number on top.
      draw: [
        (chart: uPlot) => {
          const { ctx, bbox } = chart;
          ctx.save();
          events.forEach(({ event }, index) => {
            const x = chart.valToPos(Date.parse(event.firstSeen) / 1000, 'x', true);
            if (x < bbox.left || x > bbox.left + bbox.width) return;
            const colour = markColour(event.severity);
            ctx.strokeStyle = colour;
            ctx.fillStyle = colour;
            ctx.lineWidth = devicePixelRatio;
            ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
            const size = 6 * devicePixelRatio;
            ctx.setLineDash([]);
            ctx.beginPath();
            ctx.moveTo(x, bbox.top + size * 1.6);
            ctx.lineTo(x - size, bbox.top);
            ctx.lineTo(x + size, bbox.top);
            ctx.closePath();
            ctx.fill();
            ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
            ctx.fillText(String(events.length - index), x + size + 2, bbox.top + size);
          });
          ctx.restore();
        },
      ],
    },
  };

  const latest = history.series.flatMap((series) => {
    const last = series.points.at(-1);
    return last === undefined ? [] : [{ key: series.key, value: last.last, at: last.at }];
  });
  return {
    frame: { options, data },
    latest,
    thresholds: history.guards.map(describeGuard),
    events,
  };
}
