import { Option } from 'commander';
import type { CliCommand } from '../cli-command.ts';
import { daemonServerOption } from '../options/daemon-server-option.ts';
import { positiveInteger } from '../options/positive-integer.ts';
import type { ExecOptions } from './exec.ts';

/** `cronplane exec --monitor NAME -- CMD [ARGS...]`. */
export const execCommand: CliCommand = {
  name: 'exec',
  define(command, { io, exitWith }) {
    command
      .description(
        'wrap a crontab command: ping a monitor at start and end with its exit code and output; exits with its code',
      )
      .usage('--monitor NAME [--ping-url URL] [--server URL] -- CMD [ARGS...]')
      .argument('<command...>', 'the command and its arguments, after --; run without a shell')
      .addOption(new Option('--monitor <name>', 'the monitor to ping').makeOptionMandatory())
      .option(
        '--ping-url <url>',
        "the monitor's ping URL (default: $CRONPLANE_PING_URL, else asked of the daemon)",
      )
      .addOption(daemonServerOption())
      .option('--ping-timeout <ms>', 'time allowed per ping (default 5000)', positiveInteger)
      .action(
        exitWith(async (argv: string[], options: ExecOptions) => {
          const { runExec } = await import('./exec.ts');
          return runExec(argv, options, io);
        }),
      );
  },
};
