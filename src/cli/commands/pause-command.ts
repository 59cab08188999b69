import type { CliCommand } from '../cli-command.ts';
import { daemonServerOption } from '../options/daemon-server-option.ts';
import type { PauseOptions } from './pause.ts';

/** `cronplane pause JOB`. */
export const pauseCommand: CliCommand = {
  name: 'pause',
  define(command, { io, exitWith }) {
    command
      .description('stop a job from firing until it is resumed')
      .argument('<job>', 'job name')
      .addOption(daemonServerOption())
      .action(
        exitWith(async (job: string, options: PauseOptions) => {
          const { runPause } = await import('./pause.ts');
          return runPause(job, true, options, io);
        }),
      );
  },
};
