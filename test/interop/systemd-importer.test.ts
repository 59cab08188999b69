/**
 * The systemd importer: one case per construct of issue 14 (timer and service settings), the
 * unit pairs of the seeds, the timers this machine ships, and systemd-analyze as the oracle of
 * the imported schedules' next fires. Every imported job is loaded by the job file's own loader.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compileSchedule } from '../../src/calendar/index.ts';
import { systemdImporter } from '../../src/interop/index.ts';
import type { ImportResult, SourceFile } from '../../src/interop/index.ts';
import { importErrorOf, loadOnlyJob, loadResult, onlyEntry, warningsOf } from './job-file-from-result.ts';
import { output } from './run-imported-command.ts';
import { systemdCalendarFires } from './systemd-analyze.ts';

function pair(timer: string, service: string, extra: readonly SourceFile[] = []): ImportResult {
  return systemdImporter.importFiles([
    { path: 'units/job.timer', text: `[Timer]\n${timer}\n` },
    { path: 'units/job.service', text: `[Service]\n${service}\n` },
    ...extra,
  ]);
}

const run = 'ExecStart=/bin/true';

describe('systemd importer: timer settings', () => {
  const cases: {
    name: string;
    timer: string;
    expect: Readonly<Record<string, unknown>>;
    warning?: RegExp;
  }[] = [
    {
      name: 'several OnCalendar= lines become a list (their union)',
      timer: 'OnCalendar=daily\nOnCalendar=02:00\nOnCalendar=Mon *-*-* 12:00 Europe/Berlin',
      expect: { schedule: ['daily', '02:00', 'Mon *-*-* 12:00 Europe/Berlin'] },
    },
    {
      name: 'an empty OnCalendar= resets the list',
      timer: 'OnCalendar=daily\nOnCalendar=\nOnCalendar=weekly',
      expect: { schedule: 'weekly' },
    },
    {
      name: 'OnBootSec= becomes a start-up schedule, its delay a warning',
      timer: 'OnBootSec=15min',
      expect: { schedule: '@reboot' },
      warning: /job\.timer:2 OnBootSec=15min fires 15m after .* -> became "@reboot"/,
    },
    {
      name: 'OnStartupSec= too',
      timer: 'OnStartupSec=0',
      expect: { schedule: '@reboot' },
    },
    {
      name: 'OnUnitActiveSec= becomes an interval anchored on the epoch',
      timer: 'OnBootSec=5min\nOnUnitActiveSec=1h 30min',
      expect: { schedule: ['@reboot', 'every 1h30m'] },
      warning: /OnUnitActiveSec=1h 30min counts from the service's last start -> became "every 1h30m"/,
    },
    {
      name: 'OnActiveSec= too',
      timer: 'OnActiveSec=600',
      expect: { schedule: 'every 10m' },
      warning: /OnActiveSec=600 counts from the timer's activation/,
    },
    {
      name: 'Persistent=true becomes catch_up: once',
      timer: 'OnCalendar=daily\nPersistent=true',
      expect: { schedule: 'daily', catch_up: 'once' },
    },
    {
      name: 'RandomizedDelaySec= becomes randomized_delay',
      timer: 'OnCalendar=daily\nRandomizedDelaySec=30min',
      expect: { randomized_delay: '30m' },
    },
    {
      name: 'FixedRandomDelay=true is a warning',
      timer: 'OnCalendar=daily\nRandomizedDelaySec=1h\nFixedRandomDelay=yes',
      expect: { randomized_delay: '1h' },
      warning: /job\.timer:4 FixedRandomDelay=true keeps one random delay/,
    },
    {
      name: 'AccuracySec= is a warning',
      timer: 'OnCalendar=weekly\nAccuracySec=1h',
      expect: { schedule: 'weekly' },
      warning: /job\.timer:3 AccuracySec=1h lets systemd start up to that late/,
    },
    {
      name: 'a timer without any trigger imports without a schedule',
      timer: 'Persistent=false',
      expect: { schedule: undefined },
      warning: /has no OnCalendar=.* -> imported without a schedule/,
    },
  ];
  for (const item of cases) {
    it(item.name, () => {
      const result = pair(item.timer, run);
      const entry = onlyEntry(result);
      for (const [key, value] of Object.entries(item.expect)) assert.deepEqual(entry[key], value, key);
      if (item.warning !== undefined) {
        assert.ok(
          warningsOf(result).some((line) => item.warning?.test(line)),
          warningsOf(result).join('\n'),
        );
      }
      const job = loadOnlyJob(result);
      assert.equal(job.name, 'job');
    });
  }

  it('loads the values: two schedules, one catch-up run, a 30 min delay', () => {
    const job = loadOnlyJob(
      pair('OnCalendar=daily\nOnCalendar=02:00\nPersistent=true\nRandomizedDelaySec=30min', run),
    );
    assert.deepEqual(
      job.schedules.map((schedule) => schedule.text),
      ['daily', '02:00'],
    );
    assert.equal(job.catchUp, 'once');
    assert.equal(job.randomizedDelayMs, 30 * 60_000);
  });

  it('warns once that OnCalendar= without a zone is local time', () => {
    const lines = warningsOf(pair('OnCalendar=daily\nOnCalendar=hourly', run));
    assert.equal(lines.filter((line) => line.includes("the machine's local time")).length, 1);
  });

  it('finds the service Unit= names', () => {
    const result = systemdImporter.importFiles([
      { path: 'a/backup.timer', text: '[Timer]\nOnCalendar=daily\nUnit=nightly-backup.service\n' },
      { path: 'a/nightly-backup.service', text: '[Service]\nExecStart=/usr/bin/backup\n' },
    ]);
    assert.equal(result.jobs[0]?.name, 'backup');
    assert.deepEqual(onlyEntry(result)['run'], ['/usr/bin/backup']);
  });

  it('refuses a timer whose service is missing, naming the timer and its Unit= line', () => {
    const message = importErrorOf(() =>
      systemdImporter.importFiles([
        { path: 'a/backup.timer', text: '[Timer]\nOnCalendar=daily\nUnit=other.service\n' },
      ]),
    );
    assert.match(
      message,
      /^a\/backup\.timer:3: the timer starts other\.service, which is not among the files given/,
    );
  });

  it('refuses an OnCalendar= the calendar engine cannot read, naming file:line', () => {
    const message = importErrorOf(() => pair('OnCalendar=daily\nOnCalendar=*-*-* 25:00', run));
    assert.match(message, /^units\/job\.timer:3: OnCalendar=\*-\*-\* 25:00: /);
  });

  it('refuses a line that is not an assignment, naming file:line', () => {
    assert.match(
      importErrorOf(() => pair('OnCalendar daily', run)),
      /^units\/job\.timer:2: "OnCalendar daily" is not a Key=value/,
    );
  });
});

describe('systemd importer: service settings', () => {
  const cases: {
    name: string;
    service: string;
    expect: Readonly<Record<string, unknown>>;
    warning?: RegExp;
  }[] = [
    {
      name: 'ExecStart= is split as systemd splits it: quotes, escapes, continuations, comments',
      service:
        "ExecStart=/usr/bin/python -m tool \\\n# a comment inside the continuation\n  --name \"two words\" 'it'\"'\"'s' a\\tb \\\n  --pct 50%%",
      expect: {
        run: ['/usr/bin/python', '-m', 'tool', '--name', 'two words', "it's", 'a\tb', '--pct', '50%'],
      },
    },
    {
      name: 'ExecStart= with $VAR and ${VAR} becomes a shell line that expands them as systemd does',
      service:
        'Environment=OPTS="-a -b" DIR=/srv\nExecStart=/usr/bin/tool $OPTS --dir=${DIR}/data \'$$literal\'',
      expect: { run: `/usr/bin/tool $OPTS --dir="$\${DIR}"/data '$literal'`, shell: true },
    },
    {
      name: 'the "-" prefix ignores the failure',
      service: 'ExecStart=-/usr/bin/cleanup --all',
      expect: { run: '{ /usr/bin/cleanup --all || true; }', shell: true },
    },
    {
      name: 'the "@" prefix drops argv[0] with a warning',
      service: 'ExecStart=@/usr/bin/tool tool-name --flag',
      expect: { run: ['/usr/bin/tool', '--flag'] },
      warning: /the prefix "@" passes "tool-name" as argv\[0\]/,
    },
    {
      name: 'the "+" prefix is a warning',
      service: 'ExecStart=+/usr/bin/tool',
      expect: { run: ['/usr/bin/tool'] },
      warning: /the prefix "\+" runs it with full privileges/,
    },
    {
      name: 'ExecStartPre= lines become pre: commands, in order ("-" ignores a failure)',
      service:
        'ExecStartPre=/usr/bin/sqlite3 /db "PRAGMA optimize;"\nExecStartPre=-/usr/bin/rm /tmp/lock\nExecStart=/usr/bin/report',
      expect: {
        pre: [
          ['/usr/bin/sqlite3', '/db', 'PRAGMA optimize;'],
          { run: '{ /usr/bin/rm /tmp/lock || true; }', shell: true },
        ],
        run: ['/usr/bin/report'],
      },
    },
    {
      name: 'ExecCondition= becomes the skip condition',
      service: 'ExecCondition=/usr/bin/test -s /var/spool/todo\nExecStart=/usr/bin/drain',
      expect: { condition: ['/usr/bin/test', '-s', '/var/spool/todo'], run: ['/usr/bin/drain'] },
    },
    {
      name: 'WorkingDirectory=, User=, Group= become cwd, user, group',
      service: 'WorkingDirectory=/app\nUser=sigmak\nGroup=staff\n' + run,
      expect: { cwd: '/app', user: 'sigmak', group: 'staff' },
    },
    {
      name: 'Environment= takes quoted assignments, several per line, and an empty one resets',
      service:
        'Environment=OLD=1\nEnvironment=\nEnvironment="A=one two" B=three \'C=four\'\nEnvironment=D=$HOME/x\n' +
        run,
      expect: { env: { A: 'one two', B: 'three', C: 'four', D: '$HOME/x' } },
    },
    {
      name: 'EnvironmentFile= becomes env_file, "-" kept as optional',
      service: 'EnvironmentFile=/etc/app.env\nEnvironmentFile=-/etc/app.local.env\n' + run,
      expect: { env_file: ['/etc/app.env', '-/etc/app.local.env'] },
    },
    {
      name: 'TimeoutStartSec= in bare seconds becomes timeout',
      service: 'TimeoutStartSec=600\n' + run,
      expect: { timeout: '10m' },
    },
    {
      name: 'MemoryMax= and CPUQuota= become limits',
      service: 'MemoryMax=2G\nCPUQuota=50%\nLimitNOFILE=4096\nTasksMax=64\n' + run,
      expect: { limits: { memory: '2G', cpu: '50%', open_files: 4096, processes: 64 } },
    },
    {
      name: 'Restart=on-failure with RestartSec= becomes a fixed retry',
      service: 'Restart=on-failure\nRestartSec=5m\n' + run,
      expect: { retry: { attempts: 3, backoff: 'fixed', delay: '5m' } },
      warning: /Restart=on-failure restarts the service with no count/,
    },
    {
      name: 'SuccessExitStatus= becomes exit codes meaning success; signals are warnings',
      service: 'SuccessExitStatus=2 DATAERR SIGKILL\n' + run,
      expect: { exit_codes: { 2: 'success', 65: 'success' } },
      warning: /"SIGKILL" is a signal/,
    },
    {
      name: 'StandardOutput=append: becomes log.file',
      service: 'StandardOutput=append:/var/log/job.log\n' + run,
      expect: { log: { file: '/var/log/job.log' } },
    },
    {
      name: 'a setting without a counterpart is a warning with its line',
      service: 'Nice=19\n' + run,
      expect: { run: ['/bin/true'] },
      warning: /units\/job\.service:2 \[Service\] Nice=19 has no counterpart in the job file -> dropped/,
    },
  ];
  for (const item of cases) {
    it(item.name, () => {
      const result = pair('OnCalendar=daily', item.service);
      const entry = onlyEntry(result);
      for (const [key, value] of Object.entries(item.expect)) assert.deepEqual(entry[key], value, key);
      if (item.warning !== undefined) {
        assert.ok(
          warningsOf(result).some((line) => item.warning?.test(line)),
          warningsOf(result).join('\n'),
        );
      }
      loadOnlyJob(result);
    });
  }

  it('loads the values as the service meant them', () => {
    const job = loadOnlyJob(
      pair(
        'OnCalendar=daily',
        [
          'Environment="A=one two" D=$HOME',
          'ExecCondition=/usr/bin/test -s /var/spool/todo',
          'ExecStart=/usr/bin/tool $A --x=${D}',
          'TimeoutStartSec=10min',
          'MemoryMax=512M',
          'CPUQuota=150%',
          'Restart=on-failure',
          'RestartSec=30',
          'SuccessExitStatus=3',
        ].join('\n'),
      ),
    );
    assert.deepEqual(job.env, { A: 'one two', D: '$HOME' });
    assert.deepEqual(job.target, { kind: 'command', argv: ['/usr/bin/tool $A --x="${D}"'], shell: true });
    assert.deepEqual(job.condition?.argv, ['/usr/bin/test', '-s', '/var/spool/todo']);
    assert.equal(job.timeoutMs, 600_000);
    assert.deepEqual(job.limits, { memoryBytes: 512 * 1024 ** 2, cpu: 1.5 });
    assert.deepEqual([job.retry.attempts, job.retry.backoff, job.retry.delayMs], [3, 'fixed', 30_000]);
    assert.equal(job.exitCodes.get(3), 'success');
  });

  it('loads an Environment= value with ${HOME} as that text, with no placeholder warning', () => {
    const result = pair('OnCalendar=daily', 'Environment=D=${HOME}/x "E=${A:-b} $$"\nExecStart=/usr/bin/env');
    assert.deepEqual(onlyEntry(result)['env'], { D: '$${HOME}/x', E: '$${A:-b} $$$' });
    assert.deepEqual(
      warningsOf(result).filter((line) => line.includes('placeholder')),
      [],
    );
    assert.deepEqual(loadOnlyJob(result).env, { D: '${HOME}/x', E: '${A:-b} $$' });
  });

  it('warns about a {name} in an env value, which has no escape', () => {
    const lines = warningsOf(pair('OnCalendar=daily', 'Environment=D={HOME}\nExecStart=/usr/bin/env'));
    assert.ok(
      lines.some((line) => /job\.service:2 D's value holds \{HOME\}/.test(line)),
      lines.join('\n'),
    );
  });

  it("gives the program a command's {name} as written, by the crontab importer's escape ({''name} in a shell line)", () => {
    const result = pair(
      'OnCalendar=daily',
      `ExecStart=/bin/echo {job} '{x}' "a {y}" \${HOME}x\nExecCondition=/bin/sh -c "test {z} = '{z}'"`,
    );
    // systemd expands ${HOME} itself: it stays the shell's, unset in the test's environment.
    assert.deepEqual(onlyEntry(result)['run'], `/bin/echo '{''job}' '{''x}' 'a {''y}' "$\${HOME}"x`);
    const job = loadOnlyJob(result);
    assert.equal(output(job), '{job} {x} a {y} x\n');
    assert.deepEqual(job.condition?.argv, ["/bin/sh -c 'test {''z} = '\"'\"'{''z}'\"'\"''"]);
    const lines = warningsOf(result);
    assert.ok(
      lines.some((line) =>
        line.includes(
          "job.service:2 ExecStart=: {job}, {x}, {y} would be read as a cronplane placeholder -> written {''job}",
        ),
      ),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((line) => line.includes('job.service:3 ExecCondition=: {z}, {z}')),
      lines.join('\n'),
    );
  });

  it('applies a drop-in after its unit', () => {
    const result = pair('OnCalendar=daily', run, [
      { path: 'units/job.timer.d/override.conf', text: '[Timer]\nOnCalendar=\nOnCalendar=hourly\n' },
    ]);
    assert.equal(onlyEntry(result)['schedule'], 'hourly');
  });

  it('refuses a service without ExecStart=, naming the file', () => {
    assert.match(
      importErrorOf(() => pair('OnCalendar=daily', 'User=x')),
      /^units\/job\.service: the service has no ExecStart=/,
    );
  });

  it('refuses an unclosed quote, naming file:line', () => {
    assert.match(
      importErrorOf(() => pair('OnCalendar=daily', 'ExecStart=/bin/echo "open')),
      /^units\/job\.service:2: ExecStart=.*never closed/,
    );
  });
});

/** Every timer this machine ships, with its service beside it. */
function machineTimers(): SourceFile[] {
  const files: SourceFile[] = [];
  for (const folder of ['/lib/systemd/system', '/usr/lib/systemd/system']) {
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).filter((entry) => entry.endsWith('.timer'))) {
      const service = path.join(folder, name.replace(/\.timer$/, '.service'));
      files.push({ path: path.join(folder, name), text: readFileSync(path.join(folder, name), 'utf8') });
      if (existsSync(service)) files.push({ path: service, text: readFileSync(service, 'utf8') });
    }
  }
  return files;
}

describe('systemd importer: the timers this machine ships', () => {
  it('imports every /lib/systemd/system and /usr/lib/systemd/system timer, and each job loads', () => {
    const files = machineTimers();
    assert.ok(
      files.some((file) => file.path.endsWith('.timer')),
      'a Debian machine (this one, and CI) ships timers in /lib/systemd/system; none found',
    );
    for (const folder of ['/lib/systemd/system', '/usr/lib/systemd/system']) {
      const own = files.filter((file) => path.dirname(file.path) === folder);
      if (own.length === 0) continue;
      const result = systemdImporter.importFiles(own);
      assert.equal(result.jobs.length, own.filter((file) => file.path.endsWith('.timer')).length);
      assert.equal(loadResult(result).jobs.length, result.jobs.length);
    }
  });

  it('gives the next 20 fires systemd-analyze gives, for the OnCalendar= lines imported', () => {
    const timers = [
      ...machineTimers(),
      {
        path: 'x/a.timer',
        text: '[Timer]\nOnCalendar=Mon..Fri 09:30\nOnCalendar=*-*-15 02:00\nOnCalendar=*:0/15\n',
      },
      { path: 'x/a.service', text: '[Service]\nExecStart=/bin/true\n' },
    ].filter((file) => !file.path.startsWith('/usr/lib') || !existsSync('/lib/systemd/system'));
    const expressions = new Set<string>();
    for (const job of systemdImporter.importFiles(timers).jobs) {
      const schedule = job.entry['schedule'];
      for (const text of Array.isArray(schedule) ? schedule : [schedule]) {
        if (typeof text === 'string' && text !== '@reboot' && !text.startsWith('every '))
          expressions.add(text);
      }
    }
    assert.ok(expressions.size >= 5, [...expressions].join(', '));
    const baseMs = Date.UTC(2026, 2, 14, 12, 0, 0);
    for (const expression of expressions) {
      const oracle = systemdCalendarFires(expression, baseMs, 20);
      const job = loadOnlyJob(pair(`OnCalendar=${expression}`, run));
      const schedule = compileSchedule(job.schedules[0]?.spec as never, { timezone: 'UTC' });
      const ours: number[] = [];
      for (let at = baseMs; ours.length < 20;) {
        const next = schedule.next(at);
        assert.ok(next !== null);
        ours.push(next);
        at = next;
      }
      assert.deepEqual(ours, oracle, expression);
    }
  });
});
