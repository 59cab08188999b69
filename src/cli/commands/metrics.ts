import { instantForms, parseInstant } from '../../calendar/index.ts';
import type { JobMetricsView, MetricHistoryView } from '../../control/index.ts';
import { CronplaneError } from '../../errors/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';
import type { ControlCommandOptions } from '../with-control.ts';

export interface MetricsOptions extends ControlCommandOptions {
  readonly key?: string;
  readonly from?: string;
  readonly to?: string;
  readonly points?: number;
  readonly json?: boolean;
}

function instantOption(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = parseInstant(text);
  if (value === undefined) {
    throw new CronplaneError(
      'cli.instant',
      `${flag} ${JSON.stringify(text)} is not an instant; expected ${instantForms}`,
    );
  }
  return value;
}

/**
 * `cronplane metrics JOB [METRIC]`: the job's metrics and keys, or one metric over a range, from
 * the store or a daemon's API.
 */
export async function runMetrics(
  job: string,
  metric: string | undefined,
  options: MetricsOptions,
  io: CliIo,
): Promise<number> {
  try {
    const from = instantOption('--from', options.from);
    const to = instantOption('--to', options.to);
    return await withControl(options, io, { fallback: 'store' }, async (control, shown) => {
      if (metric === undefined) {
        const metrics = await control.listJobMetrics(job);
        if (options.json === true) shown.out(JSON.stringify(metrics));
        else printMetrics(metrics, shown);
        return ExitCode.ok;
      }
      const history = await control.getMetricHistory(job, metric, {
        ...(options.key === undefined ? {} : { key: options.key }),
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(options.points === undefined ? {} : { points: options.points }),
      });
      if (options.json === true) shown.out(JSON.stringify(history));
      else printHistory(history, shown);
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

function printMetrics(view: JobMetricsView, io: CliIo): void {
  if (view.metrics.length === 0) {
    io.out(`${view.job} reported no metrics`);
    return;
  }
  io.out(['METRIC', 'KEY', 'POINTS', 'FIRST', 'LAST', 'GUARDS'].join('\t'));
  for (const metric of view.metrics) {
    const guards = metric.guards.length === 0 ? '-' : metric.guards.join(',');
    if (metric.keys.length === 0) io.out([metric.name, '-', 0, '-', '-', guards].join('\t'));
    for (const key of metric.keys) {
      io.out(
        [metric.name, key.key === '' ? '-' : key.key, key.points, key.firstAt, key.lastAt, guards].join('\t'),
      );
    }
  }
}

function printHistory(view: MetricHistoryView, io: CliIo): void {
  const sampling = view.bucketMs === null ? 'as reported' : `in buckets of ${view.bucketMs} ms`;
  io.out(`${view.job} ${view.metric} from ${view.from} to ${view.to}, ${sampling}`);
  io.out(['AT', 'KEY', 'COUNT', 'MIN', 'MEAN', 'MAX', 'LAST', 'RUN'].join('\t'));
  for (const series of view.series) {
    for (const point of series.points) {
      io.out(
        [
          point.at,
          series.key === '' ? '-' : series.key,
          point.count,
          point.min,
          Number(point.mean.toPrecision(6)),
          point.max,
          point.last,
          point.lastRunId,
        ].join('\t'),
      );
    }
  }
  for (const guard of view.guards) {
    const rules = [
      guard.above === null ? '' : `above ${guard.above}`,
      guard.below === null ? '' : `below ${guard.below}`,
      guard.riseBy === null ? '' : `rise_by ${guard.riseBy} over the ${guard.baseline} of ${guard.lookback}`,
      guard.dropBy === null ? '' : `drop_by ${guard.dropBy} over the ${guard.baseline} of ${guard.lookback}`,
    ].filter((rule) => rule !== '');
    io.out(`guard ${guard.name}: ${rules.join(', ')}${guard.perKey ? ' (per key)' : ''}`);
  }
  for (const { guard, key, event } of view.events) {
    const state = event.resolvedAt === null ? 'open' : `resolved ${event.resolvedAt}`;
    io.out(
      `event ${event.id} ${guard}${key === null ? '' : ` ${key}`}: ${event.severity} at ${event.firstSeen}, ${state}`,
    );
  }
}
