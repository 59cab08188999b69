import type { CliCommand } from '../cli-command.ts';
import { apiInsteadOption } from '../options/api-instead-option.ts';
import { configOption } from '../options/config-option.ts';
import { storeOption } from '../options/store-option.ts';
import type { RunChangeOptions } from './run-change.ts';

/** `cronplane cancel RUN`. */
export const cancelCommand: CliCommand = {
  name: 'cancel',
  define(command, { io, exitWith }) {
    command
      .description('cancel a pending or running run (a running one is stopped by the node running it)')
      .argument('<run>', 'run id')
      .addOption(configOption())
      .addOption(storeOption())
      .addOption(apiInsteadOption())
      .option('--json', 'print the run as the API shows it')
      .action(
        exitWith(async (run: string, options: RunChangeOptions) => {
          const { runRunChange } = await import('./run-change.ts');
          return runRunChange('cancel', run, options, io);
        }),
      );
  },
};
