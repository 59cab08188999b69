import type { CliCommand } from '../cli-command.ts';
import { daemonServerOption } from '../options/daemon-server-option.ts';
import type { InstancesOptions } from './instances.ts';

/** `cronplane instances TEMPLATE`. */
export const instancesCommand: CliCommand = {
  name: 'instances',
  define(command, { io, exitWith }) {
    command
      .description("list a template's instances on the running daemon: params, schedule, next fire, paused")
      .argument('<template>', 'a job of the job file with template: true')
      .addOption(daemonServerOption())
      .option('--json', 'one JSON object per instance')
      .action(
        exitWith(async (template: string, options: InstancesOptions) => {
          const { runInstances } = await import('./instances.ts');
          return runInstances(template, options, io);
        }),
      );
  },
};
