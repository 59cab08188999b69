import { CronplaneError } from '../../errors/index.ts';
import { isKnownTimeZone, parseSchedule } from '../../calendar/index.ts';
import { escapeStrings, escapeSubstitution } from '../escape-job-file-text.ts';
import type { ImportProblem } from '../import-problems.ts';
import type { ImportedJob, ImportWarning, SourceFile } from '../import-result.ts';
import { crontabCommandEntry } from './crontab-command-entry.ts';
import { jobNameFor, uniqueName } from './job-name-for.ts';
import { parseCrontabLine } from './parse-crontab-line.ts';

/** What every file of one import shares: the names taken and the e-mail channels made. */
export interface CrontabImport {
  readonly names: Set<string>;
  /** Channel name → its entry, and the key (`to` + `from`) that found it again. */
  readonly channels: Map<string, { readonly key: string; readonly entry: Record<string, unknown> }>;
  readonly jobs: ImportedJob[];
  readonly warnings: ImportWarning[];
  readonly problems: ImportProblem[];
  /** The zone cron reads schedules in when the crontab names none: the machine's local zone. */
  readonly localTimeZone: string;
}

/** Variables cron reads itself; they are not passed to the job's environment by the importer. */
const cronSettings = new Set(['MAILTO', 'MAILFROM', 'CRON_TZ', 'RANDOM_DELAY']);

/** The SMTP server of an imported e-mail channel: the environment's, else the local mailer as cron used. */
export const importedSmtpUrl = '${SMTP_URL:-smtp://localhost:25}';

/** Reads one crontab into `into`: its entries as jobs, its settings applied to the entries after them. */
export function readCrontabFile(file: SourceFile, system: boolean, into: CrontabImport): void {
  const warn = (line: number, message: string, action: string) =>
    into.warnings.push({ file: file.path, line, message, action });
  const env = new Map<string, string>();
  let timezone: string | undefined;
  let channel: string | undefined;
  let mailFrom: string | undefined;
  let mailTo: string | undefined;
  let mailToLine = 0;
  let shell: string | undefined;
  let randomDelay: string | undefined;
  /** Comments since the last entry, and how many of them stand right above the current line. */
  let comments: string[] = [];
  let touching = 0;
  let localZoneWarned = false;
  let lastJob: ImportedJob | undefined;

  const lines = file.text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, index) => {
    const lineNumber = index + 1;
    const text = raw.replace(/\r$/, '');
    const line = parseCrontabLine(text, system);
    switch (line.kind) {
      case 'blank':
        touching = 0;
        return;
      case 'comment':
        comments.push(line.text);
        touching++;
        return;
      case 'invalid':
        into.problems.push({ file: file.path, line: lineNumber, column: line.column, message: line.message });
        return;
      case 'env': {
        touching = 0;
        const { name, value } = line;
        if (name === 'CRON_TZ' || name === 'TZ') {
          if (!isKnownTimeZone(value)) {
            into.problems.push({
              file: file.path,
              line: lineNumber,
              message: `${name}=${value}: not a known IANA time zone; expected a name such as Europe/Berlin or UTC`,
            });
            return;
          }
          timezone = value;
        }
        if (name === 'MAILTO') {
          mailTo = value;
          mailToLine = lineNumber;
          channel = value.trim() === '' ? undefined : channelFor(value, mailFrom, lineNumber);
        } else if (name === 'MAILFROM') {
          mailFrom = value;
          if (mailTo !== undefined && mailTo.trim() !== '')
            channel = channelFor(mailTo, mailFrom, mailToLine);
        } else if (name === 'SHELL') shell = value;
        else if (name === 'RANDOM_DELAY') {
          if (/^\d+$/.test(value)) {
            randomDelay = `${value}m`;
            warn(
              lineNumber,
              `RANDOM_DELAY=${value} (cronie) delays every job of the crontab by one random amount drawn when cron starts`,
              `became randomized_delay: ${randomDelay} on the jobs after it, a new random delay for each fire`,
            );
          } else {
            warn(
              lineNumber,
              `RANDOM_DELAY=${value} is not a number of minutes`,
              'ignored, as cronie ignores it',
            );
          }
        }
        if (cronSettings.has(name)) return;
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
          warn(
            lineNumber,
            `the variable name "${name}" cannot be set by a job (letters, digits and _ only)`,
            "left out of the jobs' environment",
          );
          return;
        }
        if (/(?<!\$)\{[A-Za-z_][A-Za-z0-9_]*\}/.test(value)) {
          warn(
            lineNumber,
            `the value of ${name} holds a {name} that cronplane would read as a placeholder`,
            "left out of the jobs' environment; set it in an env_file",
          );
          return;
        }
        env.set(name, value);
        return;
      }
      case 'entry': {
        const schedule = checkedSchedule(line.schedule, line.scheduleColumn, lineNumber);
        if (schedule === undefined) return;
        const descriptionLine = touching > 0 ? comments.at(-1) : undefined;
        const description =
          descriptionLine !== undefined && isDescription(descriptionLine, system)
            ? descriptionLine.trim()
            : undefined;
        const jobComments = description === undefined ? comments : comments.slice(0, -1);
        comments = [];
        touching = 0;
        if (schedule === '@reboot') {
          warn(
            lineNumber,
            '@reboot runs once when cron starts at boot',
            'became the startup schedule: it runs each time the cronplane daemon starts',
          );
        }
        const command = crontabCommandEntry(line.command, shell);
        for (const note of command.notes) warn(lineNumber, note.message, note.action);
        let zone = timezone;
        if (zone === undefined && into.localTimeZone !== 'UTC' && schedule !== '@reboot') {
          zone = into.localTimeZone;
          if (!localZoneWarned) {
            localZoneWarned = true;
            warn(
              lineNumber,
              'cron reads a schedule in the local time zone of the machine it runs on, unless CRON_TZ names one',
              `timezone: ${zone} (this machine's) on each job without CRON_TZ; change it if the crontab is for another machine`,
            );
          }
        }
        const entry: Record<string, unknown> = {
          ...(description === undefined ? {} : { description: escapeSubstitution(description) }),
          schedule,
          ...(zone === undefined ? {} : { timezone: zone }),
          ...(escapeStrings(command.fields) as Record<string, unknown>),
          ...(line.user === undefined ? {} : { user: escapeSubstitution(line.user) }),
          ...(env.size === 0 ? {} : { env: escapeStrings(Object.fromEntries(env)) }),
          ...(randomDelay === undefined ? {} : { randomized_delay: randomDelay }),
          ...(channel === undefined ? {} : { notify: { failure: [channel] } }),
        };
        const job: ImportedJob = {
          name: uniqueName(jobNameFor(splitCommandText(line.command)), into.names),
          entry,
          comments: jobComments,
          source: { file: file.path, line: lineNumber },
        };
        into.jobs.push(job);
        lastJob = job;
        return;
      }
    }
  });
  if (lastJob === undefined) {
    warn(1, 'the file has no crontab entries', 'nothing imported from it');
  } else if (comments.length > 0) {
    const index = into.jobs.indexOf(lastJob);
    into.jobs[index] = {
      ...lastJob,
      comments: [...lastJob.comments, `after it in ${file.path}:`, ...comments],
    };
  }

  function checkedSchedule(text: string, column: number, lineNumber: number): string | undefined {
    try {
      parseSchedule(text, { syntax: 'cron' });
      return text;
    } catch (thrown) {
      if (!(thrown instanceof CronplaneError)) throw thrown;
      into.problems.push({
        file: file.path,
        line: lineNumber,
        column: column + (thrown.location?.position ?? 0),
        message: thrown.message,
      });
      return undefined;
    }
  }

  function channelFor(to: string, from: string | undefined, lineNumber: number): string {
    const addresses = to
      .split(',')
      .map((address) => address.trim())
      .filter((address) => address !== '')
      .map((address) => {
        if (address.includes('@')) return address;
        warn(
          lineNumber,
          `MAILTO names the local user ${address}, whom cron mails through the local mailer`,
          `addressed to ${address}@localhost`,
        );
        return `${address}@localhost`;
      });
    const key = JSON.stringify([addresses, from ?? null]);
    for (const [name, found] of into.channels) if (found.key === key) return name;
    const name = uniqueChannelName(into.channels);
    into.channels.set(name, {
      key,
      entry: {
        email: {
          to:
            addresses.length === 1
              ? escapeSubstitution(addresses[0] as string)
              : addresses.map(escapeSubstitution),
          smtp_url: importedSmtpUrl,
          ...(from === undefined || from === '' ? {} : { from: escapeSubstitution(from) }),
        },
      },
    });
    warn(
      lineNumber,
      `MAILTO=${to}: cron mails the output of every run that prints anything, to ${to}`,
      `became the e-mail channel ${name} (SMTP from $SMTP_URL, else localhost:25), told of the failures of the jobs after it; output is kept with each run`,
    );
    return name;
  }
}

function uniqueChannelName(channels: ReadonlyMap<string, unknown>): string {
  let name = 'mail';
  for (let n = 2; channels.has(name); n++) name = `mail-${n}`;
  return name;
}

/** A comment that reads as prose, not a commented-out entry or a ruler. */
function isDescription(text: string, system: boolean): boolean {
  if (!/[A-Za-z]/.test(text)) return false;
  const line = parseCrontabLine(text, system);
  if (line.kind !== 'entry') return true;
  try {
    parseSchedule(line.schedule, { syntax: 'cron' });
    return false;
  } catch {
    return true;
  }
}

/** The command before its standard input, for naming. */
function splitCommandText(command: string): string {
  const at = command.search(/(?<!\\)%/);
  return at === -1 ? command : command.slice(0, at);
}
