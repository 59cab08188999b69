import { stringify } from 'yaml';
import type { ResolvedJob } from '../../config/index.ts';
import { Secret } from '../../config/index.ts';
import { commandLinesFor } from '../command-lines-for.ts';
import { cronScheduleFor } from '../cron-schedule-for.ts';
import type { ExportResult, ExportWarning, ExportedFile, Exporter } from '../export-result.ts';
import { httpCommandsFor, shellWordText } from '../http-command-for.ts';
import { SecretVariables } from '../secret-variables.ts';
import { shellLineWithPre } from '../shell-line-with-pre.ts';
import { daemonOnlyLabels } from '../wrapped-features.ts';
import { dryRunNote } from '../dry-run-note.ts';
import { exportedEnv } from '../exported-env.ts';
import { dnsLabel } from './dns-label.ts';

/** A container image no cluster has: the user names the one that holds the command. */
export const placeholderImage = 'REPLACE-ME:latest';

/** The image an HTTP job's curl line runs in: curl's own, which has curl and sh. */
export const curlImage = 'curlimages/curl:latest';

const concurrencyPolicy = { allow: 'Allow', forbid: 'Forbid', replace: 'Replace', queue: 'Forbid' } as const;

/**
 * Jobs as Kubernetes CronJobs (batch/v1), one file and one document per CronJob: one per
 * schedule and fan-out key. Secrets become `secretKeyRef`s to a Secret `<name>-secrets` the user
 * creates; the image is a placeholder.
 */
export const k8sExporter: Exporter = {
  format: 'k8s',
  exportJobs(jobs) {
    const files: ExportedFile[] = [];
    const warnings: ExportWarning[] = [];
    const taken = new Set<string>();
    const secrets = new SecretVariables();
    for (const job of jobs) files.push(...cronJobsFor(job, taken, secrets, warnings));
    return { files, warnings } satisfies ExportResult;
  },
};

function cronJobsFor(
  job: ResolvedJob,
  taken: Set<string>,
  secretVariables: SecretVariables,
  warnings: ExportWarning[],
): ExportedFile[] {
  const warn = (message: string, action: string) => warnings.push({ job: job.name, message, action });
  // An HTTP job runs as the curl line that makes its request, in curl's image.
  const http = httpCommandsFor(job, secretVariables);
  // pre: steps and the command as one shell line: the command does not run when a step fails.
  const commands =
    commandLinesFor(job)?.map((command) => {
      const line = shellLineWithPre(command);
      return line === undefined ? command : { ...command, argv: [line], shell: true };
    }) ??
    http?.commands.map((command) => ({
      argv: [command.words.map((word) => shellWordText(word)).join(' ')],
      shell: true,
      params: command.params,
      unfilled: command.unfilled,
    }));
  if (commands === undefined) {
    warn(`a job that runs ${job.target.kind} is not a container command`, 'left out');
    return [];
  }
  const base = dnsLabel(job.name);
  if (base !== job.name)
    warn(`"${job.name}" is not a DNS-1123 name of at most 52 characters`, `the CronJob is named ${base}`);
  const image = http === undefined ? placeholderImage : curlImage;
  if (http === undefined)
    warn(
      'a CronJob runs a container image, which a job file does not name',
      `image: ${placeholderImage}; set it`,
    );
  else {
    warn(
      'an HTTP job is a request, which a CronJob cannot make',
      `the container runs the curl command that makes it, image: ${curlImage}`,
    );
    for (const [message, action] of http.notes)
      if (!http.variables.some((name) => message.includes(`$${name}`))) warn(message, action);
  }
  notCarried(job, warn);

  const secretName = `${base.slice(0, 245)}-secrets`;
  const env = [
    ...Object.entries(exportedEnv(job)).map(([name, value]) =>
      value instanceof Secret
        ? { name, valueFrom: { secretKeyRef: { name: secretName, key: name } } }
        : { name, value: value.replaceAll('$(', () => '$$(') },
    ),
    ...(http?.variables ?? []).map((name) => ({
      name,
      valueFrom: { secretKeyRef: { name: secretName, key: name } },
    })),
  ];
  const secrets = [
    ...Object.entries(exportedEnv(job)).filter(([, value]) => value instanceof Secret),
    ...(http?.variables ?? []).map((name) => [name] as const),
  ];
  if (secrets.length > 0)
    warn(
      `${secrets.map(([name]) => name).join(', ')} ${secrets.length === 1 ? 'is a secret' : 'are secrets'}`,
      `read from the Kubernetes Secret ${secretName} (create it with these keys); the value is not written`,
    );
  if (commands.length > 1)
    warn(`fan-out over ${commands.length} keys`, 'one CronJob per key, its values substituted');

  const files: ExportedFile[] = [];
  const schedules = job.schedules.flatMap((schedule) => {
    const cron = cronScheduleFor(schedule, job.timezone);
    if (cron.kind === 'cron') return [cron];
    const reason = cron.kind === 'startup' ? 'a CronJob has no start-up trigger' : cron.reason;
    warn(`schedule "${schedule.text}" cannot be a CronJob schedule: ${reason}`, 'left out');
    return [];
  });
  schedules.forEach((cron, scheduleIndex) => {
    commands.forEach((command, keyIndex) => {
      const suffix = [
        ...(scheduleIndex === 0 ? [] : [String(scheduleIndex + 1)]),
        ...(commands.length === 1 ? [] : [Object.values(command.params).join('-') || String(keyIndex + 1)]),
      ].join('-');
      const name = uniqueName(suffix === '' ? base : dnsLabel(`${base.slice(0, 40)}-${suffix}`), taken);
      const argv = command.shell ? ['/bin/sh', '-c', command.argv[0] ?? ''] : [...command.argv];
      const manifest = {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: {
          name,
          ...(job.description === undefined
            ? {}
            : { annotations: { 'cronplane.dev/description': job.description } }),
        },
        spec: {
          schedule: cron.fields,
          timeZone: cron.timezone,
          concurrencyPolicy: concurrencyPolicy[job.concurrency],
          ...(job.startDeadlineMs === undefined
            ? {}
            : { startingDeadlineSeconds: Math.max(1, Math.ceil(job.startDeadlineMs / 1000)) }),
          ...(job.enabled ? {} : { suspend: true }),
          jobTemplate: {
            spec: {
              backoffLimit: job.retry.attempts - 1,
              ...(job.timeoutMs === undefined
                ? {}
                : { activeDeadlineSeconds: Math.max(1, Math.ceil(job.timeoutMs / 1000)) }),
              template: {
                spec: {
                  restartPolicy: 'Never',
                  containers: [
                    {
                      name: 'job',
                      image,
                      command: argv.map((word) => word.replaceAll('$(', () => '$$(')),
                      ...(env.length === 0 ? {} : { env }),
                      ...(job.cwd === undefined ? {} : { workingDir: job.cwd }),
                    },
                  ],
                },
              },
            },
          },
        },
      };
      files.push({ path: `${name}.yaml`, text: stringify(manifest, { lineWidth: 0 }) });
    });
  });
  return files;
}

function notCarried(job: ResolvedJob, warn: (message: string, action: string) => void): void {
  if (job.concurrency === 'queue')
    warn(
      'concurrency: queue has no CronJob policy',
      'concurrencyPolicy: Forbid (a fire during a run is skipped)',
    );
  const lost = daemonOnlyLabels(job);
  if (job.envFiles.length > 0) lost.push('env files');
  if (job.user !== undefined) lost.push('user');
  if (job.retry.attempts > 1 && job.retry.backoff === 'fixed')
    lost.push('retry delay (Kubernetes backs off exponentially)');
  const dryRun = dryRunNote(job);
  if (dryRun !== undefined) warn(...dryRun);
  if (lost.length > 0)
    warn(`a CronJob cannot say ${lost.join(', ')}`, 'left out; the pod runs the command alone');
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name.slice(0, 48)}-${n}`;
  taken.add(candidate);
  return candidate;
}
