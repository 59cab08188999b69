/**
 * Jobs as a Docker Compose service that runs them with BusyBox crond, in the shape deployments
 * use (`image: alpine`, `crond -f`, a crontab mounted at `/etc/crontabs/root`): `compose.yaml`
 * and `cron/crontab` beside it, the crontab written by the crontab exporter for BusyBox. See
 * docs/interop.md "Docker Compose".
 */
import { stringify } from 'yaml';
import type { ResolvedJob } from '../../config/index.ts';
import { Secret } from '../../config/index.ts';
import { cronScheduleFor } from '../cron-schedule-for.ts';
import { crontabFor } from '../crontab-export/index.ts';
import { monitorsFile } from '../monitors-file.ts';
import type { ExportResult, ExportWarning, Exporter } from '../export-result.ts';
import { exportedEnv } from '../exported-env.ts';

/** The image of the service: Alpine's BusyBox has crond; `apk add` brings curl and the zone data. */
export const composeImage = 'alpine:3';

/** Where the crontab is written, beside compose.yaml, and where BusyBox crond reads root's crontab. */
export const composeCrontabPath = 'cron/crontab';
const crondCrontab = '/etc/crontabs/root';

export const composeExporter: Exporter = {
  format: 'compose',
  exportJobs(jobs, options): ExportResult {
    const crontab = crontabFor(jobs, options, 'busybox', 'compose');
    const warnings: ExportWarning[] = [...crontab.warnings];
    const warn = (job: string | null, message: string, action: string) =>
      warnings.push({ job, message, action });

    const zone = serviceZone(jobs, warn);
    const environment = new Map<string, string>([['TZ', zone]]);
    const envFiles: { path: string; required: boolean }[] = [];
    const commandJobs = jobs.filter((job) => job.target.kind === 'command');
    for (const job of commandJobs) {
      for (const [name, value] of Object.entries(exportedEnv(job))) {
        const text = value instanceof Secret ? required(name) : value.replaceAll('$', () => '$$');
        const known = environment.get(name);
        if (known === undefined) environment.set(name, text);
        else if (known !== text)
          warn(
            job.name,
            `${name} has another value in an earlier job; one container has one environment`,
            `${name} keeps the earlier job's value`,
          );
      }
      for (const file of job.envFiles)
        if (!envFiles.some((known) => known.path === file.path))
          envFiles.push({ path: file.path, required: !file.optional });
      if (job.user !== undefined)
        warn(job.name, `user: ${job.user}`, "the crontab is root's: its lines run as root in the container");
    }
    const secrets = new Set([
      ...commandJobs.flatMap((job) =>
        Object.entries(exportedEnv(job)).flatMap(([name, value]) => (value instanceof Secret ? [name] : [])),
      ),
      ...crontab.secretVariables,
    ]);
    for (const name of crontab.secretVariables) environment.set(name, required(name));
    if (secrets.size > 0)
      warn(
        null,
        `${[...secrets].join(', ')} ${secrets.size === 1 ? 'is a secret' : 'are secrets'}`,
        'passed as ${NAME:?...} from the environment of docker compose (or its .env file), which refuses to start without it; the value is not written',
      );
    if (envFiles.length > 0)
      warn(
        null,
        'env files are read by compose when the service starts, not at each run',
        'listed under env_file:',
      );

    const packages = [
      ...(crontab.secretVariables.length > 0 || jobs.some((job) => job.target.kind === 'http')
        ? ['curl']
        : []),
      ...(zone === 'UTC' ? [] : ['tzdata']),
    ];
    if (packages.length > 0)
      warn(
        null,
        `${composeImage} has no ${packages.join(' or ')}`,
        `the service installs ${packages.join(' and ')} with apk at each start (it needs the network); build an image with them to start offline`,
      );
    if (commandJobs.length > 0)
      warn(
        null,
        `${composeImage} holds BusyBox and little else`,
        'the commands the jobs run must be in the image: set image: to one that has them (and crond)',
      );
    if (crontab.wrapped.length > 0)
      warn(
        null,
        'some lines are wrapped in cronplane exec --monitor',
        'the image needs cronplane (and Node) and CRONPLANE_PING_URL or the daemon reachable from the container',
      );
    if (jobs.some((job) => job.schedules.some((schedule) => schedule.spec.kind === 'startup')))
      warn(
        null,
        '@reboot in BusyBox crond',
        'runs once when the container starts, not when the machine boots',
      );

    const crond = ['crond', '-f', '-d', '8'];
    const service = {
      image: composeImage,
      command:
        packages.length === 0
          ? crond
          : ['/bin/sh', '-c', `apk add --no-cache ${packages.join(' ')} && exec ${crond.join(' ')}`],
      environment: Object.fromEntries(environment),
      ...(envFiles.length === 0 ? {} : { env_file: envFiles }),
      volumes: [`./${composeCrontabPath}:${crondCrontab}:ro`],
      restart: 'unless-stopped',
    };
    const header = [
      `# Exported by cronplane export --to compose from ${options.configPath}.`,
      `# BusyBox crond runs the lines of ${composeCrontabPath} in the container's TZ; \`docker compose logs cron\` shows their output.`,
    ];
    const compose = `${header.join('\n')}\n${stringify({ services: { cron: service } }, { lineWidth: 0 })}`;
    const monitors = monitorsFile(crontab.wrapped, options);
    const files = [
      { path: 'compose.yaml', text: compose },
      { path: composeCrontabPath, text: crontab.text },
    ];
    if (monitors.file !== undefined) files.push(monitors.file);
    return { files, warnings: [...warnings, ...monitors.warnings] };
  },
};

/** `${NAME:?...}`: compose fills it from its environment and refuses to start when it is unset. */
function required(name: string): string {
  return `\${${name}:?set ${name} in the environment of docker compose}`;
}

/**
 * The zone crond runs in (its `TZ`): the one every schedule shares. A line that fires every hour
 * or more often at fixed minutes (`M * * * *`) is left out of the count, since it fires alike in
 * any zone whose offset is whole hours. Jobs of another zone are warned about.
 */
function serviceZone(
  jobs: readonly ResolvedJob[],
  warn: (job: string | null, message: string, action: string) => void,
): string {
  const byZone = new Map<string, Set<string>>();
  for (const job of jobs)
    for (const schedule of job.schedules) {
      const cron = cronScheduleFor(schedule, job.timezone);
      if (cron.kind !== 'cron' || / \* \* \* \*$/.test(cron.fields)) continue;
      byZone.set(cron.timezone, (byZone.get(cron.timezone) ?? new Set()).add(job.name));
    }
  const ranked = [...byZone].sort((a, b) => b[1].size - a[1].size);
  const zone = ranked[0]?.[0] ?? jobs[0]?.timezone ?? 'UTC';
  for (const [other, names] of ranked.slice(1))
    for (const name of names)
      warn(
        name,
        `its schedules are read in ${other}; BusyBox crond reads every line in one zone, the container's TZ`,
        `they fire at those wall times in ${zone}: export the jobs of each zone separately to run them right`,
      );
  return zone;
}
