import type { CliCommand } from '../cli-command.ts';
import { daemonServerOption } from '../options/daemon-server-option.ts';
import type { DashboardOptions } from './dashboard.ts';

/** `cronplane dashboard`. */
export const dashboardCommand: CliCommand = {
  name: 'dashboard',
  define(command, { io, exitWith }) {
    command
      .description(
        "print a one-time sign-in link to the daemon's dashboard (valid once, for 2 minutes) and open it in a browser where a desktop is present",
      )
      .addOption(daemonServerOption())
      .option('--no-open', 'only print the link, never open a browser')
      .action(
        exitWith(async (options: DashboardOptions) => {
          const { runDashboard } = await import('./dashboard.ts');
          return runDashboard(options, io);
        }),
      );
  },
};
