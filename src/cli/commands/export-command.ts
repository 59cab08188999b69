import { Option } from 'commander';
import { exportFormats } from '../../interop/index.ts';
import type { CliCommand } from '../cli-command.ts';
import { apiInsteadOption } from '../options/api-instead-option.ts';
import { configOption } from '../options/config-option.ts';
import { storeOption } from '../options/store-option.ts';
import { positiveInteger } from '../options/positive-integer.ts';
import type { ExportCommandOptions } from './export.ts';

/**
 * `cronplane export --to FORMAT [JOB...] [-o DIR] [--json] [--file-only] [--config FILE]
 * [--store URL | --server URL]`, and
 * `cronplane export --to systemd|k8s --self [...]` for cronplane's own deployment.
 */
export const exportCommand: CliCommand = {
  name: 'export',
  define(command, { io, exitWith }) {
    command
      .description('write a job file out as crontab, systemd timers, Kubernetes CronJobs and more')
      .argument('[job...]', "the jobs to export (default: every job, the job file's and the API's)")
      .addOption(
        new Option('--to <format>', 'the platform to write for').choices(exportFormats).makeOptionMandatory(),
      )
      .option('-o, --output <dir>', 'write the files into this folder (created) instead of standard output')
      .option('--json', 'print {files, warnings} as JSON')
      .option(
        '--self',
        "write cronplane's own deployment: a systemd unit (--to systemd) or Kubernetes manifests (--to k8s)",
      )
      .option('--replicas <n>', 'with --to k8s --self: nodes of the Deployment (default 2)', positiveInteger)
      .option(
        '--image <ref>',
        'with --to k8s --self: the image built from the Dockerfile (default cronplane:VERSION)',
      )
      .option('--node <name>', "with --to systemd --self: the node's name (default %H, the host name)")
      .option('--user <name>', 'with --to systemd --self: the user the daemon runs as (default cronplane)')
      .option(
        '--data-dir <dir>',
        'with --to systemd --self: the one folder it may write (default /var/lib/cronplane)',
      )
      .option('--file-only', "leave out the jobs defined through the API: the job file's only")
      .addOption(configOption())
      .addOption(storeOption())
      .addOption(apiInsteadOption())
      .action(
        exitWith(async (jobs: string[], options: Omit<ExportCommandOptions, 'json'> & { json?: boolean }) => {
          const { runExport } = await import('./export.ts');
          return runExport(jobs, { ...options, json: options.json === true }, io);
        }),
      );
  },
};
