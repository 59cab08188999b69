/**
 * The systemd exporter: one case per construct, every exported pair checked by
 * `systemd-analyze verify`, the next 100 fires of every OnCalendar= compared with
 * `systemd-analyze calendar`, and the units imported back with the systemd importer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { compileSchedule } from '../../src/calendar/index.ts';
import { readConfig } from '../../src/config/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { systemdExporter, systemdImporter } from '../../src/interop/index.ts';
import type { ExportResult } from '../../src/interop/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import { loadOnlyJob } from './job-file-from-result.ts';
import { assertUnitsVerify, systemdCalendarFires } from './systemd-analyze.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-export-'));
let counter = 0;

function jobsOf(jobs: Record<string, unknown>, env: Record<string, string> = {}): ResolvedJob[] {
  const file = path.join(folder, `jobs-${++counter}.yaml`);
  writeFileSync(file, stringify({ version: 1, jobs }));
  return [...readConfig(file, { kinds: builtinKinds, env }).jobs];
}

function exported(entry: Record<string, unknown>, env: Record<string, string> = {}): ExportResult {
  return systemdExporter.exportJobs(jobsOf({ job: entry }, env), {
    configPath: '/etc/cronplane/jobs.yaml',
    now,
  });
}

function fileText(result: ExportResult, name: string): string {
  const file = result.files.find((candidate) => candidate.path === name);
  assert.ok(file !== undefined, `${name} among ${result.files.map((f) => f.path).join(', ')}`);
  return file.text;
}

const base = { schedule: '0 2 * * *', run: ['/bin/true'], timezone: 'UTC' };
/** The present of every export here: the year after it holds the 2027 changes of every zone. */
const now = Date.UTC(2026, 11, 1);

interface Case {
  readonly name: string;
  readonly entry: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly timer?: readonly string[];
  readonly service?: readonly string[];
  readonly absent?: readonly string[];
  readonly warning?: readonly string[];
}

const cases: readonly Case[] = [
  {
    name: 'a cron schedule is OnCalendar= with the zone',
    entry: { ...base, timezone: 'Europe/Berlin' },
    warning: ['springs forward'],
    timer: ['OnCalendar=*-*-* 02:00:00 Europe/Berlin', 'AccuracySec=1s', 'WantedBy=timers.target'],
  },
  {
    name: 'no daylight-saving warning for a zone without DST (Asia/Tokyo)',
    entry: { ...base, timezone: 'Asia/Tokyo' },
    timer: ['OnCalendar=*-*-* 02:00:00 Asia/Tokyo'],
  },
  {
    name: 'no daylight-saving warning for a schedule that never meets the change (04:00 in Berlin)',
    entry: { ...base, schedule: ['0 4 * * *', '*/10 9-17 * * 1-5'], timezone: 'Europe/Berlin' },
    timer: ['OnCalendar=*-*-* 04:00:00 Europe/Berlin'],
  },
  {
    name: 'no daylight-saving warning for an OnCalendar= schedule in the gap: both skip it',
    entry: { ...base, schedule: 'Mon..Sun 02:30', timezone: 'America/New_York' },
    timer: ['OnCalendar=*-*-* 02:30:00 America/New_York'],
  },
  {
    name: 'a daylight-saving warning for 02:30 in New York: cronplane runs it after the gap, systemd not',
    entry: { ...base, schedule: '30 2 * * *', timezone: 'America/New_York' },
    warning: ['the America/New_York clock skips when it springs forward (2027-03-14)'],
  },
  {
    name: 'a daylight-saving warning for a wildcard cron job in the repeated hour',
    entry: { ...base, schedule: '0 * * * *', timezone: 'Europe/Berlin' },
    warning: [
      'the Europe/Berlin clock repeats when it falls back (2027-10-31): cronplane runs it in both passes',
    ],
  },
  {
    name: 'day of month OR weekday is two OnCalendar= lines',
    entry: { ...base, schedule: '0 0 13 * 5' },
    timer: ['OnCalendar=*-*-13 00:00:00 UTC', 'OnCalendar=Fri *-*-* 00:00:00 UTC'],
    warning: ['OR the weekday'],
  },
  {
    name: 'a day field starting with * is AND, as Vixie cron reads it: one OnCalendar= line, no warning',
    entry: { ...base, schedule: '0 0 */2 * 1' },
    timer: ['OnCalendar=Mon *-*-01/2 00:00:00 UTC'],
    absent: ['OnCalendar=Mon *-*-* 00:00:00'],
  },
  {
    name: 'several schedules, seconds kept',
    entry: { ...base, schedule: ['30 */15 * * * *', 'Mon..Fri 09:30'] },
    timer: ['OnCalendar=*-*-* *:00/15:30 UTC', 'OnCalendar=Mon..Fri *-*-* 09:30:00 UTC'],
  },
  {
    name: 'an interval dividing the hour is an exact calendar',
    entry: { ...base, schedule: 'every 15m' },
    timer: ['OnCalendar=*-*-* *:00/15:00 UTC'],
  },
  {
    name: 'an interval dividing the minute',
    entry: { ...base, schedule: 'every 30s' },
    timer: ['OnCalendar=*-*-* *:*:00/30 UTC'],
  },
  {
    name: 'an interval that does not divide the day',
    entry: { ...base, schedule: 'every 7m' },
    timer: ['OnActiveSec=7min', 'OnUnitActiveSec=7min'],
    warning: ['does not divide the day'],
  },
  { name: 'start-up is OnBootSec=', entry: { ...base, schedule: '@reboot' }, timer: ['OnBootSec=0'] },
  {
    name: 'the third Friday has no OnCalendar form',
    entry: { ...base, schedule: ['0 0 * * 5#3', '0 3 * * *'] },
    timer: ['OnCalendar=*-*-* 03:00:00 UTC'],
    absent: ['OnCalendar=*-*-* 00:00'],
    warning: ['left out of the timer'],
  },
  {
    name: 'catch_up once is Persistent=true',
    entry: { ...base, catch_up: 'once' },
    timer: ['Persistent=true'],
  },
  {
    name: 'catch_up all fires once',
    entry: { ...base, catch_up: 'all' },
    timer: ['Persistent=true'],
    warning: ['catch_up: all'],
  },
  { name: 'catch_up skip is not persistent', entry: { ...base, catch_up: 'skip' }, absent: ['Persistent='] },
  {
    name: 'randomized delay',
    entry: { ...base, randomized_delay: '30m' },
    timer: ['RandomizedDelaySec=30min'],
  },
  {
    name: 'argv quoted for systemd',
    entry: { ...base, run: ['/bin/echo', 'a b', '$HOME', '100%', 'say "hi"', ';'] },
    service: ['Type=oneshot', 'ExecStart=/bin/echo "a b" $$HOME 100%% "say \\"hi\\"" \\;'],
  },
  {
    name: 'a shell line runs under /bin/sh -c',
    entry: { ...base, run: 'ls /tmp | wc -l', shell: true },
    service: ['ExecStart=/bin/sh -c "ls /tmp | wc -l"'],
  },
  {
    name: 'cwd, user, group, env, env files',
    entry: {
      ...base,
      cwd: '/srv/app',
      user: 'app',
      group: 'app',
      env: { A: 'one two', B: 'x' },
      env_file: ['-/etc/app.env'],
    },
    service: [
      'WorkingDirectory=/srv/app',
      'User=app',
      'Group=app',
      'Environment="A=one two"',
      'Environment=B=x',
      'EnvironmentFile=-/etc/app.env',
    ],
  },
  {
    name: 'a secret env goes to an environment file, never its value',
    entry: { ...base, env: { TOKEN: { secret: '${API_TOKEN}' } } },
    env: { API_TOKEN: 'hunter2-value' },
    service: ['EnvironmentFile=-/etc/cronplane/job.env'],
    absent: ['hunter2-value', 'TOKEN='],
    warning: ['TOKEN'],
  },
  {
    name: 'timeout and limits',
    entry: { ...base, timeout: '10m', limits: { memory: '2G', cpu: '50%', open_files: 1024 } },
    service: ['TimeoutStartSec=10min', 'MemoryMax=2147483648', 'CPUQuota=50%', 'LimitNOFILE=1024'],
  },
  {
    name: 'condition is ExecCondition=',
    entry: { ...base, condition: ['/usr/bin/test', '-e', '/tmp/go'] },
    service: ['ExecCondition=/usr/bin/test -e /tmp/go'],
  },
  {
    name: 'exit codes: success and skip, warning and critical warned',
    entry: { ...base, exit_codes: { 3: 'success', 4: 'skip', 1: 'critical' } },
    service: ['SuccessExitStatus=3 4'],
    warning: ['exit code 1 means critical'],
  },
  {
    name: 'retry is Restart=on-failure',
    entry: { ...base, retry: { attempts: 3, backoff: 'exponential', delay: '5m' } },
    service: ['Restart=on-failure', 'RestartSec=5min', 'StartLimitBurst=3'],
    warning: ['exponential'],
  },
  {
    name: 'settings no unit carries are warned about',
    entry: { ...base, max_runtime: '1h', start_deadline: '5m', enabled: false, dry_run: true },
    warning: ['max_runtime', 'start_deadline', 'enabled: false', 'dry_run'],
  },
  {
    name: 'guards and notify wrap the command in cronplane exec --monitor',
    entry: { ...base, notify: { failure: [] }, watch: { consecutive_failures: 2 }, concurrency: 'allow' },
    service: [
      'Environment=CRONPLANE_CONFIG=/etc/cronplane/jobs.yaml',
      'ExecStart=cronplane exec --monitor job -- /bin/true',
    ],
    warning: ['watch rules', 'systemd never starts a unit that is still running'],
  },
];

const addedToday: readonly Case[] = [
  {
    name: 'pre: steps are ExecStartPre= lines, in order, a shell step through /bin/sh -c',
    entry: {
      ...base,
      pre: [['/usr/bin/sqlite3', '/db', 'PRAGMA optimize'], { run: 'test -s /spool', shell: true }],
    },
    service: [
      'ExecStartPre=/usr/bin/sqlite3 /db "PRAGMA optimize"',
      'ExecStartPre=/bin/sh -c "test -s /spool"',
    ],
  },
  {
    name: 'dry_run.env is an Environment= line at the value of a scheduled run',
    entry: { ...base, dry_run: { default: false, env: 'CLEANER_DRY_RUN' } },
    service: ['Environment=CLEANER_DRY_RUN=false'],
  },
  {
    name: 'alert: evidence wraps the command, named in the warning',
    entry: { ...base, alert: { include: ['rows'] } },
    service: ['ExecStart=cronplane exec --monitor job -- /bin/true'],
    warning: ['systemd has no alert evidence (alert:)'],
  },
  {
    name: 'watch.skipped_fires wraps the command, named in the warning',
    entry: { ...base, watch: { skipped_fires: 5 } },
    warning: ['systemd has no watch rules (skipped_fires)'],
  },
  {
    name: 'an expect_body wraps the curl line, with a warning that curl cannot check the body',
    entry: {
      schedule: '0 2 * * *',
      timezone: 'UTC',
      http: { url: 'http://127.0.0.1:9/', expect_body: { contains: 'ok' } },
    },
    warning: [
      'systemd has no response body checks (expect_body)',
      'expect_body (body contains "ok"): curl cannot check the response body',
    ],
  },
];

describe('systemd exporter: one case per construct', () => {
  for (const item of [...cases, ...addedToday]) {
    it(item.name, () => {
      const result = exported(item.entry, item.env);
      const timer = fileText(result, 'job.timer');
      const service = fileText(result, 'job.service');
      for (const line of item.timer ?? [])
        assert.ok(timer.split('\n').includes(line), `${line} in\n${timer}`);
      for (const line of item.service ?? [])
        assert.ok(service.split('\n').includes(line), `${line} in\n${service}`);
      for (const text of item.absent ?? []) assert.ok(!`${timer}${service}`.includes(text), `no ${text}`);
      const warnings = result.warnings.map((warning) => `${warning.message} -> ${warning.action}`).join('\n');
      for (const text of item.warning ?? []) assert.ok(warnings.includes(text), `${text} in\n${warnings}`);
      if (item.warning === undefined) assert.equal(warnings, '', 'no warning');
      assert.ok(!JSON.stringify(result).includes('hunter2'), 'never a secret value');
    });
  }

  it('fans out into one pair per key, placeholders substituted, odd characters escaped', () => {
    const result = exported({
      ...base,
      run: ['/bin/echo', '{tenant}'],
      for_each: { tenant: ['acme', 'b c'] },
    });
    assert.deepEqual(
      result.files.map((file) => file.path),
      ['job-acme.timer', 'job-acme.service', 'job-b\\x20c.timer', 'job-b\\x20c.service'],
    );
    assert.ok(fileText(result, 'job-acme.service').includes('ExecStart=/bin/echo acme\n'));
    assert.ok(fileText(result, 'job-b\\x20c.service').includes('ExecStart=/bin/echo "b c"\n'));
    assert.ok(result.warnings.some((warning) => warning.action.includes('job-b\\x20c')));
  });

  it('runs an http job as its curl line, the bearer token read from the EnvironmentFile', () => {
    const result = exported({
      schedule: '@daily',
      http: { url: 'https://example.com/', bearer: 's3cr3t-token' },
    });
    const service = fileText(result, 'job.service');
    assert.match(
      service,
      /^ExecStart=\/bin\/sh -c "curl .*'Authorization: Bearer '\\"\$\$CRON_SECRET\\" .*--url https:\/\/example\.com\/"$/m,
    );
    assert.match(service, /^EnvironmentFile=-\/etc\/cronplane\/job\.env$/m);
    assert.doesNotMatch(JSON.stringify(result), /s3cr3t-token/);
    assert.ok(result.warnings.some((warning) => /CRON_SECRET/.test(warning.message)));
  });

  it('writes cronplane-monitors.yaml for a wrapped job: its schedules, zone, grace, watch and routing, which loads as a job file of monitors only', () => {
    const entry = {
      ...base,
      schedule: ['0 2 * * *', '@reboot'],
      timezone: 'Europe/Berlin',
      timeout: '20m',
      randomized_delay: '10m',
      notify: { failure: ['ops'], critical: ['pager', 'ops'], recovery: ['ops'] },
      watch: { expect_success_within: '2d', remind_every: '4h' },
    };
    const file = path.join(folder, `jobs-${++counter}.yaml`);
    const channels = {
      ops: { webhook: { url: '${OPS_HOOK}' } },
      pager: { webhook: { url: '${PAGER_HOOK}' } },
    };
    const env = { OPS_HOOK: 'http://127.0.0.1:9/ops', PAGER_HOOK: 'http://127.0.0.1:9/pager' };
    writeFileSync(file, stringify({ version: 1, channels, jobs: { job: entry } }));
    const jobs = readConfig(file, { kinds: builtinKinds, env }).jobs;
    const result = systemdExporter.exportJobs(jobs, { configPath: file, now, channels });
    const text = fileText(result, 'cronplane-monitors.yaml');
    assert.deepEqual(parse(text), {
      version: 1,
      channels,
      monitors: {
        job: {
          description: 'exported job job',
          schedule: '0 2 * * *',
          timezone: 'Europe/Berlin',
          grace: '30m',
          expect_success_within: '2d',
          remind_every: '4h',
          notify: { down: ['ops', 'pager'], up: ['ops'] },
        },
      },
    });
    assert.doesNotMatch(text, /127\.0\.0\.1/, 'channels as written, never their values');
    const monitorsPath = path.join(folder, `monitors-${++counter}.yaml`);
    writeFileSync(monitorsPath, text);
    const loaded = readConfig(monitorsPath, { kinds: builtinKinds, env });
    assert.deepEqual(loaded.jobs, []);
    assert.deepEqual(
      loaded.monitors.map((monitor) => monitor.name),
      ['job'],
    );
    assert.match(
      result.warnings.map((warning) => `${warning.message} (${warning.action})`).join('\n'),
      /report to the monitors job, which the daemon must declare \(written cronplane-monitors\.yaml/,
    );
  });

  it('leaves out a module job with a warning', () => {
    const result = systemdExporter.exportJobs(
      [
        {
          ...jobsOf({ job: base })[0],
          target: { kind: 'module', path: '/m.js', exportName: 'default' },
        } as ResolvedJob,
      ],
      { configPath: '/etc/cronplane/jobs.yaml' },
    );
    assert.equal(result.files.length, 0);
    assert.match(result.warnings[0]?.message ?? '', /no systemd service form/);
  });

  it('leaves out a job none of whose schedules has a timer form', () => {
    const result = exported({ ...base, schedule: '0 0 * * 5#3' });
    assert.equal(result.files.length, 0);
    assert.ok(result.warnings.some((warning) => warning.message.includes('no schedule')));
  });
});

function allExported(): ExportResult {
  const files = cases.flatMap((item, index) =>
    exported(item.entry, item.env).files.map((file) => ({
      ...file,
      path: file.path.replace(/^job/, `job${index}`),
    })),
  );
  return { files, warnings: [] };
}

describe('systemd exporter: checked by systemd-analyze', () => {
  it('verify accepts every exported unit pair', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cronplane-units-'));
    const result = allExported();
    for (const file of result.files) writeFileSync(path.join(dir, file.path), file.text);
    const timers = result.files
      .filter((file) => file.path.endsWith('.timer'))
      .map((file) => path.join(dir, file.path));
    assert.ok(timers.length >= cases.length);
    assertUnitsVerify(timers);
  });

  it("the next 100 fires of every OnCalendar= equal cronplane's own", () => {
    // After the spring change: fires inside a DST gap differ (warned about), the rest are equal.
    const baseMs = Date.UTC(2026, 3, 1, 12, 0, 0);
    const entries = cases
      .filter((item) => item.env === undefined)
      .map((item) => item.entry)
      .filter((entry) => entry['schedule'] !== '@reboot');
    const zoned = [
      { ...base, schedule: ['0 9 * * 1-5', '*/20 3 1,15 * *'], timezone: 'America/New_York' },
      { ...base, schedule: '0 0 1-7 * 1', timezone: 'Europe/Berlin' },
    ];
    let compared = 0;
    for (const entry of [...entries, ...zoned]) {
      const [job] = jobsOf({ job: entry });
      assert.ok(job !== undefined);
      const result = systemdExporter.exportJobs([job], { configPath: '/x.yaml' });
      if (result.warnings.some((warning) => warning.action === 'left out of the timer')) continue;
      const timer = fileText(result, 'job.timer');
      const expressions = timer
        .split('\n')
        .filter((line) => line.startsWith('OnCalendar='))
        .map((line) => line.slice(11));
      if (expressions.length === 0) continue;
      const oracle = new Set<number>();
      for (const expression of expressions)
        for (const fire of systemdCalendarFires(expression, baseMs, 100)) oracle.add(fire);
      const theirs = [...oracle].sort((a, b) => a - b).slice(0, 100);
      const ours: number[] = [];
      const schedules = job.schedules.map((schedule) =>
        compileSchedule(schedule.spec, { timezone: job.timezone }),
      );
      for (let at = baseMs; ours.length < 100;) {
        const next = Math.min(...schedules.map((schedule) => schedule.next(at) ?? Infinity));
        ours.push(next);
        at = next;
      }
      assert.deepEqual(ours, theirs, expressions.join(' | '));
      compared++;
    }
    assert.ok(compared >= 10, `compared ${compared}`);
  });
});

describe('systemd exporter: imported back', () => {
  it('gives back the schedules, command, env, timeout, cwd, user and limits', () => {
    const entry = {
      schedule: ['0 2 * * *', 'Mon..Fri 09:30'],
      timezone: 'Europe/Berlin',
      run: ['/usr/bin/python3', '-m', 'tool', '--name', 'a b'],
      cwd: '/srv/app',
      user: 'app',
      group: 'app',
      env: { A: 'one two', B: 'x' },
      timeout: '10m',
      limits: { memory: '2G', cpu: '50%' },
      catch_up: 'once',
      randomized_delay: '30m',
    };
    const [job] = jobsOf({ job: entry });
    assert.ok(job !== undefined);
    const result = systemdExporter.exportJobs([job], { configPath: '/x.yaml' });
    const back = loadOnlyJob(systemdImporter.importFiles(result.files));
    assert.deepEqual(back.target, job.target);
    assert.deepEqual(back.env, job.env);
    for (const key of [
      'cwd',
      'user',
      'group',
      'timeoutMs',
      'limits',
      'catchUp',
      'randomizedDelayMs',
    ] as const)
      assert.deepEqual(back[key], job[key], key);
    const fires = (source: ResolvedJob) => {
      const schedules = source.schedules.map((schedule) =>
        compileSchedule(schedule.spec, { timezone: source.timezone }),
      );
      const out: number[] = [];
      for (let at = Date.UTC(2026, 0, 1); out.length < 50;) {
        const next = Math.min(...schedules.map((schedule) => schedule.next(at) ?? Infinity));
        out.push(next);
        at = next;
      }
      return out;
    };
    assert.deepEqual(fires(back), fires(job));
  });
});
