import type { CliCommand } from '../cli-command.ts';
import { daemonServerOption } from '../options/daemon-server-option.ts';

/** `cronplane drain NODE`. */
export const drainCommand: CliCommand = {
  name: 'drain',
  define(command, { io, exitWith }) {
    command
      .description(
        'drain a node: no new runs, leases handed over, running work finishes, then idle (API: scope admin, audited)',
      )
      .argument('<node>', 'node name')
      .addOption(daemonServerOption())
      .action(
        exitWith(async (node: string, options: { server?: string }) => {
          const { runDrain } = await import('./drain.ts');
          return runDrain(node, options, io);
        }),
      );
  },
};
