import type { CliCommand } from './cli-command.ts';
import { calendarCommand } from './commands/calendar-command.ts';
import { completionCommand } from './commands/completion-command.ts';
import { dashboardCommand } from './commands/dashboard-command.ts';
import { drainCommand } from './commands/drain-command.ts';
import { eventsCommand } from './commands/events-command.ts';
import { execCommand } from './commands/exec-command.ts';
import { exportCommand } from './commands/export-command.ts';
import { importCommand } from './commands/import-command.ts';
import { initCommand } from './commands/init-command.ts';
import { jobsCommand } from './commands/jobs-command.ts';
import { logsCommand } from './commands/logs-command.ts';
import { monitorsCommand } from './commands/monitors-command.ts';
import { nextCommand } from './commands/next-command.ts';
import { metricsCommand } from './commands/metrics-command.ts';
import { instancesCommand } from './commands/instances-command.ts';
import { nodesCommand } from './commands/nodes-command.ts';
import { notifyCommand } from './commands/notify-command.ts';
import { pauseCommand } from './commands/pause-command.ts';
import { plannedCommand } from './commands/planned-command.ts';
import { pruneCommand } from './commands/prune-command.ts';
import { retryCommand } from './commands/retry-command.ts';
import { cancelCommand } from './commands/cancel-command.ts';
import { resumeCommand } from './commands/resume-command.ts';
import { runCommand } from './commands/run-command.ts';
import { runsCommand } from './commands/runs-command.ts';
import { schemaCommand } from './commands/schema-command.ts';
import { startCommand } from './commands/start-command.ts';
import { tokenCommand } from './commands/token-command.ts';
import { triggerCommand } from './commands/trigger-command.ts';
import { validateCommand } from './commands/validate-command.ts';
import { plannedCommands } from './planned-commands.ts';

/** Every `cronplane` command, in the order `cronplane --help` lists them. */
export const cliCommands: readonly CliCommand[] = [
  initCommand,
  validateCommand,
  calendarCommand,
  nextCommand,
  startCommand,
  runCommand,
  jobsCommand,
  runsCommand,
  logsCommand,
  retryCommand,
  cancelCommand,
  eventsCommand,
  metricsCommand,
  triggerCommand,
  pauseCommand,
  resumeCommand,
  instancesCommand,
  nodesCommand,
  drainCommand,
  pruneCommand,
  monitorsCommand,
  execCommand,
  tokenCommand,
  dashboardCommand,
  notifyCommand,
  importCommand,
  exportCommand,
  schemaCommand,
  completionCommand,
  ...plannedCommands.map(plannedCommand),
];
