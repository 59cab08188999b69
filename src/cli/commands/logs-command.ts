import type { CliCommand } from '../cli-command.ts';
import { apiInsteadOption } from '../options/api-instead-option.ts';
import { configOption } from '../options/config-option.ts';
import { storeOption } from '../options/store-option.ts';
import type { LogsOptions } from './logs.ts';

/** `cronplane logs RUN [-f]`, `cronplane logs --job JOB [--key KEY] [-f]`. */
export const logsCommand: CliCommand = {
  name: 'logs',
  define(command, { io, exitWith }) {
    command
      .description(
        "print a run's captured output (or a job's latest run's); -f follows it until the run ends",
      )
      .argument('[run]', 'run id')
      .option('--job <job>', "the job's running run, else its latest run that is not held")
      .option('--key <key>', 'with --job: only runs of this fan-out key')
      .addOption(configOption())
      .addOption(storeOption())
      .option('-f, --follow', 'keep printing new output until the run ends')
      .addOption(apiInsteadOption())
      .action(
        exitWith(async (run: string | undefined, options: LogsOptions) => {
          const { runLogs } = await import('./logs.ts');
          return runLogs(run, options, io);
        }),
      );
  },
};
