import type { ResolvedJob } from '../../config/index.ts';
import { Secret } from '../../config/index.ts';
import { quoteForShell } from '../../placeholders/index.ts';
import { commandLinesFor } from '../command-lines-for.ts';
import { cronScheduleFor } from '../cron-schedule-for.ts';
import type { ExportOptions, ExportResult, ExportWarning, Exporter } from '../export-result.ts';
import { httpCommandsFor, shellWordText } from '../http-command-for.ts';
import { monitorsFile } from '../monitors-file.ts';
import { SecretVariables } from '../secret-variables.ts';
import { shellLineWithPre } from '../shell-line-with-pre.ts';
import { wrappedFeatures } from '../wrapped-features.ts';
import { dryRunNote } from '../dry-run-note.ts';
import { exportedEnv } from '../exported-env.ts';

/**
 * The cron that reads the crontab: `vixie` (Vixie cron, cronie: `NAME=value` and `CRON_TZ=` lines,
 * `%` as a newline unless written `\%`) or `busybox` (BusyBox crond, as in an Alpine container:
 * neither, it passes the line to `/bin/sh -c` as written; the caller sets the environment and the zone).
 */
export type CrontabDialect = 'vixie' | 'busybox';

/**
 * A crontab's text, its warnings, the secret variables its HTTP lines read from the environment,
 * and the jobs whose lines are wrapped in `cronplane exec --monitor` (they need a monitor each).
 */
export interface Crontab {
  readonly text: string;
  readonly warnings: readonly ExportWarning[];
  readonly secretVariables: readonly string[];
  readonly wrapped: readonly ResolvedJob[];
}

/**
 * Jobs as one user crontab (crontab(5), no user column). Each job is a comment with its name,
 * `CRON_TZ=` and its environment as `NAME=value` lines (cron applies them to every line below, so
 * a name the job does not set is reset to empty), then one line per schedule and fan-out key.
 */
export const crontabExporter: Exporter = {
  format: 'crontab',
  exportJobs(jobs, options) {
    const crontab = crontabFor(jobs, options, 'vixie', 'crontab');
    const monitors = monitorsFile(crontab.wrapped, options);
    const files = [{ path: 'crontab', text: crontab.text }];
    if (monitors.file !== undefined) files.push(monitors.file);
    return { files, warnings: [...crontab.warnings, ...monitors.warnings] } satisfies ExportResult;
  },
};

/** The crontab of `jobs` for the cron of `dialect`; `format` names the export in the first line. */
export function crontabFor(
  jobs: readonly ResolvedJob[],
  options: ExportOptions,
  dialect: CrontabDialect,
  format: string,
): Crontab {
  const warnings: ExportWarning[] = [];
  const lines = [`# Exported by cronplane export --to ${format} from ${options.configPath}.`];
  const setEnv = new Set<string>();
  const secrets = new SecretVariables();
  const wrapped: ResolvedJob[] = [];
  for (const job of jobs)
    lines.push('', ...jobLines(job, options, dialect, setEnv, secrets, warnings, wrapped));
  if (
    dialect === 'vixie' &&
    jobs.some((job) => job.schedules.some((schedule) => schedule.spec.kind !== 'startup'))
  )
    warnings.push({
      job: null,
      message: 'CRON_TZ is honoured by cronie and systemd-cron, not by every cron (Debian cron ignores it)',
      action: 'each job has a CRON_TZ= line; on a cron without it, run cron in that zone',
    });
  return { text: `${lines.join('\n')}\n`, warnings, secretVariables: secrets.names(), wrapped };
}

/** A line's command: its text in the crontab, and what `cronplane exec --monitor` wraps (argv, or a shell line for sh -c). */
interface LineCommand {
  readonly text: string;
  readonly wrapped: { readonly argv: readonly string[] } | { readonly script: string };
  readonly unfilled: readonly string[];
}

function jobLines(
  job: ResolvedJob,
  options: ExportOptions,
  dialect: CrontabDialect,
  setEnv: Set<string>,
  secrets: SecretVariables,
  warnings: ExportWarning[],
  wrapped: ResolvedJob[],
): string[] {
  const warn = (message: string, action: string) => warnings.push({ job: job.name, message, action });
  const out: string[] = [
    `# ${job.name}${job.description === undefined ? '' : `: ${oneLine(job.description)}`}`,
  ];
  const word = dialect === 'vixie' ? cronWord : quoteForShell;
  const script = dialect === 'vixie' ? escapePercent : (text: string) => text;
  const http = httpCommandsFor(job, secrets);
  const commands: LineCommand[] | undefined =
    http?.commands.map((command) => ({
      text: command.words.map((each) => shellWordText(each, word)).join(' '),
      wrapped: { script: command.words.map((each) => shellWordText(each)).join(' ') },
      unfilled: command.unfilled,
    })) ??
    commandLinesFor(job)?.map((command) => {
      // pre: steps and the command as one shell line; the command does not run when a step fails.
      const withPre = shellLineWithPre(command);
      if (withPre !== undefined)
        return {
          text: shellLineWithPre(command, word, script) ?? withPre,
          wrapped: { script: withPre },
          unfilled: command.unfilled,
        };
      return {
        text: command.shell ? script(command.argv[0] ?? '') : command.argv.map(word).join(' '),
        wrapped: command.shell ? { script: command.argv[0] ?? '' } : { argv: command.argv },
        unfilled: command.unfilled,
      };
    });
  if (commands === undefined) {
    warn(`a job that runs ${job.target.kind} is not a command cron can start`, 'left out of the crontab');
    return [...out, `# left out: cron runs commands only, this job runs ${job.target.kind}`];
  }
  if (http !== undefined) {
    for (const [message, action] of http.notes)
      warn(
        message,
        !http.variables.some((name) => message.includes(`$${name}`))
          ? action
          : dialect === 'vixie'
            ? `${action}; set it in the environment cron runs with, or an env file the line sources`
            : `${action}; the container's environment passes it on`,
      );
    warn('an HTTP job is a request, which cron cannot make', 'written as the curl command that makes it');
  }

  const env = new Map<string, string>();
  for (const [name, value] of dialect === 'vixie' ? Object.entries(exportedEnv(job)) : []) {
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
  if (job.concurrency === 'forbid' && dialect === 'vixie')
    warn(
      'cron starts a run even while the previous one still runs',
      'runs may overlap; wrap in flock -n if they must not',
    );
  if (job.concurrency === 'allow' && dialect === 'busybox')
    warn(
      'BusyBox crond does not start a line while its previous run still runs',
      'a fire during a run is skipped, as with concurrency: forbid',
    );

  // cron fills no {name}: parameters are said by the fan-out lines or warned about below; curl's
  // --max-time carries an HTTP job's timeout.
  const features = wrappedFeatures(job, new Set(http === undefined ? ['params'] : ['params', 'timeout']));
  const monitor = features.length > 0;
  if (monitor) {
    warn(
      `crontab cannot say ${features.join(', ')}`,
      `the command is wrapped in cronplane exec --monitor ${job.name}: the daemon records each run and alerts ` +
        `through the monitor ${job.name} of cronplane-monitors.yaml; retries, limits, guards and body checks are not applied`,
    );
    if (commands.length > 0) wrapped.push(job);
  }
  if (job.cooldownMs !== undefined)
    warn(
      'crontab cannot say cooldown',
      'left out: every line fires on its schedule; only the cronplane daemon skips a fire inside the cooldown',
    );
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
    if (dialect === 'busybox') {
      // BusyBox crond reads no CRON_TZ: the caller runs it in the zone.
    } else if (zone !== undefined && zone !== cron.timezone) {
      // A second zone for the same job: its lines follow their own CRON_TZ line.
      schedules.push(`CRON_TZ=${cron.timezone}`);
    } else if (zone === undefined) out.push(`CRON_TZ=${cron.timezone}`);
    zone = cron.timezone;
    schedules.push(cron.fields);
  }
  if (!job.enabled) warn('the job is disabled', 'its lines are written commented out');
  const dryRun = dryRunNote(job);
  if (dryRun !== undefined) warn(...dryRun);

  for (const schedule of schedules) {
    if (schedule.startsWith('CRON_TZ=')) {
      out.push(schedule);
      continue;
    }
    for (const command of commands) {
      let text = command.text;
      if (monitor) {
        const server = options.server === undefined ? '' : ` --server ${word(options.server)}`;
        // A shell line (an HTTP job's curl with its "$VAR"s too) is handed to sh -c as one word.
        const argv =
          'argv' in command.wrapped ? command.wrapped.argv : ['/bin/sh', '-c', command.wrapped.script];
        text = `cronplane exec --monitor ${word(job.name)}${server} -- ${argv.map(word).join(' ')}`;
      }
      if (job.cwd !== undefined) text = `cd ${word(job.cwd)} && ${text}`;
      out.push(`${job.enabled ? '' : '# '}${schedule} ${text}`);
    }
  }
  if (
    dialect === 'vixie' &&
    http === undefined &&
    commandLinesFor(job)?.some((command) => command.shell && command.argv.some((line) => line.includes('%')))
  )
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
