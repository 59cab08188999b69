/**
 * The crontab exporter: one case per construct (schedules of every syntax, zones, fan-out,
 * secrets, what only `cronplane exec --monitor` carries), each checked in the written crontab
 * and the warnings.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { crontabExporter } from '../../src/interop/index.ts';
import type { ExportResult } from '../../src/interop/index.ts';
import { loadJob } from './export-fixtures.ts';

function exportOne(lines: string, name?: string): ExportResult & { text: string; entries: string[] } {
  const { job, file } = loadJob(lines, name);
  const result = crontabExporter.exportJobs([job], { configPath: file });
  assert.equal(result.files[0]?.path, 'crontab');
  const text = result.files[0]?.text ?? '';
  const entries = text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#') && !/^[A-Z_]+=/.test(line));
  return { ...result, text, entries };
}

const warningsOf = (result: ExportResult) =>
  result.warnings.map((w) => `${w.message} (${w.action})`).join('\n');

describe('crontab exporter: schedules', () => {
  const cases: [string, string, string[]][] = [
    ['a cron schedule as written', 'schedule: "*/5 9-17 * * 1-5"', ['*/5 9-17 * * 1-5 backup']],
    ['a cron shorthand expanded', 'schedule: "@daily"', ['0 0 * * * backup']],
    ['a systemd calendar converted', 'schedule: "Mon..Fri *-*-* 06:30:00"', ['30 6 * * 1-5 backup']],
    ['an AWS cron converted', 'schedule: "cron(15 10 ? * MON-FRI *)"', ['15 10 * * 1-5 backup']],
    ['an interval that divides an hour', 'schedule: every 15m', ['*/15 * * * * backup']],
    ['an interval that divides a day', 'schedule: every 6h', ['0 */6 * * * backup']],
    ['@reboot for the startup schedule', 'schedule: "@reboot"', ['@reboot backup']],
    [
      'several schedules as several lines',
      'schedule: ["0 3 * * *", "30 12 * * 6"]',
      ['0 3 * * * backup', '30 12 * * 6 backup'],
    ],
  ];
  for (const [title, schedule, expected] of cases) {
    it(title, () => {
      const result = exportOne(`${schedule}\nrun: backup`);
      assert.deepEqual(result.entries, expected, result.text);
    });
  }

  const refused: [string, string, RegExp][] = [
    ['seconds other than 0', 'schedule: "*-*-* 04:00:30"', /seconds other than 0/],
    ['an interval that divides no hour', 'schedule: every 7m', /does not divide an hour/],
    ['a year', 'schedule: "2030-01-01 00:00:00"', /year/],
    ['the last day of the month', 'schedule: "0 0 L * *"', /L, W, #/],
    ['a day of month AND a weekday', 'schedule: "Fri *-*-13 00:00:00"', /AND a weekday/],
  ];
  for (const [title, schedule, reason] of refused) {
    it(`leaves out, commented, a schedule with ${title}`, () => {
      const result = exportOne(`${schedule}\nrun: backup`);
      assert.deepEqual(result.entries, []);
      assert.match(result.text, /^# left out: /m);
      assert.match(warningsOf(result), reason);
    });
  }

  it("writes the job's zone as CRON_TZ before its lines, and warns that not every cron honours it", () => {
    const result = exportOne('schedule: "0 2 * * *"\ntimezone: Europe/Berlin\nrun: backup');
    assert.match(result.text, /^CRON_TZ=Europe\/Berlin\n0 2 \* \* \* backup$/m);
    assert.match(warningsOf(result), /CRON_TZ is honoured by cronie/);
  });
});

describe('crontab exporter: commands', () => {
  it('quotes argv for sh and writes each % as \\% outside the quotes', () => {
    const result = exportOne(`schedule: "0 2 * * *"\nrun: ["backup.sh", "50% full", "it's"]`);
    assert.deepEqual(result.entries, [`0 2 * * * backup.sh 50\\%' full' 'it'"'"'s'`]);
  });

  it('writes a shell script as it is, % escaped, with a warning', () => {
    const result = exportOne(`schedule: "0 2 * * *"\nshell: true\nrun: "date +%F | tee /tmp/d"`);
    assert.deepEqual(result.entries, ['0 2 * * * date +\\%F | tee /tmp/d']);
    assert.match(warningsOf(result), /holds %/);
  });

  it('writes env as NAME=value lines and leaves a secret out with a warning, never its value', () => {
    const result = exportOne(
      'schedule: "0 2 * * *"\nrun: backup\nenv: { PGHOST: db.local, TOKEN: { secret: "s3cr3t-value" } }',
    );
    assert.match(result.text, /^PGHOST=db\.local$/m);
    assert.doesNotMatch(result.text + JSON.stringify(result.warnings), /s3cr3t-value/);
    assert.doesNotMatch(result.text, /TOKEN/);
    assert.match(warningsOf(result), /TOKEN is a secret.*left out/s);
  });

  it('wraps what crontab cannot say in cronplane exec --monitor, one warning listing it', () => {
    const result = exportOne(
      'schedule: "0 2 * * *"\nrun: backup\nretry: { attempts: 3 }\ntimeout: 10m\nguards: { slow: { metric: ms, above: 5 } }',
    );
    assert.deepEqual(result.entries, ['0 2 * * * cronplane exec --monitor nightly -- backup']);
    const wrapped = result.warnings.filter((w) => /cronplane exec --monitor/.test(w.action));
    assert.equal(wrapped.length, 1);
    assert.match(wrapped[0]?.message ?? '', /guards \(slow\), retries \(3 attempts\), timeout/);
    assert.deepEqual(
      result.files.map((file) => file.path),
      ['crontab', 'cronplane-monitors.yaml'],
    );
    assert.match(
      warningsOf(result),
      /report to the monitors nightly, which the daemon must declare \(written cronplane-monitors\.yaml/,
    );
  });

  it('writes no monitors file when no command is wrapped', () => {
    const result = exportOne('schedule: "0 2 * * *"\nrun: backup');
    assert.deepEqual(
      result.files.map((file) => file.path),
      ['crontab'],
    );
  });

  it('writes one line per fan-out key with its values substituted', () => {
    const result = exportOne(
      'schedule: "0 2 * * *"\nrun: "report --tenant {tenant}"\nfor_each: { tenant: [acme, globex] }',
    );
    assert.deepEqual(result.entries, ['0 2 * * * report --tenant acme', '0 2 * * * report --tenant globex']);
    assert.match(warningsOf(result), /fan-out over 2 keys/);
  });

  it('comments out the lines of a disabled job', () => {
    const result = exportOne('schedule: "0 2 * * *"\nrun: backup\nenabled: false');
    assert.match(result.text, /^# 0 2 \* \* \* backup$/m);
    assert.match(warningsOf(result), /disabled/);
  });
});

/** A crontab entry's command (after its five schedule fields), run by /bin/sh as cron runs it. */
function runEntry(entry: string, env: Record<string, string> = {}): number | null {
  const command = entry.split(' ').slice(5).join(' ');
  return spawnSync('/bin/sh', ['-c', command], { env: { ...process.env, ...env } }).status;
}

describe('crontab exporter: pre steps, body checks, dry-run variable, alert and skipped fires', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-pre-'));
  const log = path.join(folder, 'log');
  const flag = path.join(folder, 'ready');
  const pre = `pre: [[/usr/bin/touch, ${log}], { run: "echo pre >> ${log}; test -e ${flag}", shell: true }]`;
  const read = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');

  for (const [title, run, ran] of [
    ['an argument list', `run: [/bin/sh, -c, "echo main >> ${log}"]`, 'pre\nmain\n'],
    [
      'a shell line whose ; would detach it',
      `run: "echo main >> ${log}; echo again >> ${log}"\nshell: true`,
      'pre\nmain\nagain\n',
    ],
  ] as const) {
    it(`joins the pre: steps before ${title}: /bin/sh does not run it when a step fails`, () => {
      rmSync(log, { force: true });
      rmSync(flag, { force: true });
      const result = exportOne(`schedule: "0 3 * * *"\n${pre}\n${run}`);
      assert.equal(result.entries.length, 1, result.text);
      const entry = result.entries[0] ?? '';
      assert.notEqual(runEntry(entry), 0, entry);
      assert.equal(read(), 'pre\n', `the command ran although a pre step failed: ${entry}`);
      writeFileSync(flag, '');
      rmSync(log);
      assert.equal(runEntry(entry), 0, entry);
      assert.equal(read(), ran, entry);
    });
  }

  it('keeps the pre: steps inside the cronplane exec --monitor wrapper', () => {
    const result = exportOne(
      `schedule: "0 3 * * *"\npre: [/usr/bin/check-ready]\nrun: backup\nretry: { attempts: 2 }`,
    );
    assert.match(
      result.entries[0] ?? '',
      /cronplane exec --monitor nightly -- \/bin\/sh -c '\/usr\/bin\/check-ready && backup'$/,
    );
  });

  it('writes the dry_run.env variable at the value a scheduled run gets', () => {
    const dry = exportOne(
      'schedule: "0 3 * * *"\nrun: clean\ndry_run: { default: true, env: CLEANER_DRY_RUN }',
    );
    assert.match(dry.text, /^CLEANER_DRY_RUN=true$/m);
    const live = exportOne(
      'schedule: "0 3 * * *"\nrun: clean\ndry_run: { env: APPLY, true: "0", false: "1" }',
    );
    assert.match(live.text, /^APPLY=1$/m);
  });

  it('warns that a dry-by-default job runs for real: an HTTP request is sent, a command gets no CRONPLANE_DRY_RUN', () => {
    const http = exportOne('schedule: "0 3 * * *"\nhttp: { url: "http://127.0.0.1:9/purge" }\ndry_run: true');
    assert.match(
      warningsOf(http),
      /dry_run: the runs of the job are dry .*\(the request is sent at every fire/,
    );
    const command = exportOne(
      'schedule: "0 3 * * *"\nrun: clean\ndry_run: { default: true, env: CLEANER_DRY_RUN }',
    );
    assert.match(warningsOf(command), /\(the command gets CLEANER_DRY_RUN=true, not CRONPLANE_DRY_RUN=1\)/);
    assert.doesNotMatch(warningsOf(exportOne('schedule: "0 3 * * *"\nrun: clean')), /dry_run/);
  });

  it('carries max_per_run as CRONPLANE_MAX_PER_RUN and {max_per_run}, and warns that cooldown is left out', () => {
    const result = exportOne(
      'schedule: "0 3 * * *"\nrun: sync --limit {max_per_run}\nmax_per_run: 25\ncooldown: 6h',
    );
    assert.deepEqual(result.entries, ['0 3 * * * sync --limit 25']);
    assert.match(result.text, /^CRONPLANE_MAX_PER_RUN=25$/m);
    assert.match(
      warningsOf(result),
      /crontab cannot say cooldown \(left out: every line fires on its schedule/,
    );
    assert.doesNotMatch(warningsOf(exportOne('schedule: "0 3 * * *"\nrun: sync')), /cooldown/);
  });

  it('wraps a job for its expect_body, alert: and watch.skipped_fires, naming each', () => {
    const http = exportOne(
      'schedule: "0 3 * * *"\nhttp: { url: "http://127.0.0.1:9/health", expect_body: { contains: ok } }',
    );
    assert.match(http.entries[0] ?? '', /^0 3 \* \* \* cronplane exec --monitor nightly -- /);
    assert.match(warningsOf(http), /crontab cannot say response body checks \(expect_body\)/);
    assert.match(warningsOf(http), /expect_body \(body contains "ok"\): curl cannot check the response body/);
    const alert = exportOne('schedule: "0 3 * * *"\nrun: backup\nalert: { output_lines: 50 }');
    assert.match(warningsOf(alert), /crontab cannot say alert evidence \(alert:\)/);
    const skipped = exportOne('schedule: "0 3 * * *"\nrun: backup\nwatch: { skipped_fires: 5 }');
    assert.match(warningsOf(skipped), /crontab cannot say watch rules \(skipped_fires\)/);
    const plain = exportOne('schedule: "0 3 * * *"\nrun: backup\nalert: { output_lines: 20 }');
    assert.deepEqual(plain.entries, ['0 3 * * * backup'], 'the default evidence wraps nothing');
  });
});
