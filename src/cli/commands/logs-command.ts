import type { CliCommand } from '../cli-command.ts';
import { apiInsteadOption } from '../options/api-instead-option.ts';
import { configOption } from '../options/config-option.ts';
import { storeOption } from '../options/store-option.ts';
import type { LogsOptions } from './logs.ts';

/** `cronplane logs RUN [-f]`. */
export const logsCommand: CliCommand = {
  name: 'logs',
  define(command, { io, exitWith }) {
    command
      .description("print a run's captured output; -f follows it until the run ends")
      .argument('<run>', 'run id')
      .addOption(configOption())
      .addOption(storeOption())
      .option('-f, --follow', 'keep printing new output until the run ends')
      .addOption(apiInsteadOption())
      .action(
        exitWith(async (run: string, options: LogsOptions) => {
          const { runLogs } = await import('./logs.ts');
          return runLogs(run, options, io);
        }),
      );
  },
};
