import type { CliCommand } from '../cli-command.ts';
import { daemonServerOption } from '../options/daemon-server-option.ts';
import type { DashboardOptions } from './dashboard.ts';

/** `cronplane dashboard`. */
export const dashboardCommand: CliCommand = {
  name: 'dashboard',
  define(command, { io, exitWith }) {
    command
      .description("print a one-time sign-in link to the daemon's dashboard (valid once, for 2 minutes)")
      .addOption(daemonServerOption())
      .action(
        exitWith(async (options: DashboardOptions) => {
          const { runDashboard } = await import('./dashboard.ts');
          return runDashboard(options, io);
        }),
      );
  },
};
