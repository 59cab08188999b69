/**
 * The EventBridge Scheduler exporter: a grammar checker written from AWS's documentation (with
 * its own table of valid and invalid expressions) that every exported expression passes; one case
 * per construct; the next 100 fires of every exported cron()/at(), computed by a test-side reader
 * of AWS's rules, equal to cronplane's own; and the seed that runs on Lambda `rate(1 minute)`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { compileSchedule } from '../../src/calendar/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import {
  createCrontabImporter,
  ecsRunTaskArn,
  eventBridgeExporter,
  eventBridgePlaceholders,
} from '../../src/interop/index.ts';
import type { ExportResult } from '../../src/interop/index.ts';
import { awsFires } from './aws-cron-fires.ts';
import { refusal } from './aws-expression-grammar.ts';
import { loadJob, loadJobs } from './export-fixtures.ts';
import { assertPreStepsGuardTheCommand } from './pre-steps-check.ts';
import { loadResult } from './job-file-from-result.ts';
import { seedBlocks } from './seed-blocks.ts';

interface ScheduleInput {
  readonly Name: string;
  readonly Description: string;
  readonly ScheduleExpression: string;
  readonly ScheduleExpressionTimezone: string;
  readonly FlexibleTimeWindow: { readonly Mode: string; readonly MaximumWindowInMinutes?: number };
  readonly State: string;
  readonly Target: {
    readonly Arn: string;
    readonly RoleArn: string;
    readonly Input: string;
    readonly RetryPolicy: {
      readonly MaximumRetryAttempts: number;
      readonly MaximumEventAgeInSeconds?: number;
    };
  };
}

interface RunTask {
  readonly cluster: string;
  readonly taskDefinition: string;
  readonly overrides: {
    readonly containerOverrides: readonly {
      readonly name: string;
      readonly command: readonly string[];
      readonly environment?: readonly { readonly name: string; readonly value: string }[];
    }[];
  };
}

/** Every expression any test exported, for the check that all of them pass the grammar. */
const exportedExpressions = new Set<string>();

function jobsOf(jobs: Record<string, unknown>): ResolvedJob[] {
  const { config } = loadJobs(
    stringify(jobs)
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n'),
  );
  return [...config.jobs];
}

/** The job's schedules: each file parsed, and checked as create-schedule would take it. */
function exported(entry: Record<string, unknown>, name = 'job'): ExportResult & { inputs: ScheduleInput[] } {
  const result = eventBridgeExporter.exportJobs(jobsOf({ [name]: entry }), { configPath: '/x.yaml' });
  return { ...result, inputs: result.files.map((file) => checkedInput(file.path, file.text)) };
}

function checkedInput(filePath: string, text: string): ScheduleInput {
  const input = JSON.parse(text) as ScheduleInput;
  assert.equal(filePath, `${input.Name}.json`);
  assert.match(input.Name, /^[0-9a-zA-Z_.-]{1,64}$/);
  assert.ok(input.Description.length <= 512);
  assert.ok(['ENABLED', 'DISABLED'].includes(input.State));
  assert.ok(['OFF', 'FLEXIBLE'].includes(input.FlexibleTimeWindow.Mode));
  if (input.FlexibleTimeWindow.Mode === 'FLEXIBLE') {
    const window = input.FlexibleTimeWindow.MaximumWindowInMinutes ?? 0;
    assert.ok(Number.isInteger(window) && window >= 1 && window <= 1440);
  }
  assert.doesNotThrow(() => new Intl.DateTimeFormat('en', { timeZone: input.ScheduleExpressionTimezone }));
  assert.match(input.Target.RoleArn, /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/);
  const retries = input.Target.RetryPolicy.MaximumRetryAttempts;
  assert.ok(Number.isInteger(retries) && retries >= 0 && retries <= 185);
  const age = input.Target.RetryPolicy.MaximumEventAgeInSeconds;
  if (age !== undefined) assert.ok(Number.isInteger(age) && age >= 60 && age <= 86_400);
  assert.equal(refusal(input.ScheduleExpression), undefined, input.ScheduleExpression);
  exportedExpressions.add(input.ScheduleExpression);
  return input;
}

function runTaskOf(input: ScheduleInput): RunTask {
  return JSON.parse(input.Target.Input) as RunTask;
}

const warningsOf = (result: ExportResult) =>
  result.warnings.map((warning) => `${warning.message} -> ${warning.action}`).join('\n');

const base = { schedule: '0 2 * * *', run: ['/bin/true'], timezone: 'UTC' };

describe('the AWS grammar checker, from the documentation', () => {
  const valid = [
    'cron(0 10 * * ? *)',
    'cron(15 12 * * ? *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0/10 * ? * MON-FRI *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
    'cron(0 9 ? * 2#1 *)',
    'cron(* * * * ? *)',
    'cron(0 0 L * ? *)',
    'cron(0 0 3W * ? *)',
    'cron(0 12 ? * L *)',
    'cron(0 0 1 JAN,FEB,MAR ? 2030-2032)',
    'cron(0 0 ? * SUN,7 1970/5)',
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(7 days)',
    'at(2030-11-20T13:00:00)',
  ];
  const invalid: [string, RegExp][] = [
    ['cron(0 10 * * * *)', /exactly one of day-of-month and day-of-week is \?/],
    ['cron(0 10 ? * ? *)', /exactly one/],
    ['cron(0 10 1 * 2 *)', /exactly one/],
    ['cron(0 18 ? * 0 *)', /day-of-week "0"/],
    ['cron(0 18 ? * 8 *)', /day-of-week "8"/],
    ['cron(60 * * * ? *)', /minutes "60"/],
    ['cron(0 24 * * ? *)', /hours "24"/],
    ['cron(0 0 32 * ? *)', /day-of-month "32"/],
    ['cron(0 0 * 13 ? *)', /month "13"/],
    ['cron(0 0 * * ? 1969)', /year "1969"/],
    ['cron(0 0 * * ? 2200)', /year "2200"/],
    ['cron(0 0 ? * 3#1,6#3 *)', /one n#k/],
    ['cron(0 0 ? * 1/2 *)', /\/ is not among its wildcards/],
    ['cron(0 0 L-2 * ? *)', /day-of-month "L-2"/],
    ['cron(0 0 LW * ? *)', /nW stands alone/],
    ['cron(0 0 ? * 6L *)', /day-of-week "6L"/],
    ['cron(0 0 1,L * ? *)', /day-of-month "1,L"/],
    ['cron(0 0 1-20/3 * ? *)', /day-of-month "1-20\/3"/],
    ['cron(0 0 * *)', /six fields/],
    ['cron(0 0 0 * * ? *)', /six fields/],
    ['rate(1 minutes)', /singular for 1/],
    ['rate(5 minute)', /plural otherwise/],
    ['rate(0 minutes)', /positive/],
    ['rate(30 seconds)', /minute\(s\), hour\(s\) or day\(s\)/],
    ['rate(1.5 hours)', /rate\(value unit\)/],
    ['at(2030-02-30T00:00:00)', /no such date/],
    ['at(2030-01-01 00:00:00)', /yyyy-mm-ddThh:mm:ss/],
    ['every 5 minutes', /not cron\(\), rate\(\) or at\(\)/],
  ];
  for (const expression of valid)
    it(`accepts ${expression}`, () => assert.equal(refusal(expression), undefined));
  for (const [expression, reason] of invalid)
    it(`refuses ${expression}`, () => assert.match(refusal(expression) ?? 'accepted', reason));
});

interface Case {
  readonly name: string;
  readonly entry: Record<string, unknown>;
  readonly expressions: readonly string[];
  readonly timezones?: readonly string[];
  readonly warning?: readonly string[];
  readonly absent?: readonly string[];
}

const scheduleCases: readonly Case[] = [
  {
    name: 'a cron schedule is cron() with ? for the weekday',
    entry: base,
    expressions: ['cron(0 2 * * ? *)'],
  },
  {
    name: 'weekdays shift to 1-7 from Sunday',
    entry: { ...base, schedule: '*/15 9-17 * * 1-5' },
    expressions: ['cron(0/15 9-17 ? * 2-6 *)'],
  },
  {
    name: 'Sunday 0 is 1, Saturday 6 is 7',
    entry: { ...base, schedule: '0 0 * * 0,6' },
    expressions: ['cron(0 0 ? * 1,7 *)'],
  },
  {
    name: 'day of month OR weekday becomes two schedules',
    entry: { ...base, schedule: '0 0 13 * 5' },
    expressions: ['cron(0 0 13 * ? *)', 'cron(0 0 ? * 6 *)'],
    warning: ['OR the weekday', 'both invoke the target'],
  },
  {
    name: 'the zone is ScheduleExpressionTimezone; 06:30 never meets a clock change',
    entry: { ...base, schedule: '30 6 * * 1-5', timezone: 'Europe/Berlin' },
    expressions: ['cron(30 6 ? * 2-6 *)'],
    timezones: ['Europe/Berlin'],
    absent: ['springs forward'],
  },
  {
    name: "a cron time in the hour the clock changes is warned about: cron's rule and AWS's differ there",
    entry: { ...base, schedule: '30 2 * * *', timezone: 'Europe/Berlin' },
    expressions: ['cron(30 2 * * ? *)'],
    timezones: ['Europe/Berlin'],
    warning: [
      'fires at 02:xx, when the Europe/Berlin clock springs forward or falls back',
      'runs a repeated time once',
    ],
  },
  {
    name: 'a systemd calendar keeps its zone and needs no daylight-saving warning',
    entry: { ...base, schedule: 'Mon..Fri *-*-* 06:30:00 America/New_York' },
    expressions: ['cron(30 6 ? * 2-6 *)'],
    timezones: ['America/New_York'],
  },
  {
    name: 'an AWS cron is given back as written',
    entry: { ...base, schedule: 'cron(0 9 ? * 2#1 *)' },
    expressions: ['cron(0 9 ? * 2#1 *)'],
  },
  {
    name: 'the last day of the month is L',
    entry: { ...base, schedule: '0 0 L * *' },
    expressions: ['cron(0 0 L * ? *)'],
  },
  {
    name: "systemd's last day ~01 is L",
    entry: { ...base, schedule: '*-*~01 00:00:00' },
    expressions: ['cron(0 0 L * ? *)'],
  },
  {
    name: 'the weekday nearest the 15th is 15W',
    entry: { ...base, schedule: 'cron(0 8 15W * ? *)' },
    expressions: ['cron(0 8 15W * ? *)'],
  },
  {
    name: 'a stepped range that stops early is a list',
    entry: { ...base, schedule: '0 0 1-20/5 * *' },
    expressions: ['cron(0 0 1,6,11,16 * ? *)'],
  },
  {
    name: 'a stepped weekday is a list',
    entry: { ...base, schedule: '0 0 * * */2' },
    expressions: ['cron(0 0 ? * 1,3,5,7 *)'],
  },
  {
    name: 'a yearly date',
    entry: { ...base, schedule: '*-01-01 00:00:00' },
    expressions: ['cron(0 0 1 1 ? *)'],
  },
  {
    name: 'a single instant is at()',
    entry: { ...base, schedule: '2030-03-01 09:30:00', timezone: 'Asia/Kolkata' },
    expressions: ['at(2030-03-01T09:30:00)'],
    timezones: ['Asia/Kolkata'],
  },
  {
    name: 'rate(1 minute) is given back as written',
    entry: { ...base, schedule: 'rate(1 minute)' },
    expressions: ['rate(1 minute)'],
  },
  {
    name: 'every 15m is rate(15 minutes), with the phase warned about',
    entry: { ...base, schedule: 'every 15m' },
    expressions: ['rate(15 minutes)'],
    warning: ['StartDate', 'not the same instants'],
  },
  {
    name: 'every 1h is rate(1 hour), every 2d rate(2 days)',
    entry: { ...base, schedule: ['every 1h', 'every 2d'] },
    expressions: ['rate(1 hour)', 'rate(2 days)'],
    warning: ['rate(1 hour) counts from', 'rate(2 days) counts from'],
  },
];

const leftOutCases: readonly (readonly [string, string, string])[] = [
  [
    'every 30s',
    'fires 2 times a minute; the shortest EventBridge Scheduler period is rate(1 minute)',
    'sub-minute',
  ],
  ['*/20 * * * * *', 'fires 3 times a minute', 'seconds in cron'],
  ['*-*-* 04:00:30', 'at second 30; EventBridge Scheduler has no seconds field', 'a second other than 0'],
  ['every 90s', 'not a whole number of minutes', 'an interval of odd seconds'],
  ['@reboot', 'no start-up trigger', 'the start-up schedule'],
  [
    'Fri *-*-13 00:00:00',
    'cannot restrict both day-of-month and day-of-week',
    'a weekday AND a day of month',
  ],
  ['0 0 */2 * 1', 'cannot restrict both', "Vixie's AND when a day field starts with *"],
  ['0 0 L-2 * *', 'only L and nW', 'L-n'],
  ['0 0 * * 5L', 'not nL', 'the last Friday'],
];

describe('eventbridge exporter: schedules', () => {
  for (const item of scheduleCases) {
    it(item.name, () => {
      const result = exported(item.entry);
      assert.deepEqual(
        result.inputs.map((input) => input.ScheduleExpression),
        item.expressions,
      );
      for (const input of result.inputs)
        assert.equal(input.ScheduleExpressionTimezone, item.timezones?.[0] ?? 'UTC');
      const warnings = warningsOf(result);
      for (const text of item.warning ?? []) assert.ok(warnings.includes(text), `${text} in\n${warnings}`);
      for (const text of item.absent ?? []) assert.ok(!warnings.includes(text), `no ${text} in\n${warnings}`);
    });
  }

  for (const [schedule, reason, title] of leftOutCases) {
    it(`leaves out ${title} with a warning saying why`, () => {
      const result = exported({ ...base, schedule: [schedule, '0 3 * * *'] });
      assert.deepEqual(
        result.inputs.map((input) => input.ScheduleExpression),
        ['cron(0 3 * * ? *)'],
      );
      const warning = result.warnings.find((w) => w.message.startsWith(`schedule "${schedule}"`));
      assert.ok(warning !== undefined, warningsOf(result));
      assert.ok(warning.message.includes(reason), warning.message);
      assert.equal(warning.action, 'left out');
    });
  }

  it('leaves out a job none of whose schedules has a form', () => {
    const result = exported({ ...base, schedule: 'every 30s' });
    assert.deepEqual(result.files, []);
    assert.match(warningsOf(result), /no schedule of the job has an EventBridge Scheduler form/);
  });
});

describe('eventbridge exporter: the target and the settings', () => {
  it('runs argv as the command of an ECS RunTask universal target with placeholders, env kept, secret never written', () => {
    const { inputs, warnings } = exported({
      ...base,
      run: ['/usr/bin/backup', '--to', 'a b'],
      env: { PGHOST: 'db.local', TOKEN: { secret: 's3cr3t-value' } },
    });
    const input = inputs[0];
    assert.ok(input !== undefined);
    assert.equal(input.Target.Arn, ecsRunTaskArn);
    assert.equal(input.Target.RoleArn, eventBridgePlaceholders.roleArn);
    assert.deepEqual(runTaskOf(input), {
      cluster: eventBridgePlaceholders.cluster,
      taskDefinition: eventBridgePlaceholders.taskDefinition,
      overrides: {
        containerOverrides: [
          {
            name: eventBridgePlaceholders.container,
            command: ['/usr/bin/backup', '--to', 'a b'],
            environment: [{ name: 'PGHOST', value: 'db.local' }],
          },
        ],
      },
    });
    assert.doesNotMatch(JSON.stringify({ inputs, warnings }), /s3cr3t-value/);
    const text = warnings.map((w) => `${w.job}: ${w.message} -> ${w.action}`).join('\n');
    assert.match(text, /job: TOKEN is a secret -> not written: give the task definition a secrets entry/);
    assert.match(text, /null: every target names placeholders/);
  });

  it('runs a shell line as /bin/sh -c', () => {
    const { inputs } = exported({ ...base, run: 'cd /srv && ./sync | logger', shell: true });
    assert.deepEqual(runTaskOf(inputs[0] as ScheduleInput).overrides.containerOverrides[0]?.command, [
      '/bin/sh',
      '-c',
      'cd /srv && ./sync | logger',
    ]);
  });

  it('writes one schedule per fan-out key and schedule, named job-key-2, values substituted', () => {
    const { inputs, warnings } = exported({
      ...base,
      schedule: ['0 2 * * *', '0 14 * * *'],
      run: ['report', '--tenant', '{tenant}'],
      env: { TENANT: '{tenant}' },
      for_each: { tenant: ['acme', 'globex'] },
    });
    assert.deepEqual(
      inputs.map((input) => [
        input.Name,
        input.ScheduleExpression,
        runTaskOf(input).overrides.containerOverrides[0]?.command.at(-1),
      ]),
      [
        ['job-acme', 'cron(0 2 * * ? *)', 'acme'],
        ['job-acme-2', 'cron(0 14 * * ? *)', 'acme'],
        ['job-globex', 'cron(0 2 * * ? *)', 'globex'],
        ['job-globex-2', 'cron(0 14 * * ? *)', 'globex'],
      ],
    );
    assert.deepEqual(runTaskOf(inputs[2] as ScheduleInput).overrides.containerOverrides[0]?.environment, [
      { name: 'TENANT', value: 'globex' },
    ]);
    assert.ok(warnings.some((w) => w.message === 'fan-out over 2 keys'));
  });

  it('names a schedule in [0-9a-zA-Z-_.], at most 64 characters, unique', () => {
    const long = 'n'.repeat(70);
    const { inputs, warnings } = exported(
      { ...base, run: ['x', '{k}'], for_each: { k: ['a b', 'a/b'] } },
      long,
    );
    assert.deepEqual(
      inputs.map((input) => input.Name),
      ['n'.repeat(64), `${'n'.repeat(62)}-2`],
    );
    assert.match(warningsOf({ files: [], warnings }), /at most 64 of \[0-9a-zA-Z-_.\]/);
  });

  it('maps enabled, randomized_delay, retries and start_deadline', () => {
    const { inputs, warnings } = exported({
      ...base,
      enabled: false,
      randomized_delay: '90s',
      retry: { attempts: 4, delay: '1m' },
      start_deadline: '10m',
      concurrency: 'allow',
    });
    const input = inputs[0] as ScheduleInput;
    assert.equal(input.State, 'DISABLED');
    assert.deepEqual(input.FlexibleTimeWindow, { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 2 });
    assert.deepEqual(input.Target.RetryPolicy, { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 });
    const text = warningsOf({ files: [], warnings });
    assert.match(text, /not a run that fails -> RetryPolicy.MaximumRetryAttempts 3/);
    assert.match(text, /randomized_delay is not a whole number of minutes.*MaximumWindowInMinutes 2/);
    assert.doesNotMatch(text, /concurrency/);
  });

  it('writes Mode OFF and no retries for a plain job', () => {
    const input = exported({ ...base, concurrency: 'allow' }).inputs[0] as ScheduleInput;
    assert.deepEqual(input.FlexibleTimeWindow, { Mode: 'OFF' });
    assert.deepEqual(input.Target.RetryPolicy, { MaximumRetryAttempts: 0 });
    assert.equal(input.State, 'ENABLED');
    assert.equal(input.Description, 'cronplane job job');
  });

  it('warns for everything a schedule and its RunTask call cannot carry', () => {
    const { warnings } = exported({
      ...base,
      description: 'Nightly backup',
      cwd: '/srv',
      user: 'app',
      limits: { memory: '1G' },
      timeout: '10m',
      guards: { slow: { metric: 'ms', above: 5 } },
      condition: ['/usr/bin/test', '-e', '/tmp/go'],
      exit_codes: { 3: 'success' },
      notify: { failure: [] },
      watch: { consecutive_failures: 2 },
      dry_run: true,
    });
    const text = warningsOf({ files: [], warnings });
    assert.match(text, /concurrency: forbid — EventBridge starts a task at every fire/);
    assert.match(
      text,
      /a RunTask override cannot say cwd \(workingDirectory\), user, limits .* -> left out: set them in the task definition/,
    );
    assert.match(
      text,
      /EventBridge Scheduler cannot say guards \(slow\), watch rules \(consecutive_failures\), timeout, condition, exit_codes, dry_run -> left out: only the cronplane daemon acts on them/,
    );
  });

  it('leaves out an http job, pointing at API destinations', () => {
    const result = exported({ schedule: '@daily', http: { url: 'https://example.com/' } });
    assert.deepEqual(result.files, []);
    assert.match(warningsOf(result), /cannot call a URL itself -> left out: .*API destination/);
    assert.ok(!result.warnings.some((w) => w.job === null), 'no placeholder warning without a file');
  });
});

/** cronplane's own next fires of a job's schedules, merged. */
function ownFires(job: ResolvedJob, after: number, count: number): number[] {
  const fires = job.schedules.flatMap((schedule) =>
    compileSchedule(schedule.spec, { timezone: job.timezone }).upcoming(after, count),
  );
  return [...new Set(fires)].sort((a, b) => a - b).slice(0, count);
}

describe('eventbridge exporter: the next 100 fires equal cronplane’s own', () => {
  const fireCases: [string, string][] = [
    ['0 2 * * *', 'UTC'],
    ['*/15 9-17 * * 1-5', 'UTC'],
    ['0 0 13 * 5', 'UTC'],
    ['0 0 * * 0,6', 'UTC'],
    ['5 4 * * sun', 'UTC'],
    ['0 0 1-20/5 * *', 'UTC'],
    ['0 0 * * */2', 'UTC'],
    ['*/7 * * * *', 'UTC'],
    ['0 */5 * * *', 'UTC'],
    ['0 0 L * *', 'UTC'],
    ['*-*~01 12:00:00', 'UTC'],
    ['cron(0 8 15W * ? *)', 'UTC'],
    ['cron(0 8 1W * ? *)', 'UTC'],
    ['cron(0 9 ? * 2#1 *)', 'UTC'],
    ['cron(0 12 ? * L *)', 'UTC'],
    ['cron(0 0 1 JAN,JUL ? 2027-2199)', 'UTC'],
    ['Mon..Fri *-*-* 06:30:00', 'Europe/Berlin'],
    ['*:0/20', 'America/New_York'],
    ['0 9 * * 1-5', 'America/New_York'],
    ['30 6 1,15 * *', 'Australia/Sydney'],
    ['0 0 29 2 *', 'UTC'],
    ['2030-03-01 09:30:00', 'Asia/Kolkata'],
    ['cron(0 2 ? * SUN *)', 'Europe/London'],
    ['cron(30 1 * * ? *)', 'Europe/London'], // 29 March 2026: 01:30 does not exist, both skip it
  ];
  const start = Date.UTC(2026, 2, 1); // across the spring changes of Europe and the US
  for (const [schedule, timezone] of fireCases) {
    it(`${schedule} in ${timezone}`, () => {
      const [job] = jobsOf({ job: { ...base, schedule, timezone } });
      assert.ok(job !== undefined);
      const { inputs } = exported({ ...base, schedule, timezone });
      assert.ok(inputs.length > 0);
      const theirs = inputs.flatMap((input) =>
        awsFires(input.ScheduleExpression, input.ScheduleExpressionTimezone, start, 100),
      );
      const merged = [...new Set(theirs)].sort((a, b) => a - b).slice(0, 100);
      const ours = ownFires(job, start, 100);
      assert.ok(ours.length > 0);
      assert.deepEqual(
        merged.map((ms) => new Date(ms).toISOString()),
        ours.map((ms) => new Date(ms).toISOString()),
      );
    });
  }

  it('differs from a cron wildcard only in the hour the clock repeats, as the warning says', () => {
    const schedule = '*/30 * * * *';
    const timezone = 'Europe/Berlin';
    const [job] = jobsOf({ job: { ...base, schedule, timezone } });
    assert.ok(job !== undefined);
    const { inputs, warnings } = exported({ ...base, schedule, timezone });
    const autumn = Date.UTC(2026, 9, 24, 22); // the night of 25 October, clocks go back at 03:00
    const theirs = awsFires(inputs[0]?.ScheduleExpression ?? '', timezone, autumn, 100);
    const ours = ownFires(job, autumn, 102);
    const extra = ours.filter((ms) => !theirs.includes(ms));
    assert.deepEqual(
      extra.map((ms) => new Date(ms).toISOString()),
      ['2026-10-25T01:00:00.000Z', '2026-10-25T01:30:00.000Z'],
    );
    assert.match(warningsOf({ files: [], warnings }), /repeated time once/);
  });
});

describe('eventbridge exporter: seed 004 (the queue processor on Lambda rate(1 minute))', () => {
  const seed = '004_cd0830ecaa8fff70.txt';

  it(`${seed}: the serverless rate(1 minute) comes back as rate(1 minute), with no phase warning`, () => {
    const yaml = seedBlocks(seed).find((block) => block.language === 'yaml');
    const rate = /rate: (rate\([^)]*\))/.exec(yaml?.text ?? '')?.[1];
    assert.equal(rate, 'rate(1 minute)');
    const result = exported(
      {
        schedule: rate,
        run: ['python', '-m', 'GEPPPlatform.services.cores.transaction_audit.cron_process_audit_queue'],
      },
      'process-audit-queue',
    );
    assert.deepEqual(
      result.inputs.map((input) => input.ScheduleExpression),
      ['rate(1 minute)'],
    );
    assert.doesNotMatch(warningsOf(result), /counts from/);
  });

  it(`${seed}: its crontab lines (every minute, and the "every 30 seconds" pair) export as cron(* * * * ? *)`, () => {
    const file = path.join(import.meta.dirname, 'fixtures', 'seeds', 'ai-audit-queue.crontab');
    const imported = createCrontabImporter({ localTimeZone: () => 'UTC' }).importFiles([
      { path: file, text: readFileSync(file, 'utf8') },
    ]);
    const jobs = loadResult(imported).jobs;
    assert.equal(jobs.length, 3);
    const result = eventBridgeExporter.exportJobs(jobs, { configPath: file });
    const inputs = result.files.map((f) => checkedInput(f.path, f.text));
    assert.deepEqual(
      inputs.map((input) => input.ScheduleExpression),
      ['cron(* * * * ? *)', 'cron(* * * * ? *)', 'cron(* * * * ? *)'],
    );
    assert.equal(
      runTaskOf(inputs[2] as ScheduleInput).overrides.containerOverrides[0]?.command.join(' '),
      '/bin/sh -c sleep 30 && /path/to/script.sh',
    );
  });

  it(`${seed}: "every 30s", the schedule the pair stands for, is left out saying why`, () => {
    const result = exported({ schedule: 'every 30s', run: ['/path/to/script.sh'] });
    assert.deepEqual(result.files, []);
    assert.match(
      warningsOf(result),
      /"every 30s" fires 2 times a minute; the shortest EventBridge Scheduler period is rate\(1 minute\) \(cron\(\) faster than a minute is refused\) -> left out/,
    );
  });
});

describe('eventbridge exporter: every exported expression', () => {
  it('passes the grammar checker (checked as each was exported)', () => {
    assert.ok(exportedExpressions.size >= 30, `${exportedExpressions.size} expressions`);
    for (const expression of exportedExpressions) assert.equal(refusal(expression), undefined, expression);
  });
});

describe('EventBridge exporter: pre steps, dry-run variable, alert and skipped fires', () => {
  const inputsOf = (lines: string) => {
    const { job, file } = loadJob(lines);
    const result = eventBridgeExporter.exportJobs([job], { configPath: file });
    return { result, inputs: result.files.map((each) => checkedInput(each.path, each.text)) };
  };

  it("joins the pre: steps before the command in the container's /bin/sh -c line: it does not run when a step fails", () => {
    assertPreStepsGuardTheCommand((lines) => {
      const input = inputsOf(lines).inputs[0];
      assert.ok(input !== undefined);
      return runTaskOf(input).overrides.containerOverrides[0]?.command ?? [];
    });
  });

  it('passes the dry_run.env variable at the value a scheduled run gets', () => {
    const { inputs } = inputsOf(
      'schedule: "0 3 * * *"\nrun: clean\ndry_run: { env: APPLY, true: "0", false: "1" }',
    );
    const input = inputs[0];
    assert.ok(input !== undefined);
    assert.deepEqual(runTaskOf(input).overrides.containerOverrides[0]?.environment, [
      { name: 'APPLY', value: '1' },
    ]);
  });

  it('names alert: and watch.skipped_fires among what it cannot say', () => {
    const { result } = inputsOf(
      'schedule: "0 3 * * *"\nrun: clean\nalert: { output_bytes: 8K }\nwatch: { skipped_fires: 0 }',
    );
    assert.match(
      warningsOf(result),
      /EventBridge Scheduler cannot say watch rules \(skipped_fires\), alert evidence \(alert:\)/,
    );
  });
});
