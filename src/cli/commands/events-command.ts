import type { CliCommand } from '../cli-command.ts';
import { apiInsteadOption } from '../options/api-instead-option.ts';
import { configOption } from '../options/config-option.ts';
import { positiveInteger } from '../options/positive-integer.ts';
import { storeOption } from '../options/store-option.ts';
import type { EventsOptions } from './events.ts';
import { eventResolveCommand } from './event-resolve-command.ts';

/** `cronplane events`, and `events resolve ID` under it. */
export const eventsCommand: CliCommand = {
  name: 'events',
  define(command, { io, exitWith }) {
    command
      .description('list recorded events (failed, stuck, missed runs, guards, monitors), newest first')
      .addOption(configOption())
      .addOption(storeOption())
      .option('--job <job>', 'only this job')
      .option('--open', 'only events not resolved')
      .option('--severity <list>', 'only these severities, comma-separated (info,warning,failure,critical)')
      .option('--kind <kind>', 'only this kind, e.g. run:stuck')
      .addOption(apiInsteadOption())
      .option('-n, --limit <n>', 'how many events', positiveInteger, 20)
      .option('--json', 'one JSON object per event')
      .action(
        exitWith(async (options: EventsOptions) => {
          const { runEvents } = await import('./events.ts');
          return runEvents(options, io);
        }),
      );
  },
  subcommands: [eventResolveCommand],
};
