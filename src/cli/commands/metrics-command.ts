import type { CliCommand } from '../cli-command.ts';
import { apiInsteadOption } from '../options/api-instead-option.ts';
import { configOption } from '../options/config-option.ts';
import { positiveInteger } from '../options/positive-integer.ts';
import { storeOption } from '../options/store-option.ts';
import type { MetricsOptions } from './metrics.ts';

/** `cronplane metrics JOB [METRIC]`. */
export const metricsCommand: CliCommand = {
  name: 'metrics',
  define(command, { io, exitWith }) {
    command
      .description(
        "a job's metrics and keys; with METRIC, its values over time per fan-out key (down-sampled when long), guards and guard events",
      )
      .argument('<job>', 'the job')
      .argument('[metric]', 'the metric to show over time')
      .addOption(configOption())
      .addOption(storeOption())
      .option('--key <key>', 'only this fan-out key (a tenant)')
      .option(
        '--from <instant>',
        'reported at or after (ISO 8601 with an offset, or epoch ms; default 30 days ago)',
      )
      .option('--to <instant>', 'reported before (default now)')
      .option('--points <n>', 'most points per key, 10-2000 (default 500)', positiveInteger)
      .addOption(apiInsteadOption())
      .option('--json', 'the answer as one JSON object')
      .action(
        exitWith(async (job: string, metric: string | undefined, options: MetricsOptions) => {
          const { runMetrics } = await import('./metrics.ts');
          return runMetrics(job, metric, options, io);
        }),
      );
  },
};
