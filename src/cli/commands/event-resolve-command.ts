import type { CliCommand } from '../cli-command.ts';
import { apiInsteadOption } from '../options/api-instead-option.ts';
import { configOption } from '../options/config-option.ts';
import { storeOption } from '../options/store-option.ts';

interface EventResolveOptions {
  readonly config?: string;
  readonly store?: string;
  readonly server?: string;
}

/** `cronplane events resolve ID`. */
export const eventResolveCommand: CliCommand = {
  name: 'resolve',
  define(command, { io, exitWith }) {
    command
      .description('resolve an open event by hand (through the API: scope trigger, audited)')
      .argument('<id>', 'event id')
      .addOption(configOption())
      .addOption(storeOption())
      .addOption(apiInsteadOption())
      .action(
        exitWith(async (id: string, options: EventResolveOptions) => {
          const { runEventResolve } = await import('./events.ts');
          // --config, --store and --server after `resolve` are parsed as the parent's options.
          const parent = command.parent?.opts<EventResolveOptions>();
          return runEventResolve(id, { ...parent, ...options }, io);
        }),
      );
  },
};
