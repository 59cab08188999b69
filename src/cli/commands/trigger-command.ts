import type { CliCommand } from '../cli-command.ts';
import { daemonServerOption } from '../options/daemon-server-option.ts';
import type { TriggerOptions } from './trigger.ts';

/** `cronplane trigger JOB`. */
export const triggerCommand: CliCommand = {
  name: 'trigger',
  define(command, { io, exitWith }) {
    command
      .description('ask a running daemon to start a job now; prints the runs it queued')
      .argument('<job>', 'job name')
      .addOption(daemonServerOption())
      .option('-p, --param <name=value...>', 'parameter values (fan_key=VALUE picks one fan-out entry)')
      .option('--dry-run', 'set CRONPLANE_DRY_RUN=1 for the job and record the run as a dry run')
      .option('--no-dry-run', 'run a job that is dry by default (dry_run: true) for real, and record it so')
      .option('--force', "run even inside the job's cooldown (recorded with the run)")
      .option('--json', 'one JSON object per run')
      .action(
        exitWith(async (job: string, options: TriggerOptions) => {
          const { runTrigger } = await import('./trigger.ts');
          return runTrigger(job, options, io);
        }),
      );
  },
};
