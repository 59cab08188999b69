import { Option } from 'commander';
import type { CliCommand } from '../cli-command.ts';

/** `cronplane import [--from FORMAT] PATH... [-o FILE] [--json]`. */
export const importCommand: CliCommand = {
  name: 'import',
  define(command, { io, exitWith }) {
    command
      .description('read crontab, systemd timers, Kubernetes CronJobs and more into a job file')
      .argument('<path...>', 'files to read; a folder stands for the files in it')
      .addOption(
        new Option('--from <format>', 'the format of the files; auto asks each importer')
          .choices(['crontab', 'systemd', 'k8s', 'auto'])
          .default('auto'),
      )
      .option('-o, --output <file>', 'write the job file here instead of standard output')
      .option('--json', 'print {jobs, channels, warnings} as JSON instead of the job file')
      .action(
        exitWith(async (paths: string[], options: { from: string; output?: string; json?: boolean }) => {
          const { runImport } = await import('./import.ts');
          return runImport(paths, { ...options, json: options.json === true }, io);
        }),
      );
  },
};
