import { Option } from 'commander';
import { scheduleSyntaxes } from '../../config/index.ts';
import type { CliCommand } from '../cli-command.ts';
import { positiveInteger } from '../options/positive-integer.ts';
import { runCalendarCommand } from './calendar.ts';

/** `cronplane calendar EXPR...`. */
export const calendarCommand: CliCommand = {
  name: 'calendar',
  define(command, { io, exitWith }) {
    command
      .description(
        'normalise calendar expressions and print their next elapses (like systemd-analyze calendar)',
      )
      .argument('<expr...>', 'cron, systemd OnCalendar, AWS cron()/rate() or "every 30s" expressions')
      .option('-n, --iterations <n>', 'how many elapses to print', positiveInteger, 1)
      .option('--after <instant>', 'ISO-8601 instant to start from (default: now)')
      .option('--tz <zone>', 'time zone used when the expression names none', 'UTC')
      .addOption(new Option('--syntax <syntax>', 'force one parser').choices(scheduleSyntaxes))
      .option('--json', 'one JSON object per expression')
      .action(
        exitWith(
          (
            exprs: string[],
            options: {
              iterations: number;
              after?: string;
              tz?: string;
              syntax?: (typeof scheduleSyntaxes)[number];
              json?: boolean;
            },
          ) => runCalendarCommand(exprs, { ...options, json: options.json === true }, io),
        ),
      );
  },
};
