import type { CliCommand } from '../cli-command.ts';
import { configOption } from '../options/config-option.ts';
import { positiveInteger } from '../options/positive-integer.ts';
import type { NotifyTestOptions } from './notify-test.ts';

const notifyTestCommand: CliCommand = {
  name: 'test',
  define(command, { io, exitWith }) {
    command
      .description('send a test notification to a channel of the job file')
      .argument('<channel>', 'channel name')
      .addOption(configOption())
      .option('--attempts <n>', 'delivery attempts before giving up', positiveInteger, 1)
      .option('--timeout <ms>', 'time allowed per attempt', positiveInteger)
      .action(
        exitWith(async (channel: string, options: NotifyTestOptions) => {
          const { runNotifyTest } = await import('./notify-test.ts');
          return runNotifyTest(channel, options, io);
        }),
      );
  },
};

/** `cronplane notify test CHANNEL`. */
export const notifyCommand: CliCommand = {
  name: 'notify',
  define(command) {
    command.description('alert channels');
  },
  subcommands: [notifyTestCommand],
};
