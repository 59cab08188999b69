/**
 * The Docker Compose exporter: compose.yaml in the shape seed 002 deploys (alpine, crond in the
 * foreground, a crontab mounted at /etc/crontabs/root) checked against the Compose specification's
 * rules for the parts it writes, the crontab the crontab exporter writes for BusyBox, the zone, the
 * environment (secrets as required variables, never their values) and the warnings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { composeExporter, crontabFor } from '../../src/interop/index.ts';
import type { ExportResult } from '../../src/interop/index.ts';
import { loadJob, loadJobs } from './export-fixtures.ts';
import { assertPreStepsGuardTheCommand } from './pre-steps-check.ts';

interface ComposeService {
  image: string;
  command: string[];
  environment: Record<string, string>;
  env_file?: { path: string; required: boolean }[];
  volumes: string[];
  restart: string;
}

// The Compose specification (compose-spec.json) for the keys this exporter writes: no npm package
// that ships the schema is kept up to date, so the rules are checked here.
const topLevelKeys = [
  'version',
  'name',
  'include',
  'services',
  'networks',
  'volumes',
  'secrets',
  'configs',
  'models',
];
const serviceKeys = ['image', 'command', 'environment', 'env_file', 'volumes', 'restart'];
const restartPolicies = ['no', 'always', 'on-failure', 'unless-stopped'];

/** compose.yaml parsed, checked against the specification's rules for what is used; its one service. */
function composeService(result: ExportResult): ComposeService {
  const text = result.files.find((file) => file.path === 'compose.yaml')?.text;
  assert.ok(text !== undefined, 'compose.yaml is written');
  const doc = parse(text) as Record<string, unknown>;
  for (const key of Object.keys(doc)) assert.ok(topLevelKeys.includes(key) || key.startsWith('x-'), key);
  const services = doc['services'] as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(services), ['cron']);
  const service = services['cron'] ?? {};
  for (const key of Object.keys(service)) assert.ok(serviceKeys.includes(key), `service key ${key}`);
  assert.equal(typeof service['image'], 'string');
  const command = service['command'];
  assert.ok(
    Array.isArray(command) && command.every((word) => typeof word === 'string'),
    'command: a list of strings',
  );
  const environment = service['environment'] as Record<string, unknown>;
  for (const [name, value] of Object.entries(environment)) {
    assert.match(name, /^[A-Za-z_][A-Za-z0-9_]*$/);
    assert.equal(typeof value, 'string', `environment.${name} is a string`);
    // Compose interpolates $: a literal one is $$, a variable ${NAME} or ${NAME:?message}.
    assert.doesNotMatch(
      (value as string).replaceAll('$$', ''),
      /\$(?!\{[A-Za-z_][A-Za-z0-9_]*(:\?[^}]*)?\})/,
    );
  }
  const volumes = service['volumes'] as unknown[];
  for (const volume of volumes) assert.match(String(volume), /^\.\/[^:]+:\/[^:]+(:(ro|rw))?$/);
  for (const file of (service['env_file'] as unknown[] | undefined) ?? [])
    assert.deepEqual(Object.keys(file as object).sort(), ['path', 'required']);
  assert.ok(restartPolicies.includes(String(service['restart'])));
  return service as unknown as ComposeService;
}

const crontabOf = (result: ExportResult) =>
  result.files.find((file) => file.path === 'cron/crontab')?.text ?? '';
const warningsOf = (result: ExportResult) =>
  result.warnings.map((w) => `${w.message} (${w.action})`).join('\n');

/** Seed 002's workers as cronplane HTTP jobs, their bearer token a secret. */
const seedJobs = [
  '  reset-credits:',
  '    description: Daily credit reset (midnight UTC)',
  '    schedule: "0 0 * * *"',
  '    http: { url: "http://api-gateway:3003/api/v1/workers/reset-credits", bearer: "s3cr3t-token" }',
  '  aggregate-hourly:',
  '    schedule: "0 * * * *"',
  '    http: { url: "http://api-gateway:3003/api/v1/workers/aggregate-hourly", bearer: "s3cr3t-token" }',
  '  orchestration-cleanup:',
  '    schedule: "0 8 * * 0"',
  '    http:',
  '      url: "http://api-gateway:3003/api/v1/workers/orchestration/cleanup"',
  '      bearer: "s3cr3t-token"',
  '      body: { retentionDays: 30 }',
  '',
].join('\n');

describe('compose exporter: seed 002 (api-gateway workers from a Compose cron service)', () => {
  const { config, file } = loadJobs(seedJobs);
  const result = composeExporter.exportJobs(config.jobs, { configPath: file });

  it("writes compose.yaml and cron/crontab, the crontab mounted where BusyBox crond reads root's", () => {
    assert.deepEqual(
      result.files.map((f) => f.path),
      ['compose.yaml', 'cron/crontab'],
    );
    const service = composeService(result);
    assert.equal(service.image, 'alpine:3');
    assert.deepEqual(service.volumes, ['./cron/crontab:/etc/crontabs/root:ro']);
    assert.match(service.command.join(' '), /apk add --no-cache curl && exec crond -f -d 8$/);
  });

  it('passes the bearer token as a required variable, never its value', () => {
    const service = composeService(result);
    assert.equal(
      service.environment['CRON_SECRET'],
      '${CRON_SECRET:?set CRON_SECRET in the environment of docker compose}',
    );
    assert.equal(service.environment['TZ'], 'UTC');
    assert.doesNotMatch(JSON.stringify(result), /s3cr3t-token/);
    assert.match(warningsOf(result), /CRON_SECRET is a secret/);
  });

  it('writes the crontab the crontab exporter writes for BusyBox: curl lines, no CRON_TZ or NAME= lines', () => {
    const { text } = crontabFor(config.jobs, { configPath: file }, 'busybox', 'compose');
    assert.equal(crontabOf(result), text);
    const entries = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    assert.equal(entries.length, 3);
    for (const entry of entries)
      assert.match(entry, /^[0-9*]+ [0-9*]+ \* \* [0-9*]+ curl .*"\$CRON_SECRET" /);
  });
});

describe('compose exporter: zone, environment and warnings', () => {
  const exportOne = (lines: string, top?: string) => {
    const indented = lines
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n');
    const { config, file } = loadJobs(`  nightly:\n${indented}\n`, top);
    return composeExporter.exportJobs(config.jobs, { configPath: file });
  };

  it('runs crond in the zone every job shares, with tzdata, and writes no CRON_TZ', () => {
    const result = exportOne('schedule: "30 2 * * *"\nrun: backup', 'timezone: Europe/Berlin');
    const service = composeService(result);
    assert.equal(service.environment['TZ'], 'Europe/Berlin');
    assert.match(service.command.join(' '), /apk add --no-cache tzdata/);
    assert.doesNotMatch(crontabOf(result), /CRON_TZ/);
    assert.match(crontabOf(result), /^30 2 \* \* \* backup$/m);
  });

  it('warns about the jobs of a second zone, whose lines fire at their wall times in the first', () => {
    const { config, file } = loadJobs(
      [
        '  a: { schedule: "0 2 * * *", run: a, timezone: Europe/Berlin }',
        '  b: { schedule: "0 3 * * *", run: b, timezone: Europe/Berlin }',
        '  c: { schedule: "0 4 * * *", run: c, timezone: America/New_York }',
        '  d: { schedule: every 15m, run: d, timezone: Asia/Tokyo }',
        '',
      ].join('\n'),
    );
    const result = composeExporter.exportJobs(config.jobs, { configPath: file });
    assert.equal(composeService(result).environment['TZ'], 'Europe/Berlin');
    const zoned = result.warnings.filter((w) => /read in America\/New_York/.test(w.message));
    assert.deepEqual(
      zoned.map((w) => w.job),
      ['c'],
    );
  });

  it('passes env as the service environment: $ written $$, a secret as a required variable, env files listed', () => {
    const result = exportOne(
      'schedule: "0 2 * * *"\nrun: backup\nenv: { PRICE: "5$", TOKEN: { secret: "tok-value" } }\nenv_file: ["-/etc/backup.env"]',
    );
    const service = composeService(result);
    assert.equal(service.environment['PRICE'], '5$$');
    assert.match(service.environment['TOKEN'] ?? '', /^\$\{TOKEN:\?/);
    assert.deepEqual(service.env_file, [{ path: '/etc/backup.env', required: false }]);
    assert.doesNotMatch(JSON.stringify(result), /tok-value/);
    assert.doesNotMatch(crontabOf(result), /PRICE=/);
  });

  it('keeps the first value of a variable two jobs set differently, with a warning', () => {
    const { config, file } = loadJobs(
      '  a: { schedule: "0 2 * * *", run: a, env: { MODE: fast } }\n  b: { schedule: "0 3 * * *", run: b, env: { MODE: slow } }\n',
    );
    const result = composeExporter.exportJobs(config.jobs, { configPath: file });
    assert.equal(composeService(result).environment['MODE'], 'fast');
    assert.match(warningsOf(result), /MODE has another value in an earlier job/);
  });

  it('writes a shell line as it is, % unescaped: BusyBox crond hands the line to sh untouched', () => {
    const result = exportOne('schedule: "0 2 * * *"\nshell: true\nrun: "date +%F > /tmp/d"');
    assert.match(crontabOf(result), /^0 2 \* \* \* date \+%F > \/tmp\/d$/m);
    assert.doesNotMatch(warningsOf(result), /holds %/);
  });

  it('warns that the image must hold the commands, and that @reboot means the container start', () => {
    const result = exportOne('schedule: "@reboot"\nrun: backup\nuser: app');
    const warnings = warningsOf(result);
    assert.match(warnings, /alpine:3 holds BusyBox and little else/);
    assert.match(warnings, /runs once when the container starts/);
    assert.match(warnings, /user: app \(the crontab is root's/);
    assert.deepEqual(composeService(result).command, ['crond', '-f', '-d', '8']);
  });
});

describe('compose exporter: pre steps and the dry-run variable', () => {
  it('joins the pre: steps before the command in the crontab line: BusyBox crond hands it to sh, which does not run it when a step fails', () => {
    assertPreStepsGuardTheCommand((lines) => {
      const { job, file } = loadJob(lines);
      const line = crontabOf(composeExporter.exportJobs([job], { configPath: file }))
        .split('\n')
        .find((each) => each.startsWith('0 3 * * * '));
      assert.ok(line !== undefined);
      return ['/bin/sh', '-c', line.slice('0 3 * * * '.length)];
    });
  });

  it('sets the dry_run.env variable in the service environment at the value a scheduled run gets', () => {
    const { job, file } = loadJob(
      'schedule: "0 3 * * *"\nrun: clean\ndry_run: { default: true, env: CLEANER_DRY_RUN }',
    );
    const service = composeService(composeExporter.exportJobs([job], { configPath: file }));
    assert.equal(service.environment['CLEANER_DRY_RUN'], 'true');
  });
});
