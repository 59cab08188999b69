import type { CliCommand } from '../cli-command.ts';
import { apiInsteadOption } from '../options/api-instead-option.ts';
import { configOption } from '../options/config-option.ts';
import { storeOption } from '../options/store-option.ts';
import { monitorPauseCommand, monitorResumeCommand } from './monitor-pause-command.ts';
import type { MonitorsOptions } from './monitors.ts';

/** `cronplane monitors`, and `monitors pause|resume NAME` under it. */
export const monitorsCommand: CliCommand = {
  name: 'monitors',
  define(command, { io, exitWith }) {
    command
      .description('list monitors: name, status, paused, last ping and ping URL')
      .addOption(configOption())
      .addOption(storeOption())
      .addOption(apiInsteadOption())
      .option('--json', 'one JSON object per monitor')
      .action(
        exitWith(async (options: MonitorsOptions) => {
          const { runMonitors } = await import('./monitors.ts');
          return runMonitors(options, io);
        }),
      );
  },
  subcommands: [monitorPauseCommand, monitorResumeCommand],
};
