import type { CliCommand } from '../cli-command.ts';
import { apiInsteadOption } from '../options/api-instead-option.ts';
import { configOption } from '../options/config-option.ts';
import { storeOption } from '../options/store-option.ts';
import type { RunChangeOptions } from './run-change.ts';

/** `cronplane retry RUN`. */
export const retryCommand: CliCommand = {
  name: 'retry',
  define(command, { io, exitWith }) {
    command
      .description(
        'queue the next attempt of a run that ended failed, critical, timed out, lost or cancelled',
      )
      .argument('<run>', 'run id')
      .addOption(configOption())
      .addOption(storeOption())
      .addOption(apiInsteadOption())
      .option('--json', 'print the run as the API shows it')
      .action(
        exitWith(async (run: string, options: RunChangeOptions) => {
          const { runRunChange } = await import('./run-change.ts');
          return runRunChange('retry', run, options, io);
        }),
      );
  },
};
