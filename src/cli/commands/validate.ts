import { findConfigFile, readConfig } from '../../config/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { describeJob } from '../describe-job.ts';
import { reportError } from '../report-error.ts';
import { builtinKinds } from '../../kinds/index.ts';

/** `cronplane validate [FILE]`: checks a job file and prints one line per job, or every problem. */
export function runValidate(file: string | undefined, options: { config?: string }, io: CliIo): number {
  try {
    const path = findConfigFile({ flag: file ?? options.config, env: io.env, cwd: io.cwd });
    const config = readConfig(path, { env: io.env, kinds: builtinKinds, cwd: io.cwd }, { jobsBeyond: 'api' });
    const now = Date.now();
    io.out(
      `${path}: ok, ${config.jobs.length} job${config.jobs.length === 1 ? '' : 's'}, ` +
        `${config.monitors.length} monitor${config.monitors.length === 1 ? '' : 's'}, ` +
        `${config.channels.size} channel${config.channels.size === 1 ? '' : 's'}`,
    );
    for (const job of config.jobs) io.out(`  ${describeJob(job, now)}`);
    // Checked by the daemon once the store is open: it refuses to start if the name is no API job.
    for (const outside of config.afterOutsideFile ?? [])
      io.out(
        `  note: ${outside.file}:${outside.line}:${outside.column}: ${outside.path}: "${outside.name}" is not a job of this file; ` +
          'it must be a job defined through the API when the daemon starts',
      );
    for (const monitor of config.monitors) {
      const when =
        monitor.schedules.length > 0
          ? monitor.schedules.map((s) => JSON.stringify(s.text)).join(' + ')
          : 'period';
      io.out(`  ${monitor.name}  monitor  ${when}`);
    }
    return ExitCode.ok;
  } catch (thrown) {
    return reportError(thrown, io);
  }
}
