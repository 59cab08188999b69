import type { CliCommand } from '../cli-command.ts';
import { configOption } from '../options/config-option.ts';
import { storeOption } from '../options/store-option.ts';

/** `cronplane prune`. */
export const pruneCommand: CliCommand = {
  name: 'prune',
  define(command, { io, exitWith }) {
    command
      .description("remove history older than the job file's retention: now, as the daemon does every hour")
      .addOption(configOption())
      .addOption(storeOption())
      .action(
        exitWith(async (options: { config?: string; store?: string }) => {
          const { runPrune } = await import('./prune.ts');
          return runPrune(options, io);
        }),
      );
  },
};
