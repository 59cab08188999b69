import type { CliCommand } from '../cli-command.ts';
import { configOption } from '../options/config-option.ts';
import { runValidate } from './validate.ts';

/** `cronplane validate [FILE]`. */
export const validateCommand: CliCommand = {
  name: 'validate',
  define(command, { io, exitWith }) {
    command
      .description('check a job file and print one line per job, or every problem with its location')
      .argument('[file]', 'job file to check')
      .addOption(configOption())
      .action(
        exitWith((file: string | undefined, options: { config?: string }) => runValidate(file, options, io)),
      );
  },
};
