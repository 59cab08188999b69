import type { CliCommand } from '../cli-command.ts';
import { runInit } from './init.ts';

/** `cronplane init [FILE] [--force]`. */
export const initCommand: CliCommand = {
  name: 'init',
  define(command, { io, exitWith }) {
    command
      .description('write a commented starter job file')
      .argument('[file]', 'where to write it', 'cronplane.yaml')
      .option('-f, --force', 'overwrite an existing file')
      .action(exitWith((file: string, options: { force?: boolean }) => runInit(file, options, io)));
  },
};
