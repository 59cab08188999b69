import type { CliCommand } from '../cli-command.ts';
import { apiInsteadOption } from '../options/api-instead-option.ts';
import { configOption } from '../options/config-option.ts';
import { positiveInteger } from '../options/positive-integer.ts';
import { storeOption } from '../options/store-option.ts';
import type { RunsOptions } from './runs.ts';

/** `cronplane runs [JOB]`. */
export const runsCommand: CliCommand = {
  name: 'runs',
  define(command, { io, exitWith }) {
    command
      .description('list recorded runs, newest first')
      .argument('[job]', 'only this job')
      .addOption(configOption())
      .addOption(storeOption())
      .option(
        '--status <list>',
        'only these statuses, comma-separated (pending,running,succeeded,failed,...)',
      )
      .option('--since <when>', 'only runs scheduled at or after: 2h (ago), 7d, or an ISO 8601 instant')
      .option('--until <when>', 'only runs scheduled before: 30m (ago), or an ISO 8601 instant')
      .option('--key <key>', 'only runs of this fan-out key (a tenant, a region)')
      .addOption(apiInsteadOption())
      .option('-n, --limit <n>', 'how many runs', positiveInteger, 20)
      .option('--json', 'one JSON object per run, as the API shows it')
      .action(
        exitWith(async (job: string | undefined, options: RunsOptions) => {
          const { runRuns } = await import('./runs.ts');
          return runRuns(job, options, io);
        }),
      );
  },
};
