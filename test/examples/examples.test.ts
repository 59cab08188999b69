import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { compileSchedule } from '../../src/calendar/index.ts';
import { loadJobFileText, readConfig, resolveConfig, Secret } from '../../src/config/index.ts';
import type { MaybeSecret, ResolvedConfig, ResolvedJob } from '../../src/config/index.ts';
import type { CommandTarget, HttpTarget } from '../../src/executors/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import type { EmailSettings, SlackSettings } from '../../src/notify/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
const examplesDir = path.join(root, 'examples');
const seedExamples = [
  'ai-mkt',
  'sigmak-drift',
  'api-gateway',
  'datapilot-cleanup',
  'ai-audit-queue',
] as const;
const exampleNames = readdirSync(examplesDir).filter((name) => existsSync(exampleFile(name)));

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function exampleFile(name: string): string {
  return path.join(examplesDir, name, 'cronplane.yaml');
}

/** An example read with no process environment: only its own env file and defaults count. */
function readExample(name: string, env: Record<string, string> = {}): ResolvedConfig {
  return readConfig(exampleFile(name), { kinds: builtinKinds, env });
}

/** An example with some of its text replaced, resolved as if it were the file itself. */
function readExampleVariant(name: string, from: string, to: string): ResolvedConfig {
  const file = exampleFile(name);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `examples/${name}/cronplane.yaml should contain ${JSON.stringify(from)}`);
  return resolveConfig(loadJobFileText(text.replace(from, to), file, { kinds: builtinKinds }));
}

function jobOf(config: ResolvedConfig, name: string): ResolvedJob {
  const job = config.jobs.find((candidate) => candidate.name === name);
  assert.ok(job, `expected a job named ${name}; found ${config.jobs.map((j) => j.name).join(', ')}`);
  return job;
}

function revealed(value: MaybeSecret | undefined): string | undefined {
  return value instanceof Secret ? value.reveal() : value;
}

/** The whole resolved config as JSON, maps included, the way an API answer or a log line would carry it. */
function serialize(config: ResolvedConfig): string {
  return JSON.stringify(config, (_key, value: unknown) =>
    value instanceof Map ? Object.fromEntries(value) : value,
  );
}

function assertHidden(config: ResolvedConfig, secret: string): void {
  assert.ok(!serialize(config).includes(secret), `the secret ${secret} shows in JSON`);
  assert.ok(!inspect(config, { depth: null }).includes(secret), `the secret ${secret} shows in util.inspect`);
}

const secretKeys = new Set(['bearer', 'webhook_url', 'routing_key', 'smtp_url', 'secret']);

/** Every value written under a key that is always secret, with its path, before substitution. */
function secretFields(node: unknown, at: string[]): [string, string][] {
  if (Array.isArray(node)) return node.flatMap((item, index) => secretFields(item, [...at, String(index)]));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]): [string, string][] =>
    secretKeys.has(key) && typeof value === 'string'
      ? [[[...at, key].join('.'), value]]
      : secretFields(value, [...at, key]),
  );
}

function httpTarget(job: ResolvedJob): HttpTarget {
  assert.equal(job.target.kind, 'http', `${job.name} should be an http job`);
  return job.target as HttpTarget;
}

function commandTarget(job: ResolvedJob): CommandTarget {
  assert.equal(job.target.kind, 'command', `${job.name} should be a command job`);
  return job.target as CommandTarget;
}

describe('every example job file', () => {
  it('has one folder per seed document and a quick start', () => {
    for (const name of [...seedExamples, 'quickstart'])
      assert.ok(exampleNames.includes(name), `examples/${name}`);
  });

  for (const name of exampleNames) {
    it(`examples/${name}/cronplane.yaml validates in process`, () => {
      const config = readExample(name);
      assert.ok(config.jobs.length > 0);
      for (const job of config.jobs)
        assert.ok(job.description !== undefined, `${job.name} has no description`);
    });

    it(`examples/${name}/cronplane.yaml passes \`cronplane validate\` with exit code 0`, () => {
      const result = spawnSync(
        path.join(root, 'node_modules/.bin/node'),
        ['bin/cronplane.js', 'validate', `examples/${name}/cronplane.yaml`],
        {
          cwd: root,
          encoding: 'utf8',
          env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
        },
      );
      assert.equal(result.status, 0, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
      assert.match(result.stdout, new RegExp(`examples/${name}/cronplane\\.yaml: ok, \\d+ jobs?`));
      for (const job of readExample(name).jobs)
        assert.match(result.stdout, new RegExp(`^  ${job.name}  `, 'm'));
    });

    it(`examples/${name}/README.md names every job of the file in its tables`, () => {
      const readme = readFileSync(path.join(examplesDir, name, 'README.md'), 'utf8');
      const tableLines = readme.split('\n').filter((line) => line.startsWith('|'));
      const config = readExample(name);
      for (const jobName of [...config.jobs.map((job) => job.name), ...config.monitors.map((m) => m.name)]) {
        assert.ok(
          tableLines.some((line) => line.includes(`\`${jobName}\``)),
          `examples/${name}/README.md: no table row names \`${jobName}\``,
        );
      }
    });

    it(`examples/${name} holds no secret itself: every secret field is a \${VAR} reference`, () => {
      const secrets = secretFields(parse(readFileSync(exampleFile(name), 'utf8')), []);
      for (const [where, value] of secrets) {
        assert.match(value, /^\$\{[A-Z_][A-Z0-9_]*(:-[^}]*)?\}$/, `${where} holds a literal value`);
      }
    });
  }
});

describe('the ai-mkt example (seed 000)', () => {
  it('fans each job out to the tenants of its env file, giving each run its own {tenant_id}', () => {
    const config = readExample('ai-mkt');
    assert.deepEqual(
      config.jobs.map((job) => job.name),
      ['ai-mkt-eval', 'ai-mkt-leakage', 'ai-mkt-anomaly'],
    );
    for (const job of config.jobs) {
      assert.deepEqual(job.fanOut, [{ tenant_id: 'tenant_a' }, { tenant_id: 'tenant_b' }], job.name);
      assert.equal(job.env['TENANTS'], '{tenant_id}', job.name);
      assert.equal(job.cwd, '/opt/ai-mkt');
      assert.equal(job.user, 'ai-mkt');
      assert.equal(job.group, 'ai-mkt');
      assert.deepEqual(commandTarget(job).argv.slice(0, 2), ['.venv/bin/python', '-m']);
      assert.deepEqual(
        job.schedules.map((schedule) => [schedule.text, schedule.spec.syntax]),
        [['*-*-* 02:00:00', 'systemd']],
      );
    }
    const leakage = jobOf(config, 'ai-mkt-leakage');
    assert.ok(leakage.env['EVAL_BEARER_TOKEN'] instanceof Secret);
    assert.equal(revealed(leakage.env['EVAL_BEARER_TOKEN']), 'Bearer {tenant_id}');
  });

  it('takes the tenant list from the environment before the env file', () => {
    const config = readExample('ai-mkt', { TENANTS: 'acme, globex ,initech' });
    assert.deepEqual(jobOf(config, 'ai-mkt-eval').fanOut, [
      { tenant_id: 'acme' },
      { tenant_id: 'globex' },
      { tenant_id: 'initech' },
    ]);
  });

  it('passes the env file and the documented defaults to every job, the database URL as a secret', () => {
    const config = readExample('ai-mkt');
    const anomaly = jobOf(config, 'ai-mkt-anomaly');
    assert.equal(revealed(anomaly.env['DATABASE_URL']), 'postgresql://user:pass@localhost:5432/ai_mkt');
    assert.ok(anomaly.env['DATABASE_URL'] instanceof Secret);
    assert.equal(anomaly.env['API_BASE'], 'https://api.example.com');
    assert.equal(anomaly.env['LOOKBACK_RUNS'], '10');
    assert.equal(anomaly.env['REFUSAL_SPIKE_ABS'], '0.05');
    assert.equal(anomaly.env['CITATION_DROP_ABS'], '0.1');
    assert.equal(anomaly.env['EVENT_COOLDOWN_HOURS'], '24');
    assertHidden(config, 'user:pass');
  });

  it('guards the eval metrics per tenant: refusal_spike rise 0.05 and citation_drop drop 0.1 over 10 runs, 24h cool-down', () => {
    const eval_ = jobOf(readExample('ai-mkt'), 'ai-mkt-eval');
    assert.equal(eval_.metrics.from, 'stdout_json');
    assert.deepEqual(eval_.guards.get('refusal_spike'), {
      metric: 'refusal_rate',
      rise_by: 0.05,
      lookback: 10,
      per_key: true,
      cooldown: 24 * HOUR,
    });
    assert.deepEqual(eval_.guards.get('citation_drop'), {
      metric: 'citation_rate',
      drop_by: 0.1,
      lookback: 10,
      per_key: true,
      cooldown: 24 * HOUR,
    });
    const shorter = jobOf(readExample('ai-mkt', { EVENT_COOLDOWN_HOURS: '6' }), 'ai-mkt-eval');
    assert.equal(shorter.guards.get('refusal_spike')?.cooldown, 6 * HOUR);
  });

  it('sends guard events, failures, missed nights and recoveries of every job to the ops channel', () => {
    const config = readExample('ai-mkt');
    assert.deepEqual([...config.channels.keys()], ['ops']);
    const ops = config.channels.get('ops');
    assert.ok(ops !== undefined && 'slack' in ops);
    assert.ok((ops.slack as SlackSettings).webhook_url instanceof Secret);
    for (const job of config.jobs) {
      assert.deepEqual(
        job.notify,
        { guard: ['ops'], failure: ['ops'], missed: ['ops'], recovery: ['ops'] },
        job.name,
      );
      assert.equal(job.watch.expectSuccessWithinMs, 26 * HOUR, job.name);
    }
  });

  it('accepts the documented schedule overrides as written (hourly, 03:30)', () => {
    const hourly = readExampleVariant('ai-mkt', "schedule: '*-*-* 02:00:00'", 'schedule: hourly');
    assert.equal(jobOf(hourly, 'ai-mkt-eval').schedules[0]?.spec.syntax, 'systemd');
    const later = readExampleVariant('ai-mkt', "schedule: '*-*-* 02:00:00'", "schedule: '*-*-* 03:30:00'");
    assert.equal(jobOf(later, 'ai-mkt-eval').schedules[0]?.text, '*-*-* 03:30:00');
  });
});

describe('the sigmak-drift example (seed 001)', () => {
  const job = () => jobOf(readExample('sigmak-drift'), 'sigmak-drift-review');

  it('keeps both OnCalendar= lines, Persistent catch-up and the 30 min randomized delay', () => {
    const drift = job();
    assert.deepEqual(
      drift.schedules.map((schedule) => [schedule.text, schedule.spec.syntax]),
      [
        ['daily', 'systemd'],
        ['02:00', 'systemd'],
      ],
    );
    assert.equal(drift.timezone, 'UTC');
    assert.equal(drift.catchUp, 'once');
    assert.equal(drift.randomizedDelayMs, 30 * MINUTE);
  });

  it('fires at 00:00 and at 02:00 UTC, as a timer with OnCalendar=daily and OnCalendar=02:00 does', () => {
    const drift = job();
    const from = Date.UTC(2025, 2, 10, 23, 0);
    const fires: number[] = [];
    let cursor = from;
    for (let count = 0; count < 3; count++) {
      cursor = Math.min(
        ...drift.schedules.map(
          (s) => compileSchedule(s.spec, { timezone: drift.timezone }).next(cursor) ?? Infinity,
        ),
      );
      fires.push(cursor);
    }
    assert.deepEqual(
      fires.map((fire) => new Date(fire).toISOString()),
      ['2025-03-11T00:00:00.000Z', '2025-03-11T02:00:00.000Z', '2025-03-12T00:00:00.000Z'],
    );
  });

  it('runs ExecStart as user sigmak in /app with the unit environment, 2 GiB, half a core and 10 min', () => {
    const drift = job();
    assert.deepEqual(commandTarget(drift), {
      kind: 'command',
      shell: false,
      argv: [
        '/usr/local/bin/python',
        '-m',
        'sigmak.drift_scheduler',
        '--run-once',
        '--sample-size',
        '50',
        '--db-path',
        '/app/database/risk_classifications.db',
        '--chroma-path',
        '/app/database',
      ],
    });
    assert.equal(drift.user, 'sigmak');
    assert.equal(drift.group, 'sigmak');
    assert.equal(drift.cwd, '/app');
    assert.equal(drift.env['PYTHONPATH'], '/app/src');
    assert.equal(drift.env['CHROMA_PERSIST_PATH'], '/app/database');
    assert.deepEqual(drift.limits, { memoryBytes: 2 * 1024 ** 3, cpu: 0.5 });
    assert.equal(drift.timeoutMs, 10 * MINUTE);
    assert.deepEqual(
      { attempts: drift.retry.attempts, backoff: drift.retry.backoff, delayMs: drift.retry.delayMs },
      { attempts: 3, backoff: 'fixed', delayMs: 5 * MINUTE },
    );
  });

  it('means critical by exit code 1 and by an agreement rate below 0.75, routed to Slack, PagerDuty and mail', () => {
    const config = readExample('sigmak-drift');
    const drift = jobOf(config, 'sigmak-drift-review');
    assert.equal(drift.exitCodes.get(1), 'critical');
    assert.equal(drift.exitCodes.get(0), 'success');
    assert.deepEqual(drift.guards.get('agreement_rate_low'), {
      metric: 'agreement_rate',
      below: 0.75,
      severity: 'critical',
    });
    assert.deepEqual(drift.notify.critical, ['slack', 'pagerduty', 'ops-mail']);
    assert.deepEqual(drift.notify.failure, ['ops-mail']);
    assert.deepEqual([...config.channels.keys()], ['slack', 'pagerduty', 'ops-mail']);
    const mail = config.channels.get('ops-mail');
    assert.ok(mail !== undefined && 'email' in mail);
    assert.equal((mail.email as EmailSettings).to, 'ops@example.com');
  });

  it('never shows the alert secrets it reads from the environment', () => {
    const config = readExample('sigmak-drift', {
      SLACK_WEBHOOK_URL: 'https://hooks.slack.test/very-secret-hook',
      PAGERDUTY_API_KEY: 'pd-very-secret-key',
      SMTP_URL: 'smtp://mailer:very-secret-password@mail.test',
    });
    const slack = config.channels.get('slack');
    assert.ok(slack !== undefined && 'slack' in slack);
    assert.equal(
      (slack.slack as SlackSettings).webhook_url.reveal(),
      'https://hooks.slack.test/very-secret-hook',
    );
    for (const secret of ['very-secret-hook', 'pd-very-secret-key', 'very-secret-password'])
      assertHidden(config, secret);
  });

  it('appends its output to drift.log, rotated at 10 MiB keeping 10 files', () => {
    assert.deepEqual(job().log, {
      file: '/var/log/sigmak/drift.log',
      maxSizeBytes: 10 * 1024 ** 2,
      keep: 10,
      captureLimitBytes: 1024 * 1024,
      format: 'text',
    });
  });
});

describe('the api-gateway example (seed 002)', () => {
  const crontab: Record<string, [string, string]> = {
    'reset-credits': ['0 0 * * *', 'reset-credits'],
    'check-expirations': ['0 1 * * *', 'check-expirations'],
    'aggregate-analytics': ['0 2 * * *', 'aggregate-analytics'],
    'sync-newsletter': ['0 3 * * *', 'sync-newsletter'],
    'process-sequences': ['0 */6 * * *', 'process-sequences'],
    'update-segments': ['0 4 * * *', 'update-segments'],
    'aggregate-hourly': ['0 * * * *', 'aggregate-hourly'],
    'compute-funnels': ['0 5 * * *', 'compute-funnels'],
    'refresh-cohorts': ['0 6 * * 1', 'refresh-cohorts'],
    cleanup: ['0 7 1 * *', 'cleanup'],
    'orchestration-batch': ['0 */6 * * *', 'orchestration/batch'],
    'orchestration-retry-failed': ['30 * * * *', 'orchestration/retry-failed'],
    'orchestration-cleanup': ['0 8 * * 0', 'orchestration/cleanup'],
  };

  it('has one POST job per crontab line, on the same cron schedule, with the bearer secret', () => {
    const config = readExample('api-gateway');
    const scheduled = config.jobs.filter((job) => job.schedules.length > 0);
    assert.deepEqual(scheduled.map((job) => job.name).sort(), Object.keys(crontab).sort());
    for (const job of scheduled) {
      const [schedule, endpoint] = crontab[job.name] as [string, string];
      assert.deepEqual(
        job.schedules.map((s) => [s.text, s.spec.syntax]),
        [[schedule, 'cron']],
        job.name,
      );
      const http = httpTarget(job);
      assert.equal(http.method, 'POST', job.name);
      assert.equal(http.url, `http://api-gateway:3003/api/v1/workers/${endpoint}`);
      assert.ok(http.bearer instanceof Secret, job.name);
      assert.equal(http.bearer.reveal(), 'dev-admin-secret');
    }
    assert.equal(httpTarget(jobOf(config, 'orchestration-cleanup')).body, '{"retentionDays":30}');
  });

  it('never shows CRON_SECRET in JSON or inspect output', () => {
    const config = readExample('api-gateway', { CRON_SECRET: 'prod-cron-secret-4f9a' });
    assert.equal(httpTarget(jobOf(config, 'reset-credits')).bearer?.reveal(), 'prod-cron-secret-4f9a');
    assertHidden(config, 'prod-cron-secret-4f9a');
    assertHidden(readExample('api-gateway'), 'dev-admin-secret');
  });

  it('uses API_URL from the environment when it is set', () => {
    const config = readExample('api-gateway', { API_URL: 'https://gw.internal:8443' });
    assert.equal(httpTarget(jobOf(config, 'cleanup')).url, 'https://gw.internal:8443/api/v1/workers/cleanup');
  });

  it('keeps the manual calls as on-demand jobs: health without a bearer, per-project orchestration with a body', () => {
    const config = readExample('api-gateway');
    const health = jobOf(config, 'workers-health');
    assert.equal(health.schedules.length, 0);
    assert.equal(httpTarget(health).method, 'GET');
    assert.equal(httpTarget(health).bearer, undefined);
    assert.deepEqual(httpTarget(health).expectStatus, [200]);
    const analyze = jobOf(config, 'orchestration-analyze-github');
    assert.equal(analyze.schedules.length, 0);
    assert.deepEqual(analyze.fanOut, [{ project_id: '00000000-0000-0000-0000-000000000001' }]);
    assert.match(httpTarget(analyze).url, /\/orchestration\/project\/\{project_id\}\/analyze-github$/);
    assert.equal(httpTarget(analyze).body, '{"periodHours":24}');
    assert.equal(httpTarget(analyze).headers['Content-Type'], 'application/json');
  });
});

describe('the datapilot-cleanup example (seed 003)', () => {
  it('runs daily at 03:00 UTC, dry-run by default, for at most 10 minutes, and expects a success within 48h', () => {
    const config = readExample('datapilot-cleanup');
    const cleanup = jobOf(config, 'datapilot-cleanup');
    assert.deepEqual(
      cleanup.schedules.map((s) => [s.text, s.spec.syntax]),
      [['0 3 * * *', 'cron']],
    );
    assert.equal(cleanup.dryRun, true);
    assert.equal(cleanup.dryRunEnv?.name, 'CLEANER_DRY_RUN');
    assert.equal(cleanup.timeoutMs, 10 * MINUTE);
    assert.equal(cleanup.watch.expectSuccessWithinMs, 48 * HOUR);
    assert.deepEqual(commandTarget(cleanup).argv, ['python', '-m', 'src.maintenance.cron_entry']);
    assert.deepEqual(cleanup.guards.get('audit_errors'), { metric: 'errors', above: 5, severity: 'warning' });
    assert.deepEqual(cleanup.notify.failure, ['ops']);
    assert.deepEqual(cleanup.notify.missed, ['ops']);
  });

  it('gives the documented defaults and keeps REDIS_URL secret', () => {
    const cleanup = jobOf(readExample('datapilot-cleanup'), 'datapilot-cleanup');
    assert.deepEqual(
      Object.fromEntries(
        [
          'JOB_TTL_HOURS',
          'CLEANER_LOG_LEVEL',
          'BLOB_PATH_PREFIXES',
          'MIN_TTL_HOURS',
          'CLEANER_AUDIT_BLOB_PATH',
        ]
          .concat('CLEANER_MAX_DELETE_BATCH')
          .map((key) => [key, cleanup.env[key]]),
      ),
      {
        JOB_TTL_HOURS: '24',
        CLEANER_LOG_LEVEL: 'INFO',
        BLOB_PATH_PREFIXES: 'uploads/,results/',
        MIN_TTL_HOURS: '1',
        CLEANER_AUDIT_BLOB_PATH: 'maintenance/cleaner_runs/',
        CLEANER_MAX_DELETE_BATCH: '500',
      },
    );
    assert.ok(cleanup.env['REDIS_URL'] instanceof Secret);
  });

  it('takes its schedule and dry-run switch from CLEANER_CRON_SCHEDULE and CLEANER_DRY_RUN', () => {
    const config = readExample('datapilot-cleanup', {
      CLEANER_CRON_SCHEDULE: '30 4 * * *',
      CLEANER_DRY_RUN: 'false',
    });
    const cleanup = jobOf(config, 'datapilot-cleanup');
    assert.equal(cleanup.schedules[0]?.text, '30 4 * * *');
    assert.equal(cleanup.dryRun, false);
  });
});

describe('the ai-audit-queue example (seed 004)', () => {
  it('drains the queue every 30 seconds, one organization at a time, 20 oldest items per run, stuck after 1h', () => {
    const config = readExample('ai-audit-queue');
    const drain = jobOf(config, 'process-audit-queue');
    const [schedule] = drain.schedules;
    assert.equal(schedule?.text, 'every 30s');
    assert.ok(schedule.spec.kind === 'interval');
    assert.equal(schedule.spec.everyMs, 30_000);
    assert.deepEqual(drain.queue, { key: 'organization_id', perKey: 1, maxPerRun: 20 });
    assert.equal(drain.maxRuntimeMs, HOUR);
    assert.equal(drain.concurrency, 'forbid');
    assert.ok(drain.env['OPENAI_API_KEY'] instanceof Secret);
    assert.equal(drain.log.file, '/var/log/gepp-audit-cron.log');
    assertHidden(config, 'your-openai-api-key');
    assertHidden(config, 'your-jwt-token');
  });

  it("accepts the document's one-minute cadence as written: Lambda rate(1 minute) and crontab * * * * *", () => {
    const lambda = readExampleVariant('ai-audit-queue', 'schedule: every 30s', "schedule: 'rate(1 minute)'");
    const rate = jobOf(lambda, 'process-audit-queue').schedules[0];
    assert.ok(rate?.spec.kind === 'interval');
    assert.equal(rate.spec.syntax, 'aws');
    assert.equal(rate.spec.everyMs, MINUTE);
    const cron = readExampleVariant('ai-audit-queue', 'schedule: every 30s', "schedule: '* * * * *'");
    assert.equal(jobOf(cron, 'process-audit-queue').schedules[0]?.spec.syntax, 'cron');
  });

  it('keeps the manual API trigger as an on-demand POST with a bearer token', () => {
    const api = jobOf(readExample('ai-audit-queue'), 'process-audit-queue-api');
    assert.equal(api.schedules.length, 0);
    assert.equal(httpTarget(api).method, 'POST');
    assert.equal(httpTarget(api).url, 'http://localhost:8000/api/transaction_audit/process_queue');
    assert.equal(httpTarget(api).bearer?.reveal(), 'your-jwt-token');
  });
});
