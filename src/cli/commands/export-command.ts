import { Option } from 'commander';
import { exportFormats } from '../../interop/index.ts';
import type { CliCommand } from '../cli-command.ts';
import { configOption } from '../options/config-option.ts';
import type { ExportCommandOptions } from './export.ts';

/** `cronplane export --to FORMAT [JOB...] [-o DIR] [--json] [--config FILE]`. */
export const exportCommand: CliCommand = {
  name: 'export',
  define(command, { io, exitWith }) {
    command
      .description('write a job file out as crontab, systemd timers, Kubernetes CronJobs and more')
      .argument('[job...]', 'the jobs to export (default: every job)')
      .addOption(
        new Option('--to <format>', 'the platform to write for').choices(exportFormats).makeOptionMandatory(),
      )
      .option('-o, --output <dir>', 'write the files into this folder (created) instead of standard output')
      .option('--json', 'print {files, warnings} as JSON')
      .addOption(configOption())
      .action(
        exitWith(async (jobs: string[], options: Omit<ExportCommandOptions, 'json'> & { json?: boolean }) => {
          const { runExport } = await import('./export.ts');
          return runExport(jobs, { ...options, json: options.json === true }, io);
        }),
      );
  },
};
