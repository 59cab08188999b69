import type { CliCommand } from '../cli-command.ts';
import { apiInsteadOption } from '../options/api-instead-option.ts';
import { configOption } from '../options/config-option.ts';
import { storeOption } from '../options/store-option.ts';
import type { NodesOptions } from './nodes.ts';

/** `cronplane nodes`. */
export const nodesCommand: CliCommand = {
  name: 'nodes',
  define(command, { io, exitWith }) {
    command
      .description(
        'list the nodes on the store: heartbeat, version, job-file hash, slots, role and what each leads',
      )
      .addOption(configOption())
      .addOption(storeOption())
      .addOption(apiInsteadOption())
      .option('--json', 'one JSON object per node')
      .action(
        exitWith(async (options: NodesOptions) => {
          const { runNodes } = await import('./nodes.ts');
          return runNodes(options, io);
        }),
      );
  },
};
