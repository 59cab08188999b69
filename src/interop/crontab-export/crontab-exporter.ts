import type { ResolvedJob } from '../../config/index.ts';
import { Secret } from '../../config/index.ts';
import { quoteForShell } from '../../placeholders/index.ts';
import { commandLinesFor } from '../command-lines-for.ts';
import { cronScheduleFor } from '../cron-schedule-for.ts';
import type { ExportOptions, ExportResult, ExportWarning, Exporter } from '../export-result.ts';
import { monitorsFile } from '../monitors-file.ts';
import { wrappedFeatures } from '../wrapped-features.ts';

/**
 * Jobs as one user crontab (crontab(5), no user column). Each job is a comment with its name,
 * `CRON_TZ=` and its environment as `NAME=value` lines (cron applies them to every line below, so
 * a name the job does not set is reset to empty), then one line per schedule and fan-out key.
 */
export const crontabExporter: Exporter = {
  format: 'crontab',
  exportJobs(jobs, options) {
    const warnings: ExportWarning[] = [];
    const lines = [`# Exported by cronplane export --to crontab from ${options.configPath}.`];
    const setEnv = new Set<string>();
    const wrapped: ResolvedJob[] = [];
    for (const job of jobs) lines.push('', ...jobLines(job, options, setEnv, warnings, wrapped));
    if (jobs.some((job) => job.schedules.some((schedule) => schedule.spec.kind !== 'startup')))
      warnings.push({
        job: null,
        message: 'CRON_TZ is honoured by cronie and systemd-cron, not by every cron (Debian cron ignores it)',
        action: 'each job has a CRON_TZ= line; on a cron without it, run cron in that zone',
      });
    const monitors = monitorsFile(wrapped, options);
    warnings.push(...monitors.warnings);
    const files = [{ path: 'crontab', text: `${lines.join('\n')}\n` }];
    if (monitors.file !== undefined) files.push(monitors.file);
    return { files, warnings } satisfies ExportResult;
  },
};

function jobLines(
  job: ResolvedJob,
  options: ExportOptions,
  setEnv: Set<string>,
  warnings: ExportWarning[],
  wrapped: ResolvedJob[],
): string[] {
  const warn = (message: string, action: string) => warnings.push({ job: job.name, message, action });
  const out: string[] = [
    `# ${job.name}${job.description === undefined ? '' : `: ${oneLine(job.description)}`}`,
  ];
  const commands = commandLinesFor(job);
  if (commands === undefined) {
    warn(`a job that runs ${job.target.kind} is not a command cron can start`, 'left out of the crontab');
    return [...out, `# left out: cron runs commands only, this job runs ${job.target.kind}`];
  }

  const env = new Map<string, string>();
  for (const [name, value] of Object.entries(job.env)) {
    if (value instanceof Secret) {
      warn(
        `${name} is a secret; a crontab is readable by its user and cron does not expand \${${name}}`,
        'left out: set it in an env file the command sources, or in the environment cron runs with',
      );
    } else if (/[\n\r]/.test(value)) {
      warn(`the value of ${name} spans lines, which a crontab cannot hold`, 'left out');
    } else env.set(name, /^\s|\s$|^['"]/.test(value) ? `'${value}'` : value);
  }
  for (const name of setEnv) if (!env.has(name)) out.push(`${name}=`);
  setEnv.clear();
  for (const [name, value] of env) {
    out.push(`${name}=${value}`);
    setEnv.add(name);
  }
  if (job.user !== undefined)
    warn(`user: ${job.user} has no place in a user crontab`, `install the crontab as ${job.user}`);
  if (job.cwd !== undefined) warn(`cwd: ${job.cwd}`, `the command starts with cd ${quoteForShell(job.cwd)}`);
  if (job.concurrency === 'forbid')
    warn(
      'cron starts a run even while the previous one still runs',
      'runs may overlap; wrap in flock -n if they must not',
    );

  // cron fills no {name}: parameters are said by the fan-out lines or warned about below.
  const features = wrappedFeatures(job, new Set(['params']));
  const monitor = features.length > 0;
  if (monitor) {
    warn(
      `crontab cannot say ${features.join(', ')}`,
      `the command is wrapped in cronplane exec --monitor ${job.name}: the daemon records each run and alerts ` +
        `through the monitor ${job.name} of cronplane-monitors.yaml; retries, limits and guards are not applied`,
    );
    if (commands.length > 0) wrapped.push(job);
  }
  if (commands.length > 1)
    warn(
      `fan-out over ${commands.length} keys`,
      'one line per key, its values substituted; the runs are not tied together as one fire',
    );
  const unfilled = [...new Set(commands.flatMap((command) => command.unfilled))];
  if (unfilled.length > 0)
    warn(
      `${unfilled.map((name) => `{${name}}`).join(', ')} is filled by cronplane at each run`,
      'left as written in the command',
    );

  const schedules: string[] = [];
  let zone: string | undefined;
  for (const schedule of job.schedules) {
    const cron = cronScheduleFor(schedule, job.timezone);
    if (cron.kind === 'none') {
      warn(`schedule "${schedule.text}" cannot be said in cron: ${cron.reason}`, 'left out, as a comment');
      out.push(`# left out: "${schedule.text}": ${oneLine(cron.reason)}`);
      continue;
    }
    if (cron.kind === 'startup') {
      schedules.push('@reboot');
      continue;
    }
    if (zone !== undefined && zone !== cron.timezone) {
      // A second zone for the same job: its lines follow their own CRON_TZ line.
      schedules.push(`CRON_TZ=${cron.timezone}`);
    } else if (zone === undefined) out.push(`CRON_TZ=${cron.timezone}`);
    zone = cron.timezone;
    schedules.push(cron.fields);
  }
  if (!job.enabled) warn('the job is disabled', 'its lines are written commented out');

  for (const schedule of schedules) {
    if (schedule.startsWith('CRON_TZ=')) {
      out.push(schedule);
      continue;
    }
    for (const command of commands) {
      const words = command.shell ? [] : command.argv.map(cronWord);
      let text = command.shell ? escapePercent(command.argv[0] ?? '') : words.join(' ');
      if (monitor) {
        const server = options.server === undefined ? '' : ` --server ${cronWord(options.server)}`;
        const argv = command.shell ? ['/bin/sh', '-c', command.argv[0] ?? ''] : command.argv;
        text = `cronplane exec --monitor ${cronWord(job.name)}${server} -- ${argv.map(cronWord).join(' ')}`;
      }
      if (job.cwd !== undefined) text = `cd ${cronWord(job.cwd)} && ${text}`;
      out.push(`${job.enabled ? '' : '# '}${schedule} ${text}`);
    }
  }
  if (commands.some((command) => command.shell && command.argv.some((script) => script.includes('%'))))
    warn(
      'the shell script holds %, which cron reads as a newline',
      'written \\%; inside single quotes Vixie cron keeps the backslash, check the line',
    );
  return out;
}

/** A word for `/bin/sh`, with each `%` outside the quotes as `\%` so cron passes it on. */
function cronWord(word: string): string {
  return word
    .split('%')
    .map((part, index, parts) => (part === '' && parts.length > 1 ? '' : quoteForShell(part)))
    .join('\\%');
}

function escapePercent(script: string): string {
  return script.replaceAll('%', '\\%');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
