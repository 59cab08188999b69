/**
 * Jobs as systemd unit pairs: `<job>.timer` with its schedules and `<job>.service` with the
 * command and its settings. A fan-out gives one pair per key (`<job>-<value>`, placeholders
 * substituted). What systemd cannot say is carried by `cronplane exec --monitor` or warned about.
 * See docs/interop.md "systemd export".
 */
import type { ResolvedJob } from '../../config/index.ts';
import { Secret } from '../../config/index.ts';
import type { CommandTarget } from '../../executors/index.ts';
import { quoteForShell, substitutePlaceholders } from '../../placeholders/index.ts';
import type { ExportedFile, ExportOptions, Exporter, ExportResult, ExportWarning } from '../export-result.ts';
import { httpCommandsFor, shellWordText } from '../http-command-for.ts';
import { SecretVariables } from '../secret-variables.ts';
import { monitorsFile } from '../monitors-file.ts';
import { wrappedFeatures } from '../wrapped-features.ts';
import type { WrappedFeature } from '../wrapped-features.ts';
import { exportedEnv } from '../exported-env.ts';
import { systemdSpan } from './systemd-span.ts';
import { timerTriggers } from './timer-triggers.ts';
import { unitNameFor } from './unit-name.ts';
import { environmentWord, execWords } from './unit-words.ts';

export const systemdExporter: Exporter = {
  format: 'systemd',
  exportJobs(jobs, options): ExportResult {
    const files: ExportedFile[] = [];
    const warnings: ExportWarning[] = [];
    const secrets = new SecretVariables();
    const wrapped: ResolvedJob[] = [];
    for (const job of jobs) exportJob(job, options, secrets, files, warnings, wrapped);
    const monitors = monitorsFile(wrapped, options);
    warnings.push(...monitors.warnings);
    if (monitors.file !== undefined) files.push(monitors.file);
    return { files, warnings };
  },
};

function exportJob(
  job: ResolvedJob,
  options: ExportOptions,
  secretVariables: SecretVariables,
  files: ExportedFile[],
  warnings: ExportWarning[],
  wrapped: ResolvedJob[],
) {
  const warn = (message: string, action: string) => warnings.push({ job: job.name, message, action });
  // An HTTP job runs as the curl line that makes its request, once per fan-out key.
  const http = httpCommandsFor(job, secretVariables);
  if (job.target.kind !== 'command' && http === undefined) {
    warn(`a ${job.target.kind} job has no systemd service form`, 'left out');
    return;
  }
  const targetFor = (key: number): CommandTarget =>
    http === undefined
      ? (job.target as CommandTarget)
      : {
          kind: 'command',
          shell: true,
          argv: [http.commands[key]?.words.map((word) => shellWordText(word)).join(' ') ?? ''],
        };
  if (http !== undefined) {
    warn(
      'an HTTP job is a request, which a service cannot make',
      'ExecStart= runs the curl command that makes it',
    );
    for (const [message, action] of http.notes)
      if (!http.variables.some((name) => message.includes(`$${name}`))) warn(message, action);
  }
  const triggers = timerTriggers(job.schedules, job.timezone, options.now ?? Date.now());
  for (const [message, action] of triggers.notes) warn(message, action);
  if (triggers.lines.length === 0) {
    warn('no schedule of the job has a systemd timer form', 'left out');
    return;
  }
  const carried = wrappedFeatures(job, carriedBySystemd);
  if (carried.length > 0) {
    warn(
      `systemd has no ${carried.join(', ')}`,
      `kept by wrapping the command in cronplane exec --monitor ${job.name}, so the daemon records every run and alerts through the monitor ${job.name} of cronplane-monitors.yaml`,
    );
    wrapped.push(job);
    if (job.pre.length > 0)
      warn(
        'a pre: step that fails stops the unit before cronplane exec --monitor starts',
        `ExecStartPre= as written; the monitor ${job.name} then gets no ping and reports the run late, not failed`,
      );
  }
  serviceNotes(job, warn);
  const secrets = [
    ...Object.entries(exportedEnv(job)).filter(([, value]) => value instanceof Secret),
    ...(http?.variables ?? []).map((name) => [name, undefined] as const),
  ];
  for (const [index, values] of job.fanOut.entries()) {
    const target = targetFor(index);
    const key = Object.values(values).join('-');
    const name = key === '' ? job.name : `${job.name}-${key}`;
    const unit = unitNameFor(name);
    if (unit !== name) warn(`"${name}" holds characters a unit name cannot`, `the units are named ${unit}`);
    const envPath = `/etc/cronplane/${unit}.env`;
    if (secrets.length > 0) {
      warn(
        `secret variables ${secrets.map(([variable]) => variable).join(', ')} must not be written into a unit`,
        `read from EnvironmentFile=-${envPath}: put them there`,
      );
    }
    const placeholders = {
      ...values,
      job: job.name,
      fan_key: key,
      ...(job.maxPerRun === undefined ? {} : { max_per_run: String(job.maxPerRun) }),
    };
    const timer = timerText(job, triggers.lines);
    const service = serviceText(
      job,
      target,
      placeholders,
      carried.length > 0,
      options,
      secrets.length > 0 ? envPath : undefined,
    );
    files.push({ path: `${unit}.timer`, text: timer }, { path: `${unit}.service`, text: service });
  }
}

/** What a unit says itself (or what neither it nor the wrapper carries, warned apart): never a reason to wrap. */
const carriedBySystemd: ReadonlySet<WrappedFeature> = new Set([
  'retries',
  'timeout',
  'maxRuntime',
  'startDeadline',
  'condition',
  'exitCodes',
  'concurrency',
]);

function serviceNotes(job: ResolvedJob, warn: (message: string, action: string) => void): void {
  if (job.concurrency !== 'forbid') {
    warn(
      `concurrency: ${job.concurrency} — systemd never starts a unit that is still running`,
      'behaves as concurrency: forbid (a fire while it runs is skipped)',
    );
  }
  if (job.catchUp === 'all')
    warn(
      'catch_up: all — Persistent=true fires once for every missed fire',
      'Persistent=true: one catch-up run',
    );
  for (const [code, outcome] of job.exitCodes) {
    if (outcome === 'warning' || outcome === 'critical')
      warn(
        `exit code ${code} means ${outcome}; systemd knows only success and failure`,
        'counts as a failure',
      );
  }
  if (job.retry.attempts > 1 && job.retry.backoff === 'exponential')
    warn(
      'exponential retry back-off: systemd restarts after a fixed delay',
      `RestartSec=${systemdSpan(job.retry.delayMs)} between every attempt`,
    );
  if (job.retry.attempts > 1 && job.retry.jitter > 0)
    warn('retry jitter has no systemd equivalent', 'left out');
  if (job.limits.processes !== undefined)
    warn('limits.processes has no exact systemd equivalent', 'left out');
  const dropped = droppedSettings(job);
  if (dropped.length > 0) warn(`systemd units have no ${dropped.join(', ')}`, 'left out');
}

/** Settings neither a unit nor the exec wrapper carries. */
function droppedSettings(job: ResolvedJob): string[] {
  const dropped: string[] = [];
  if (job.after.length > 0) dropped.push(`after (${job.after.join(', ')})`);
  if (!job.enabled) dropped.push('enabled: false (the timer starts once enabled)');
  if (job.maxRuntimeMs !== undefined) dropped.push('max_runtime (TimeoutStartSec= bounds the whole run)');
  if (job.startDeadlineMs !== undefined) dropped.push('start_deadline');
  if (job.maxParallel !== undefined) dropped.push('max_parallel (each fan-out unit runs on its own)');
  if (job.cooldownMs !== undefined) dropped.push('cooldown (the timer fires on its calendar)');
  if (job.log.file !== undefined) dropped.push('log.file (the journal keeps the output)');
  if (job.dryRun)
    dropped.push(
      job.dryRunEnv === undefined
        ? 'dry_run'
        : `dry_run (only ${job.dryRunEnv.name}=${job.dryRunEnv.whenTrue} is written; no CRONPLANE_DRY_RUN, no dry record)`,
    );
  if (job.nodeTags.length > 0) dropped.push('node_tags');
  return dropped;
}

function timerText(job: ResolvedJob, triggers: readonly string[]): string {
  const lines = ['[Unit]', `Description=${unitDescription(job)} (timer)`, '', '[Timer]', ...triggers];
  if (job.catchUp !== 'skip') lines.push('Persistent=true');
  if (job.randomizedDelayMs > 0) lines.push(`RandomizedDelaySec=${systemdSpan(job.randomizedDelayMs)}`);
  lines.push(
    '# cronplane fires to the second; systemd would otherwise coalesce within a minute',
    'AccuracySec=1s',
  );
  lines.push('', '[Install]', 'WantedBy=timers.target', '');
  return lines.join('\n');
}

function serviceText(
  job: ResolvedJob,
  target: CommandTarget,
  placeholders: Readonly<Record<string, string>>,
  wrapped: boolean,
  options: ExportOptions,
  secretsFile: string | undefined,
): string {
  const unit = ['[Unit]', `Description=${unitDescription(job)}`];
  const service = ['[Service]', 'Type=oneshot'];
  const argv = commandArgv(target, placeholders);
  if (wrapped) {
    const server = options.server === undefined ? [] : ['--server', options.server];
    service.push(`Environment=${environmentWord('CRONPLANE_CONFIG', options.configPath)}`);
    service.push(
      `ExecStart=${execWords(['cronplane', 'exec', '--monitor', job.name, ...server, '--', ...argv])}`,
    );
  } else service.push(`ExecStart=${execWords(argv)}`);
  if (job.condition !== undefined)
    service.push(`ExecCondition=${execWords(commandArgv(job.condition, placeholders))}`);
  // pre: steps run in order before ExecStart=; the first that fails stops the start, as in cronplane.
  for (const step of job.pre) service.push(`ExecStartPre=${execWords(commandArgv(step, placeholders))}`);
  if (job.cwd !== undefined) service.push(`WorkingDirectory=${job.cwd}`);
  if (job.user !== undefined) service.push(`User=${job.user}`);
  if (job.group !== undefined) service.push(`Group=${job.group}`);
  for (const [name, value] of Object.entries(exportedEnv(job))) {
    if (typeof value === 'string')
      service.push(`Environment=${environmentWord(name, substitutePlaceholders(value, placeholders))}`);
  }
  for (const file of job.envFiles) service.push(`EnvironmentFile=${file.optional ? '-' : ''}${file.path}`);
  if (secretsFile !== undefined) service.push(`EnvironmentFile=-${secretsFile}`);
  if (job.timeoutMs !== undefined) service.push(`TimeoutStartSec=${systemdSpan(job.timeoutMs)}`);
  if (job.limits.memoryBytes !== undefined) service.push(`MemoryMax=${job.limits.memoryBytes}`);
  if (job.limits.cpu !== undefined) service.push(`CPUQuota=${Math.round(job.limits.cpu * 100)}%`);
  if (job.limits.openFiles !== undefined) service.push(`LimitNOFILE=${job.limits.openFiles}`);
  const success = [...job.exitCodes].filter(([, outcome]) => outcome === 'success' || outcome === 'skip');
  if (success.length > 0) service.push(`SuccessExitStatus=${success.map(([code]) => code).join(' ')}`);
  if (job.retry.attempts > 1) {
    service.push('Restart=on-failure', `RestartSec=${systemdSpan(job.retry.delayMs)}`);
    const window = job.retry.attempts * (job.retry.delayMs + (job.timeoutMs ?? 3_600_000));
    unit.push(`StartLimitBurst=${job.retry.attempts}`, `StartLimitIntervalSec=${systemdSpan(window)}`);
  }
  return [...unit, '', ...service, ''].join('\n');
}

/** argv as systemd runs it: a shell line through `/bin/sh -c`, fan-out values substituted. */
function commandArgv(
  command: { readonly argv: readonly string[]; readonly shell: boolean },
  placeholders: Readonly<Record<string, string>>,
): string[] {
  if (command.shell) {
    const line = substitutePlaceholders(command.argv.join(' '), placeholders, (value) =>
      quoteForShell(value),
    );
    return ['/bin/sh', '-c', line];
  }
  return command.argv.map((word) => substitutePlaceholders(word, placeholders));
}

function unitDescription(job: ResolvedJob): string {
  const text = (job.description ?? `cronplane job ${job.name}`).split('\n')[0] ?? job.name;
  return text.replaceAll('%', '%%');
}
