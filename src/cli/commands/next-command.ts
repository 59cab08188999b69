import type { CliCommand } from '../cli-command.ts';
import { configOption } from '../options/config-option.ts';
import { positiveInteger } from '../options/positive-integer.ts';
import { runNext } from './next.ts';

/** `cronplane next JOB [-n N]`. */
export const nextCommand: CliCommand = {
  name: 'next',
  define(command, { io, exitWith }) {
    command
      .description("print a job's next fire times from the job file")
      .argument('<job>', 'job name')
      .addOption(configOption())
      .option('-n, --count <n>', 'how many fire times', positiveInteger, 5)
      .option('--after <instant>', 'ISO-8601 instant to start from (default: now)')
      .option('--json', 'print JSON')
      .action(
        exitWith((job: string, options: { config?: string; count: number; after?: string; json?: boolean }) =>
          runNext(job, options, io),
        ),
      );
  },
};
