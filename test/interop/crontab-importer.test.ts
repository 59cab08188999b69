import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSchedule, parseSchedule } from '../../src/calendar/index.ts';
import type { ResolvedConfig, ResolvedJob } from '../../src/config/index.ts';
import type { ImportResult, ImportWarning } from '../../src/interop/index.ts';
import { createCrontabImporter, ImportProblemsError } from '../../src/interop/index.ts';
import { loadImported } from './load-imported.ts';
import { output, started } from './run-imported-command.ts';

const importer = createCrontabImporter({ localTimeZone: () => 'UTC' });

function importText(text: string, file = 'user.crontab'): { result: ImportResult; config: ResolvedConfig } {
  const result = importer.importFiles([{ path: file, text }]);
  return { result, config: loadImported(result).config };
}

function jobOf(config: ResolvedConfig, name: string): ResolvedJob {
  const job = config.jobs.find((candidate) => candidate.name === name);
  assert.ok(job, `a job named ${name} among ${config.jobs.map((j) => j.name).join(', ')}`);
  return job;
}

function warningsAt(result: ImportResult, line: number): ImportWarning[] {
  return result.warnings.filter((warning) => warning.line === line);
}

describe('the crontab importer', () => {
  it('passes NAME=value lines to the entries after them, as cron reads the value', () => {
    const { config } = importText(
      [
        'A = "  spaced  "',
        "B='single'",
        'C=plain # not a comment',
        '* * * * * echo one',
        'A=changed',
        '* * * * * echo two',
      ].join('\n'),
    );
    assert.deepEqual(jobOf(config, 'echo').env, { A: '  spaced  ', B: 'single', C: 'plain # not a comment' });
    assert.deepEqual(jobOf(config, 'echo-2').env, { A: 'changed', B: 'single', C: 'plain # not a comment' });
  });

  it('reads the schedules after CRON_TZ in its zone, and TZ too (also passed on)', () => {
    const { config } = importText(
      [
        '* * * * * echo utc',
        'CRON_TZ=Europe/Berlin',
        '0 2 * * * echo berlin',
        'TZ=America/New_York',
        '0 2 * * * echo ny',
      ].join('\n'),
    );
    assert.equal(jobOf(config, 'echo').timezone, 'UTC');
    assert.equal(jobOf(config, 'echo-2').timezone, 'Europe/Berlin');
    assert.equal(jobOf(config, 'echo-3').timezone, 'America/New_York');
    assert.equal(jobOf(config, 'echo-3').env['TZ'], 'America/New_York');
  });

  it("takes the machine's zone for a crontab without CRON_TZ, and says so", () => {
    const berlin = createCrontabImporter({ localTimeZone: () => 'Europe/Berlin' });
    const result = berlin.importFiles([{ path: 'c', text: '0 2 * * * echo a\n0 3 * * * echo b\n' }]);
    const { config } = loadImported(result);
    assert.equal(jobOf(config, 'echo-2').timezone, 'Europe/Berlin');
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]?.message ?? '', /local time zone/);
  });

  it('turns MAILTO into an e-mail channel told of the failures of the jobs after it; MAILTO="" stops it', () => {
    const { result, config } = importText(
      [
        '* * * * * echo quiet',
        'MAILTO=ops@example.com,oncall@example.com',
        '* * * * * echo mailed',
        'MAILTO=""',
        '* * * * * echo silent',
      ].join('\n'),
    );
    assert.deepEqual(result.channels, {
      mail: {
        email: {
          to: ['ops@example.com', 'oncall@example.com'],
          smtp_url: '${SMTP_URL:-smtp://localhost:25}',
        },
      },
    });
    assert.ok(config.channels.has('mail'));
    assert.deepEqual(jobOf(config, 'echo').notify, {});
    assert.deepEqual(jobOf(config, 'echo-2').notify, { failure: ['mail'] });
    assert.deepEqual(jobOf(config, 'echo-3').notify, {});
    assert.match(warningsAt(result, 2)[0]?.message ?? '', /mails the output of every run/);
  });

  it('sends the text after the first % to the command as its standard input, later ones as newlines', () => {
    const { result, config } = importText('0 22 * * 1-5 cat%Joe,%%Where are your kids?% 100\\% sure\n');
    const job = jobOf(config, 'cat');
    assert.equal(output(job), 'Joe,\n\nWhere are your kids?\n 100% sure');
    assert.match(warningsAt(result, 1)[0]?.action ?? '', /piped into the command with printf/);
  });

  it('reads \\% in the command as a literal %', () => {
    const { result, config } = importText("* * * * * printf '\\%s-\\%s' a b\n");
    assert.equal(output(jobOf(config, 'printf')), 'a-b');
    assert.deepEqual(result.warnings, []);
  });

  const shorthands = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
  for (const shorthand of shorthands) {
    it(`keeps ${shorthand} as the schedule`, () => {
      const { result, config } = importText(`${shorthand} echo x\n`);
      assert.equal(result.jobs[0]?.entry['schedule'], shorthand);
      assert.equal(jobOf(config, 'echo').schedules.length, 1);
      assert.deepEqual(result.warnings, []);
    });
  }

  it('makes @reboot the startup schedule, with a warning on what differs', () => {
    const { result, config } = importText('@reboot echo booted\n');
    assert.equal(result.jobs[0]?.entry['schedule'], '@reboot');
    assert.equal(jobOf(config, 'echo').schedules[0]?.spec.kind, 'startup');
    assert.match(warningsAt(result, 1)[0]?.action ?? '', /startup schedule/);
  });

  const commands: { name: string; line: string; shell: boolean }[] = [
    { name: 'a plain command stays a plain command', line: '/usr/bin/backup --full', shell: false },
    { name: 'a redirection keeps a shell line', line: 'backup >> /tmp/x.log 2>&1', shell: true },
    { name: 'a pipe keeps a shell line', line: 'backup | gzip > /tmp/x.gz', shell: true },
    { name: 'an assignment in front keeps a shell line', line: 'LANG=C backup', shell: true },
    { name: 'a variable keeps a shell line', line: 'backup $HOME', shell: true },
  ];
  for (const { name, line, shell } of commands) {
    it(name, () => {
      const { result, config } = importText(`0 1 * * * ${line}\n`);
      assert.equal(result.jobs[0]?.entry['shell'] === true, shell);
      assert.equal(jobOf(config, 'backup').target.kind, 'command');
    });
  }

  it('runs every line through SHELL when the crontab names another shell', () => {
    const { config } = importText('SHELL=/bin/bash\n* * * * * echo $BASH_VERSION | grep -c .\n');
    assert.deepEqual(started(jobOf(config, 'echo')), ['/bin/bash', '-c', 'echo $BASH_VERSION | grep -c .']);
    assert.equal(jobOf(config, 'echo').env['SHELL'], '/bin/bash');
  });

  it("keeps the shell's ${VAR}, $VAR, $(...), backticks and $$ untouched", () => {
    const line = 'echo "${HOME:-none}" $HOME $(echo sub) `echo tick` $$ > /dev/null';
    const { config } = importText(`* * * * * ${line}\n`);
    assert.deepEqual(started(jobOf(config, 'echo')), ['/bin/sh', '-c', line]);
  });

  it('keeps a {name} the shell reads literally from becoming a placeholder, with a warning', () => {
    const { result, config } = importText('* * * * * echo {job} \'{x}\' "{y}" \\{z} ${HOME}x\n');
    // HOME is unset in the test's shell, so ${HOME}x is x.
    assert.equal(output(jobOf(config, 'echo')), '{job} {x} {y} {z} x\n');
    assert.match(
      warningsAt(result, 1)[0]?.message ?? '',
      /\{job\}, \{x\}, \{y\}, \{z\} would be read as a cronplane placeholder/,
    );
  });

  it('makes the comment right above an entry its description, and keeps the others as comments', () => {
    const { result, config } = importText(
      [
        '# Env (adjust)',
        'A=1',
        '',
        '# header',
        '#',
        '# Nightly backup',
        '0 2 * * * backup',
        '# 0 3 * * * old-job',
        '0 4 * * * backup',
      ].join('\n'),
    );
    assert.equal(jobOf(config, 'backup').description, 'Nightly backup');
    assert.deepEqual(result.jobs[0]?.comments, ['Env (adjust)', 'header', '']);
    assert.equal(jobOf(config, 'backup-2').description, undefined, 'a commented-out entry is no description');
    assert.deepEqual(result.jobs[1]?.comments, ['0 3 * * * old-job']);
  });

  it('recognises run-parts, names the job after its folder and warns that it runs a whole folder', () => {
    const { result } = importText(
      '25 6 * * * test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }\n',
    );
    assert.equal(result.jobs[0]?.name, 'cron.daily');
    assert.match(warningsAt(result, 1)[0]?.message ?? '', /run-parts runs every executable file/);
  });

  const names: { line: string; name: string }[] = [
    { line: '/usr/local/bin/backup.sh', name: 'backup.sh' },
    { line: 'cd /opt/app && .venv/bin/python -m cron.eval_nightly', name: 'eval_nightly' },
    { line: 'python3 /srv/jobs/Report-Weekly.py --full', name: 'report-weekly' },
    { line: 'wget -qO- "$API_URL/api/v1/workers/reset-credits"', name: 'reset-credits' },
    { line: 'sleep 30 && /path/to/script.sh', name: 'script.sh' },
    { line: 'test -e /run/systemd/system || SERVICE_MODE=1 /sbin/e2scrub_all -A -r', name: 'e2scrub_all' },
  ];
  for (const { line, name } of names) {
    it(`names the job of "${line}" ${name}`, () => {
      assert.equal(importText(`* * * * * ${line}\n`).result.jobs[0]?.name, name);
    });
  }

  it('makes names unique: backup, backup-2', () => {
    const { result } = importText('0 1 * * * backup\n0 2 * * * backup\n');
    assert.deepEqual(
      result.jobs.map((job) => job.name),
      ['backup', 'backup-2'],
    );
  });

  it('reads the user field of system crontabs (/etc/crontab, cron.d) and runs the job as that user', () => {
    for (const file of ['/etc/crontab', 'fixtures/etc/cron.d/backup']) {
      const { config } = importText('0 2 * * * postgres pg_dumpall > /tmp/all.sql\n', file);
      assert.equal(jobOf(config, 'pg_dumpall').user, 'postgres', file);
    }
  });

  it("combines day-of-month and day-of-week as cron does: either when both are given, both when one starts with '*'", () => {
    const { result } = importText('0 0 1 * 1 echo either\n0 0 */2 * 1 echo both\n');
    const fires = (schedule: unknown) => {
      const compiled = compileSchedule(parseSchedule(String(schedule), { syntax: 'cron' }), {
        timezone: 'UTC',
      });
      const days: string[] = [];
      for (let at = Date.UTC(2026, 0, 1) - 1; days.length < 4;) {
        at = compiled.next(at) ?? assert.fail('no next fire');
        days.push(new Date(at).toISOString().slice(0, 10));
      }
      return days;
    };
    // 2026-01-01 is a Thursday: the first of the month or a Monday.
    assert.deepEqual(fires(result.jobs[0]?.entry['schedule']), [
      '2026-01-01',
      '2026-01-05',
      '2026-01-12',
      '2026-01-19',
    ]);
    // Odd days that are Mondays.
    assert.deepEqual(fires(result.jobs[1]?.entry['schedule']), [
      '2026-01-05',
      '2026-01-19',
      '2026-02-09',
      '2026-02-23',
    ]);
  });

  const invalid: { name: string; text: string; line: number; column: number; message: RegExp }[] = [
    {
      name: 'a schedule out of range',
      text: '# ok\n0 25 * * * echo x\n',
      line: 2,
      column: 3,
      message: /hour field: "25" is out of range/,
    },
    {
      name: 'an entry without a command',
      text: '0 2 * * *\n',
      line: 1,
      column: 10,
      message: /expected a command/,
    },
    { name: 'an entry with four fields', text: '0 2 * *\n', line: 1, column: 8, message: /found 4 fields/ },
    {
      name: 'an unknown shorthand',
      text: '@fortnightly echo x\n',
      line: 1,
      column: 1,
      message: /not a shorthand/,
    },
    {
      name: 'an unknown CRON_TZ',
      text: 'CRON_TZ=Mars/Olympus\n0 2 * * * echo x\n',
      line: 1,
      column: 0,
      message: /not a known IANA time zone/,
    },
  ];
  for (const { name, text, line, column, message } of invalid) {
    it(`refuses ${name} with its file:line and imports nothing`, () => {
      assert.throws(
        () => importer.importFiles([{ path: 'bad.crontab', text: `0 1 * * * echo fine\n${text}` }]),
        (thrown: unknown) => {
          assert.ok(thrown instanceof ImportProblemsError);
          const problem = thrown.problems[0];
          assert.equal(thrown.problems.length, 1);
          assert.equal(problem?.file, 'bad.crontab');
          assert.equal(problem?.line, line + 1);
          if (column > 0) assert.equal(problem?.column, column);
          assert.match(problem?.message ?? '', message);
          return true;
        },
      );
    });
  }

  it('recognises crontabs by name or by their lines, and not unit files or manifests', () => {
    const recognises = (path: string, text: string) => importer.recognises({ path, text });
    assert.ok(recognises('/etc/crontab', ''));
    assert.ok(recognises('jobs.txt', '# hi\nA=1\n0 2 * * * echo x\n'));
    assert.ok(!recognises('x.timer', '[Timer]\nOnCalendar=daily\n'));
    assert.ok(!recognises('x.yaml', 'apiVersion: batch/v1\nkind: CronJob\nspec:\n  schedule: "0 2 * * *"\n'));
  });
});
