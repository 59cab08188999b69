import type { CliCommand } from '../cli-command.ts';
import { apiInsteadOption } from '../options/api-instead-option.ts';
import { configOption } from '../options/config-option.ts';
import { storeOption } from '../options/store-option.ts';
import type { MonitorPauseOptions } from './monitor-pause.ts';

/** `monitors pause NAME` or `monitors resume NAME`: one definition, two words. */
function monitorPauseCommandOf(paused: boolean): CliCommand {
  return {
    name: paused ? 'pause' : 'resume',
    define(command, { io, exitWith }) {
      command
        .description(
          paused
            ? 'pause a monitor for maintenance: not taken down, no alert, pings still recorded (API: scope admin)'
            : 'resume a paused monitor: its lateness counts from now (API: scope admin)',
        )
        .argument('<name>', 'monitor name')
        .addOption(configOption())
        .addOption(storeOption())
        .addOption(apiInsteadOption())
        .action(
          exitWith(async (name: string, options: MonitorPauseOptions) => {
            const { runMonitorPause } = await import('./monitor-pause.ts');
            // --config, --store and --server after the subcommand are parsed as the parent's options.
            const parent = command.parent?.opts<MonitorPauseOptions>();
            return runMonitorPause(name, paused, { ...parent, ...options }, io);
          }),
        );
    },
  };
}

/** `cronplane monitors pause NAME`. */
export const monitorPauseCommand = monitorPauseCommandOf(true);

/** `cronplane monitors resume NAME`. */
export const monitorResumeCommand = monitorPauseCommandOf(false);
