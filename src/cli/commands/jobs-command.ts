import type { CliCommand } from '../cli-command.ts';
import { apiInsteadOption } from '../options/api-instead-option.ts';
import { configOption } from '../options/config-option.ts';
import { storeOption } from '../options/store-option.ts';
import type { JobsOptions } from './jobs.ts';

/** `cronplane jobs`. */
export const jobsCommand: CliCommand = {
  name: 'jobs',
  define(command, { io, exitWith }) {
    command
      .description('every job: next fire, last run and its status, paused, open events')
      .addOption(configOption())
      .addOption(storeOption())
      .addOption(apiInsteadOption())
      .option('--json', 'one JSON object per job: the API view of the job, with its open events')
      .action(
        exitWith(async (options: JobsOptions) => {
          const { runJobs } = await import('./jobs.ts');
          return runJobs(options, io);
        }),
      );
  },
};
