import type { CliCommand } from '../cli-command.ts';
import { configOption } from '../options/config-option.ts';
import { storeOption } from '../options/store-option.ts';
import type { RunOptions } from './run.ts';

/** `cronplane run JOB`: one run in the foreground. */
export const runCommand: CliCommand = {
  name: 'run',
  define(command, { io, exitWith }) {
    command
      .description('run one job now in the foreground, recorded like any other run; exits with its exit code')
      .argument('<job>', 'job name')
      .addOption(configOption())
      .addOption(storeOption())
      .option('-p, --param <name=value...>', 'placeholder values (fan_key=VALUE picks one fan-out entry)')
      .option('--dry-run', 'set CRONPLANE_DRY_RUN=1 for the job and record the run as a dry run')
      .action(
        exitWith(async (job: string, options: RunOptions) => {
          const { runRun } = await import('./run.ts');
          return runRun(job, options, io);
        }),
      );
  },
};
