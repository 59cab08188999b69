import type { CliCommand } from '../cli-command.ts';
import { daemonServerOption } from '../options/daemon-server-option.ts';
import type { PauseOptions } from './pause.ts';

/** `cronplane resume JOB`. */
export const resumeCommand: CliCommand = {
  name: 'resume',
  define(command, { io, exitWith }) {
    command
      .description('let a paused job fire again')
      .argument('<job>', 'job name')
      .addOption(daemonServerOption())
      .action(
        exitWith(async (job: string, options: PauseOptions) => {
          const { runPause } = await import('./pause.ts');
          return runPause(job, false, options, io);
        }),
      );
  },
};
