/**
 * Jobs as Amazon EventBridge Scheduler schedules: one JSON file per schedule expression and
 * fan-out key, each the input of `aws scheduler create-schedule --cli-input-json file://NAME.json`.
 * A command job's target is the universal target `ecs:runTask`: the task's container runs the
 * job's argv (`overrides.containerOverrides[].command`) with its plain env; the role, cluster,
 * task definition and container are placeholders the user fills. See docs/interop.md
 * "Amazon EventBridge Scheduler".
 */
import type { ResolvedJob } from '../../config/index.ts';
import { Secret } from '../../config/index.ts';
import { substitutePlaceholders } from '../../placeholders/index.ts';
import { commandLinesFor } from '../command-lines-for.ts';
import type { CommandForKey } from '../command-lines-for.ts';
import type { ExportedFile, ExportResult, ExportWarning, Exporter } from '../export-result.ts';
import { exportedEnv } from '../exported-env.ts';
import { shellLineWithPre } from '../shell-line-with-pre.ts';
import { setsAlert, watchRulesLabel } from '../wrapped-features.ts';
import { scheduleName } from './schedule-name.ts';
import { schedulerExpressions } from './scheduler-expressions.ts';
import type { SchedulerExpression } from './scheduler-expressions.ts';

/** The placeholders of every exported target, each to be replaced by the user's own. */
export const eventBridgePlaceholders = {
  roleArn: 'arn:aws:iam::123456789012:role/REPLACE-ME-scheduler-role',
  cluster: 'REPLACE-ME-cluster',
  taskDefinition: 'REPLACE-ME-task-definition',
  container: 'REPLACE-ME-container',
} as const;

/** EventBridge Scheduler's universal target for the ECS RunTask API. */
export const ecsRunTaskArn = 'arn:aws:scheduler:::aws-sdk:ecs:runTask';

const maxDescription = 512;
const maxRetryAttempts = 185;
const eventAgeSeconds = { min: 60, max: 86_400 } as const;
const maxWindowMinutes = 1440;

export const eventBridgeExporter: Exporter = {
  format: 'eventbridge',
  exportJobs(jobs) {
    const files: ExportedFile[] = [];
    const warnings: ExportWarning[] = [];
    const taken = new Set<string>();
    for (const job of jobs) files.push(...schedulesFor(job, taken, warnings));
    if (files.length > 0)
      warnings.push({
        job: null,
        message: `every target names placeholders: the role ${eventBridgePlaceholders.roleArn}, and in Input the cluster, task definition and container (REPLACE-ME-...)`,
        action:
          'fill them before create-schedule; the role must let scheduler.amazonaws.com call ecs:RunTask and iam:PassRole; ' +
          'a Fargate task also needs launchType and networkConfiguration in Input',
      });
    return { files, warnings } satisfies ExportResult;
  },
};

function schedulesFor(job: ResolvedJob, taken: Set<string>, warnings: ExportWarning[]): ExportedFile[] {
  const warn = (message: string, action: string) => warnings.push({ job: job.name, message, action });
  // pre: steps and the command as one shell line: the command does not run when a step fails.
  const commands = commandLinesFor(job)?.map((command) => {
    const line = shellLineWithPre(command);
    return line === undefined ? command : { ...command, argv: [line], shell: true };
  });
  if (commands === undefined) {
    if (job.target.kind === 'http')
      warn(
        'EventBridge Scheduler cannot call a URL itself',
        'left out: send the schedule to an event bus whose rule targets an API destination for the URL, or to a Lambda function that calls it',
      );
    else warn(`a job that runs ${job.target.kind} is not a command a container can run`, 'left out');
    return [];
  }
  const { expressions, notes } = schedulerExpressions(job.schedules, job.timezone);
  for (const [message, action] of notes) warn(message, action);
  if (expressions.length === 0) {
    warn('no schedule of the job has an EventBridge Scheduler form', 'left out');
    return [];
  }
  settingNotes(job, warn);
  const secrets = Object.entries(exportedEnv(job)).filter(([, value]) => value instanceof Secret);
  if (secrets.length > 0)
    warn(
      `${secrets.map(([name]) => name).join(', ')} ${secrets.length === 1 ? 'is a secret' : 'are secrets'}`,
      'not written: give the task definition a secrets entry of that name (Secrets Manager or SSM Parameter Store)',
    );
  if (commands.length > 1)
    warn(`fan-out over ${commands.length} keys`, 'one schedule per key, its values substituted');
  const unfilled = [...new Set(commands.flatMap((command) => command.unfilled))];
  if (unfilled.length > 0)
    warn(
      `${unfilled.map((name) => `{${name}}`).join(', ')} is filled by cronplane at each run`,
      'left as written in the command',
    );

  const files: ExportedFile[] = [];
  const renamed = new Set<string>();
  for (const command of commands) {
    const key = Object.values(command.params).join('-');
    expressions.forEach((schedule, index) => {
      const wanted = [
        job.name,
        ...(key === '' ? [] : [key]),
        ...(index === 0 ? [] : [String(index + 1)]),
      ].join('-');
      const name = scheduleName(wanted, taken);
      if (name !== wanted) renamed.add(`"${wanted}" as ${name}`);
      const input = scheduleInput(job, name, schedule, command);
      files.push({ path: `${name}.json`, text: `${JSON.stringify(input, null, 2)}\n` });
    });
  }
  if (renamed.size > 0)
    warn(
      'a schedule name takes at most 64 of [0-9a-zA-Z-_.], and is unique',
      `named ${[...renamed].join(', ')}`,
    );
  return files;
}

function scheduleInput(
  job: ResolvedJob,
  name: string,
  schedule: SchedulerExpression,
  command: CommandForKey,
): Record<string, unknown> {
  const argv = command.shell ? ['/bin/sh', '-c', command.argv[0] ?? ''] : [...command.argv];
  const environment = Object.entries(exportedEnv(job)).flatMap(([variable, value]) =>
    value instanceof Secret ? [] : [{ name: variable, value: substitutePlaceholders(value, command.params) }],
  );
  const runTask = {
    cluster: eventBridgePlaceholders.cluster,
    taskDefinition: eventBridgePlaceholders.taskDefinition,
    overrides: {
      containerOverrides: [
        {
          name: eventBridgePlaceholders.container,
          command: argv,
          ...(environment.length === 0 ? {} : { environment }),
        },
      ],
    },
  };
  const description = job.description ?? `cronplane job ${job.name}`;
  return {
    Name: name,
    Description: description.slice(0, maxDescription),
    ScheduleExpression: schedule.expression,
    ScheduleExpressionTimezone: schedule.timezone,
    FlexibleTimeWindow:
      job.randomizedDelayMs > 0
        ? {
            Mode: 'FLEXIBLE',
            MaximumWindowInMinutes: windowMinutes(job.randomizedDelayMs),
          }
        : { Mode: 'OFF' },
    State: job.enabled ? 'ENABLED' : 'DISABLED',
    Target: {
      Arn: ecsRunTaskArn,
      RoleArn: eventBridgePlaceholders.roleArn,
      Input: JSON.stringify(runTask),
      RetryPolicy: {
        MaximumRetryAttempts: Math.min(maxRetryAttempts, job.retry.attempts - 1),
        ...(job.startDeadlineMs === undefined
          ? {}
          : { MaximumEventAgeInSeconds: eventAge(job.startDeadlineMs) }),
      },
    },
  };
}

/** A randomized delay as a flexible window: whole minutes, 1 to 1440. */
function windowMinutes(ms: number): number {
  return Math.min(maxWindowMinutes, Math.ceil(ms / 60_000));
}

/** A start deadline as the age after which EventBridge stops trying: whole seconds, 60 to 86400. */
function eventAge(ms: number): number {
  return Math.min(eventAgeSeconds.max, Math.max(eventAgeSeconds.min, Math.ceil(ms / 1000)));
}

/** What the job sets that a schedule and its RunTask call carry only in part, or not at all. */
function settingNotes(job: ResolvedJob, warn: (message: string, action: string) => void): void {
  if (job.retry.attempts > 1)
    warn(
      `retries (${job.retry.attempts} attempts): EventBridge retries the RunTask call when it cannot be delivered, not a run that fails`,
      `RetryPolicy.MaximumRetryAttempts ${Math.min(maxRetryAttempts, job.retry.attempts - 1)}; the delay and back-off are left out`,
    );
  if (job.retry.attempts - 1 > maxRetryAttempts)
    warn(
      `more than ${maxRetryAttempts} retries`,
      `MaximumRetryAttempts ${maxRetryAttempts}, the most AWS allows`,
    );
  if (job.startDeadlineMs !== undefined && eventAge(job.startDeadlineMs) * 1000 !== job.startDeadlineMs)
    warn(
      'start_deadline is not a whole number of seconds from 60 to 86400',
      `RetryPolicy.MaximumEventAgeInSeconds ${eventAge(job.startDeadlineMs)}`,
    );
  if (job.randomizedDelayMs > 0 && job.randomizedDelayMs !== windowMinutes(job.randomizedDelayMs) * 60_000)
    warn(
      'randomized_delay is not a whole number of minutes up to 1440',
      `FlexibleTimeWindow.MaximumWindowInMinutes ${windowMinutes(job.randomizedDelayMs)}`,
    );
  if (job.concurrency !== 'allow')
    warn(
      `concurrency: ${job.concurrency} — EventBridge starts a task at every fire, even while an earlier run still runs`,
      'runs may overlap, as with concurrency: allow',
    );
  const taskDefinition: string[] = [];
  if (job.cwd !== undefined) taskDefinition.push('cwd (workingDirectory)');
  if (job.user !== undefined) taskDefinition.push('user');
  if (job.group !== undefined) taskDefinition.push('group');
  if (job.envFiles.length > 0) taskDefinition.push('env files (environmentFiles)');
  if (Object.keys(job.limits).length > 0) taskDefinition.push('limits (cpu, memory, ulimits)');
  if (taskDefinition.length > 0)
    warn(
      `a RunTask override cannot say ${taskDefinition.join(', ')}`,
      'left out: set them in the task definition',
    );
  const lost: string[] = [];
  if (job.guards.size > 0) lost.push(`guards (${[...job.guards.keys()].join(', ')})`);
  if (Object.values(job.notify).some((channels) => channels.length > 0)) lost.push('alert routing (notify)');
  const watch = watchRulesLabel(job);
  if (watch !== undefined) lost.push(watch);
  if (setsAlert(job)) lost.push('alert evidence (alert:)');
  if (job.queue !== undefined) lost.push('queue limits');
  if (job.timeoutMs !== undefined) lost.push('timeout');
  if (job.maxRuntimeMs !== undefined) lost.push('max_runtime');
  if (job.condition !== undefined) lost.push('condition');
  if (job.exitCodes.size > 0) lost.push('exit_codes');
  if (job.after.length > 0) lost.push(`after (${job.after.join(', ')})`);
  if (job.maxParallel !== undefined) lost.push('max_parallel');
  if (job.cooldownMs !== undefined) lost.push('cooldown');
  if (job.log.file !== undefined) lost.push('log.file');
  if (job.dryRun) lost.push('dry_run');
  if (job.nodeTags.length > 0) lost.push('node_tags');
  if (lost.length > 0)
    warn(
      `EventBridge Scheduler cannot say ${lost.join(', ')}`,
      'left out: only the cronplane daemon acts on them; the task runs the command alone',
    );
}
