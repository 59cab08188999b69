import { instantForms, parseInstant } from '../../calendar/index.ts';
import { compileJobCalendar, nextFires } from '../../config/index.ts';
import { CronplaneError } from '../../errors/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportError } from '../report-error.ts';
import { readCliConfig } from '../read-cli-config.ts';

/** `cronplane next JOB [-n N]`: a job's next fire times from the job file, in its zone and in UTC. */
export function runNext(
  jobName: string,
  options: { config?: string; count: number; after?: string; json?: boolean },
  io: CliIo,
): number {
  try {
    // Neither runs a job nor sends anything: the file's secrets need not be set.
    const config = readCliConfig(options.config, io, 'leave');
    const job = config.jobs.find((candidate) => candidate.name === jobName);
    if (job === undefined) {
      throw new CronplaneError(
        'cli.unknown-job',
        `no job named "${jobName}"; the job file has: ${config.jobs.map((j) => j.name).join(', ') || 'no jobs'}`,
      );
    }
    const after = options.after === undefined ? Date.now() : parseInstant(options.after);
    if (after === undefined) {
      throw new CronplaneError(
        'cli.after',
        `--after ${JSON.stringify(options.after)} is not an instant; expected ${instantForms}`,
      );
    }
    if (job.schedules.length === 0) {
      io.out(
        `${job.name} has no schedule (${job.after.length > 0 ? `runs after ${job.after.join(', ')}` : 'on demand'})`,
      );
      return ExitCode.ok;
    }
    const fires = nextFires(compileJobCalendar(job.schedules, job.timezone), after, options.count);
    if (options.json === true) {
      io.out(
        JSON.stringify({
          job: job.name,
          timezone: job.timezone,
          next: fires.map((f) => new Date(f).toISOString()),
        }),
      );
      return ExitCode.ok;
    }
    io.out(`${job.name}: ${job.schedules.map((s) => s.text).join(' + ')} (${job.timezone})`);
    if (fires.length === 0) io.out('  never fires again');
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: job.timezone,
      dateStyle: 'short',
      timeStyle: 'medium',
      hourCycle: 'h23',
    });
    for (const fire of fires) {
      io.out(`  ${local.format(fire)} ${job.timezone}   ${new Date(fire).toISOString()}`);
    }
    return ExitCode.ok;
  } catch (thrown) {
    return reportError(thrown, io);
  }
}
