/**
 * One Kubernetes CronJob (batch/v1) as a cronplane job: the CronJob's timing and policies, the
 * Job's retries and deadline, the first container's command and environment. What the job file
 * cannot carry (the image, volumes, history limits...) becomes a comment and a warning.
 */
import { detectSyntax, formatDuration, isKnownTimeZone, parseSchedule } from '../../calendar/index.ts';
import { coerceError } from '../../errors/index.ts';
import type { ImportedJob, ImportWarning, SourcePlace } from '../import-result.ts';
import { ImportProblemsError } from '../import-problems.ts';
import {
  escapeSubstitution,
  literalCommand,
  literalCommandNote,
  placeholderLookalikes,
} from '../escape-job-file-text.ts';
import { containerRun } from './container-command.ts';
import { cpuLimit, memoryLimit } from './k8s-quantity.ts';

export type Path = readonly (string | number)[];

/** A CronJob document: its value, and the place of any path inside it. */
export interface CronJobDocument {
  readonly file: string;
  readonly value: Record<string, unknown>;
  readonly placeOf: (path: Path) => SourcePlace;
}

type Json = Record<string, unknown>;
const object = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const concurrency: Readonly<Record<string, string>> = {
  Allow: 'allow',
  Forbid: 'forbid',
  Replace: 'replace',
};
/** The Job's pod back-off: 10 s doubling up to 6 min (the Job controller's own numbers). */
const podBackoff = { backoff: 'exponential', delay: '10s', max_delay: '6m' } as const;

/** The job, or undefined (with a warning) when the CronJob names no command to run. */
export function cronJobToJob(
  document: CronJobDocument,
  name: string,
  warnings: ImportWarning[],
): ImportedJob | undefined {
  const { value, placeOf } = document;
  const warn = (path: Path, message: string, action: string) =>
    warnings.push({ ...placeOf(path), message, action });
  const spec = object(value['spec']);
  const jobSpec = object(object(spec['jobTemplate'])['spec']);
  const podSpec = object(object(jobSpec['template'])['spec']);
  const podPath = ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  const entry: Record<string, unknown> = {};
  const comments: string[] = [];
  const metadata = object(value['metadata']);
  comments.push(
    `from CronJob ${String(metadata['name'])}${typeof metadata['namespace'] === 'string' ? ` in namespace ${metadata['namespace']}` : ''}`,
  );
  for (const key of ['labels', 'annotations']) {
    if (metadata[key] !== undefined)
      warn(['metadata', key], `metadata.${key} label the object in the cluster`, 'dropped');
  }

  readSchedule(document, spec, entry, warn);
  const policy = spec['concurrencyPolicy'] ?? 'Allow';
  const mapped = concurrency[String(policy)];
  if (mapped === undefined) {
    throw new ImportProblemsError([
      {
        ...placeOf(['spec', 'concurrencyPolicy']),
        message: `concurrencyPolicy: expected Allow, Forbid or Replace, got ${String(policy)}`,
      },
    ]);
  }
  entry['concurrency'] = mapped;
  const deadline = spec['startingDeadlineSeconds'];
  if (typeof deadline === 'number' && deadline > 0) entry['start_deadline'] = formatDuration(deadline * 1000);
  if (spec['suspend'] === true) entry['enabled'] = false;
  for (const key of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    if (spec[key] !== undefined) {
      warn(
        ['spec', key],
        `${key}: ${String(spec[key])} keeps that many finished Jobs`,
        'dropped: cronplane keeps every run until retention: removes it',
      );
    }
  }

  const backoffLimit = jobSpec['backoffLimit'];
  const retries = typeof backoffLimit === 'number' ? backoffLimit : 6;
  if (backoffLimit === undefined)
    comments.push("retry: backoffLimit not set, so Kubernetes' default 6 retries");
  if (retries > 0) entry['retry'] = { attempts: Math.min(100, retries + 1), ...podBackoff };
  const active = jobSpec['activeDeadlineSeconds'] ?? podSpec['activeDeadlineSeconds'];
  if (typeof active === 'number' && active > 0) entry['timeout'] = formatDuration(active * 1000);
  for (const key of [
    'ttlSecondsAfterFinished',
    'parallelism',
    'completions',
    'completionMode',
    'podFailurePolicy',
    'backoffLimitPerIndex',
    'suspend',
  ]) {
    if (jobSpec[key] !== undefined) {
      warn(
        ['spec', 'jobTemplate', 'spec', key],
        `the Job's ${key} has no counterpart in the job file`,
        'dropped',
      );
    }
  }

  const containers = list(podSpec['containers']);
  for (const key of Object.keys(podSpec)) {
    if (['containers', 'restartPolicy', 'activeDeadlineSeconds'].includes(key)) continue;
    warn([...podPath, key], `the pod's ${key} has no counterpart on the host`, 'dropped');
  }
  if (containers.length > 1) {
    warn(
      [...podPath, 'containers', 1],
      `the pod has ${containers.length} containers`,
      'imported the first one only',
    );
  }
  const container = object(containers[0]);
  const containerPath = [...podPath, 'containers', 0];
  if (typeof container['image'] === 'string') {
    comments.push(`image: ${container['image']}`);
    warn(
      [...containerPath, 'image'],
      `the command ran in the image ${container['image']}`,
      'kept as a comment: cronplane runs it on the host, which needs the same programs',
    );
  }
  const names = new Set(list(container['env']).map((item) => String(object(item)['name'])));
  const argv = [...list(container['command']), ...list(container['args'])].map(String);
  if (container['command'] === undefined) {
    warn(
      [...containerPath],
      "the container has no command: the image's ENTRYPOINT runs first",
      argv.length === 0
        ? 'not imported: there is nothing to run'
        : 'imported args alone: put the entrypoint in front',
    );
    if (argv.length === 0) return undefined;
  }
  const contained = containerRun(argv, names);
  const run = literalCommand(contained);
  entry['run'] = run.run;
  if (run.shell) entry['shell'] = true;
  if (contained.expanded) {
    warn(
      [...containerPath, 'command'],
      "Kubernetes expands $(NAME) of the container's env in command and args",
      "became the shell's ${NAME}",
    );
  }
  if (run.names.length > 0) warn([...containerPath, 'command'], ...literalCommandNote(run.names));
  if (typeof container['workingDir'] === 'string') entry['cwd'] = escapeSubstitution(container['workingDir']);
  readEnv(container, containerPath, entry, comments, warn);
  readResources(container, containerPath, entry, comments, warn);
  for (const key of Object.keys(container)) {
    if (['name', 'image', 'command', 'args', 'env', 'workingDir', 'resources'].includes(key)) continue;
    warn([...containerPath, key], `the container's ${key} has no counterpart on the host`, 'dropped');
  }
  return { name, entry, comments, source: placeOf([]) };
}

function readSchedule(
  document: CronJobDocument,
  spec: Json,
  entry: Record<string, unknown>,
  warn: (path: Path, message: string, action: string) => void,
): void {
  const place = document.placeOf(['spec', 'schedule']);
  const schedule = spec['schedule'];
  if (typeof schedule !== 'string' || schedule.trim() === '') {
    throw new ImportProblemsError([
      { ...place, message: 'spec.schedule: a CronJob needs a schedule such as "0 3 * * *"' },
    ]);
  }
  let text = schedule.trim();
  let zone: string | undefined;
  const prefix = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(text);
  if (prefix !== null) {
    zone = prefix[1];
    text = text.slice(prefix[0].length);
  }
  if (text.startsWith('@every ')) text = `every ${text.slice('@every '.length).trim()}`;
  try {
    parseSchedule(text, { syntax: text.startsWith('every ') ? 'interval' : 'cron' });
  } catch (thrown) {
    throw new ImportProblemsError([
      { ...place, message: `schedule "${schedule}": ${coerceError(thrown).message}` },
    ]);
  }
  entry['schedule'] =
    text.startsWith('every ') || detectSyntax(text) === 'cron' ? text : { expr: text, syntax: 'cron' };
  const timeZone = spec['timeZone'];
  if (typeof timeZone === 'string') {
    if (zone !== undefined) {
      warn(
        ['spec', 'timeZone'],
        'the schedule names a zone and so does timeZone (Kubernetes refuses both)',
        `kept ${zone} from the schedule`,
      );
    } else zone = timeZone;
  }
  if (zone !== undefined) {
    if (!isKnownTimeZone(zone))
      throw new ImportProblemsError([
        { ...place, message: `the time zone ${zone} is not an IANA zone such as "Europe/Berlin"` },
      ]);
    entry['timezone'] = zone;
  }
}

function readEnv(
  container: Json,
  containerPath: Path,
  entry: Record<string, unknown>,
  comments: string[],
  warn: (path: Path, message: string, action: string) => void,
): void {
  const env: Record<string, unknown> = {};
  list(container['env']).forEach((item, index) => {
    const variable = object(item);
    const name = String(variable['name']);
    const at = [...containerPath, 'env', index];
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      warn(at, `the variable name ${name} is not one a job file takes (letters, digits, _)`, 'dropped');
      return;
    }
    if (variable['value'] !== undefined) {
      const text = String(variable['value']);
      if (/(?<!\$)\$\([A-Za-z_]/.test(text))
        warn([...at, 'value'], `${name}'s value uses $(NAME), which Kubernetes expands`, 'kept as written');
      for (const lookalike of placeholderLookalikes(text)) {
        warn(
          [...at, 'value'],
          `${name}'s value holds ${lookalike}, which the job file reads as a placeholder`,
          'kept as written: edit it',
        );
      }
      env[name] = escapeSubstitution(text.replace(/\$\$\(/g, '$('));
      return;
    }
    const from = object(variable['valueFrom']);
    const secret = object(from['secretKeyRef']);
    const config = object(from['configMapKeyRef']);
    const reference = from['secretKeyRef'] !== undefined ? secret : config;
    if (from['secretKeyRef'] !== undefined || from['configMapKeyRef'] !== undefined) {
      const kind = from['secretKeyRef'] !== undefined ? 'Secret' : 'ConfigMap';
      const where = `${kind} ${String(reference['name'])}, key ${String(reference['key'])}`;
      const text = reference['optional'] === true ? `\${${name}:-}` : `\${${name}}`;
      env[name] = kind === 'Secret' ? { secret: text } : text;
      comments.push(`${name}: in the cluster, from ${where}`);
      warn(
        at,
        `${name} comes from ${where}`,
        `became ${text}: give ${name} to cronplane's environment or its env_file`,
      );
      return;
    }
    warn(
      at,
      `${name} comes from ${Object.keys(from).join(', ') || 'nothing'}, which only the cluster knows`,
      'dropped',
    );
  });
  if (Object.keys(env).length > 0) entry['env'] = env;
  list(container['envFrom']).forEach((item, index) => {
    const source = object(item);
    const ref = object(source['secretRef'] ?? source['configMapRef']);
    warn(
      [...containerPath, 'envFrom', index],
      `every key of ${source['secretRef'] !== undefined ? 'Secret' : 'ConfigMap'} ${String(ref['name'])} becomes a variable`,
      'dropped: write them to an env file and name it in env_file',
    );
  });
}

function readResources(
  container: Json,
  containerPath: Path,
  entry: Record<string, unknown>,
  comments: string[],
  warn: (path: Path, message: string, action: string) => void,
): void {
  if (container['resources'] === undefined) return;
  const resources = object(container['resources']);
  const limits = object(resources['limits']);
  const at = [...containerPath, 'resources'];
  const mapped: Record<string, string> = {};
  if (limits['memory'] !== undefined) {
    const memory = memoryLimit(limits['memory'] as string);
    if (memory !== undefined) mapped['memory'] = memory;
    else
      warn(
        [...at, 'limits', 'memory'],
        `the memory limit ${String(limits['memory'])} is not a size`,
        'dropped',
      );
  }
  if (limits['cpu'] !== undefined) {
    const cpu = cpuLimit(limits['cpu'] as string);
    if (cpu !== undefined) mapped['cpu'] = cpu;
    else
      warn(
        [...at, 'limits', 'cpu'],
        `the CPU limit ${String(limits['cpu'])} is not a quantity of cores`,
        'dropped',
      );
  }
  if (Object.keys(mapped).length > 0) entry['limits'] = mapped;
  if (resources['requests'] !== undefined) {
    comments.push(`resources.requests: ${JSON.stringify(resources['requests'])}`);
    warn([...at, 'requests'], 'resource requests reserve room on a node', 'kept as a comment');
  }
  warn(
    at,
    'the limits held the container; on the host they hold the command',
    Object.keys(mapped).length > 0 ? 'became limits' : 'dropped',
  );
}
