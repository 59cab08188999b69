import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readConfig } from '../../src/config/index.ts';
import type { CliIo } from '../../src/cli/cli-io.ts';
import { runImport } from '../../src/cli/commands/import.ts';
import type { Importer } from '../../src/interop/index.ts';
import {
  createCrontabImporter,
  ImportProblemsError,
  k8sImporter,
  systemdImporter,
} from '../../src/interop/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import { runCronplane } from '../support/run-cronplane.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-import-cli-'));
writeFileSync(
  path.join(folder, 'user.crontab'),
  '# Nightly backup\n0 2 * * * backup.sh >> /tmp/b.log 2>&1\n',
);
mkdirSync(path.join(folder, 'cron.d'));
writeFileSync(path.join(folder, 'cron.d', 'a'), 'MAILTO=ops@example.com\n0 3 * * * root rotate\n');
writeFileSync(path.join(folder, 'cron.d', 'b'), '@reboot root warm-cache\n');
writeFileSync(path.join(folder, 'bad.crontab'), '0 2 * * * ok\n0 2 * * mon-fry broken\n');
writeFileSync(path.join(folder, 'unit.timer'), '[Timer]\nOnCalendar=daily\n');

function io(options: { isTty?: boolean } = {}): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    env: {},
    cwd: folder,
    isTty: options.isTty ?? false,
  };
}

const utc: readonly Importer[] = [createCrontabImporter({ localTimeZone: () => 'UTC' })];
const run = (
  paths: string[],
  options: Partial<{ from: string; output: string; json: boolean }>,
  cli = io(),
) => ({
  code: runImport(paths, { from: 'auto', json: false, ...options }, cli, utc),
  cli,
});

describe('cronplane import', () => {
  it('writes a job file for files and folders to -o that validates, warnings on stderr as file:line', () => {
    const { code, cli } = run(['user.crontab', 'cron.d'], { output: 'out.yaml' });
    assert.equal(code, 0);
    assert.deepEqual(cli.stdout, []);
    const config = readConfig(path.join(folder, 'out.yaml'), { kinds: builtinKinds, env: {} });
    assert.deepEqual(
      config.jobs.map((job) => job.name),
      ['backup.sh', 'rotate', 'warm-cache'],
    );
    assert.match(
      cli.stderr.join('\n'),
      /^cron\.d\/a:1: MAILTO=ops@example\.com: .*\(became the e-mail channel mail/m,
    );
    assert.match(cli.stderr.join('\n'), /^cron\.d\/b:1: @reboot runs once when cron starts at boot \(/m);
    assert.match(cli.stderr.at(-1) ?? '', /out\.yaml: 3 jobs, 1 channel, 2 warnings/);
    assert.match(readFileSync(path.join(folder, 'out.yaml'), 'utf8'), /# from cron\.d\/a:2\n {2}rotate:/);
  });

  it('prints the job file on stdout without -o', () => {
    const { code, cli } = run(['user.crontab'], {});
    assert.equal(code, 0);
    assert.match(cli.stdout.join('\n'), /^ {2}# Nightly backup|description: Nightly backup/m);
  });

  it('prints {jobs, channels, warnings} with --json', () => {
    const { code, cli } = run(['cron.d'], { json: true });
    assert.equal(code, 0);
    const printed = JSON.parse(cli.stdout.join('\n')) as { jobs: { name: string }[]; warnings: unknown[] };
    assert.deepEqual(
      printed.jobs.map((job) => job.name),
      ['rotate', 'warm-cache'],
    );
    assert.equal(printed.warnings.length, 2);
  });

  it('exits 1 naming the file and line it cannot parse, and writes nothing', () => {
    const { code, cli } = run(['user.crontab', 'bad.crontab'], { output: 'never.yaml' });
    assert.equal(code, 1);
    assert.match(cli.stderr[0] ?? '', /^error: bad\.crontab:2:13: day-of-week field: "fry" is not valid/);
    assert.throws(() => readFileSync(path.join(folder, 'never.yaml')));
  });

  it('exits 1 naming a file it cannot read or recognise', () => {
    assert.equal(run(['missing.crontab'], {}).code, 1);
    const unknown = run(['unit.timer'], {});
    assert.equal(unknown.code, 1);
    assert.match(unknown.cli.stderr[0] ?? '', /unit\.timer: not recognised as crontab/);
    if (process.getuid?.() !== 0) {
      writeFileSync(path.join(folder, 'secret.crontab'), '* * * * * x\n');
      chmodSync(path.join(folder, 'secret.crontab'), 0o000);
      const unreadable = run(['secret.crontab'], {});
      assert.equal(unreadable.code, 1);
      assert.match(unreadable.cli.stderr[0] ?? '', /cannot read secret\.crontab/);
    }
  });

  it('says a format whose importer a build lacks with exit 2', () => {
    const cli = io();
    const onlyCrontab = [createCrontabImporter({})];
    assert.equal(runImport(['unit.timer'], { from: 'systemd', json: false }, cli, onlyCrontab), 2);
    assert.match(cli.stderr[0] ?? '', /--from systemd is planned and not in this build yet/);
  });

  it('shows progress on a terminal for many files', () => {
    const many = path.join(folder, 'many');
    mkdirSync(many);
    for (let n = 0; n < 120; n++)
      writeFileSync(path.join(many, `f${String(n).padStart(3, '0')}.crontab`), `${n % 60} * * * * job\n`);
    const tty = run(['many'], { json: true }, io({ isTty: true }));
    assert.equal(tty.code, 0);
    assert.deepEqual(tty.cli.stderr, ['read 50 of 120 files', 'read 100 of 120 files']);
    assert.deepEqual(run(['many'], { json: true }).cli.stderr, []);
  });

  it('gives the output docs/interop.md shows for its example', () => {
    const doc = readFileSync(path.join(import.meta.dirname, '../../docs/interop.md'), 'utf8');
    const example = /```cron\n([\s\S]*?)```[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc);
    assert.ok(example, 'a cron example followed by its job file');
    writeFileSync(path.join(folder, 'crontab.txt'), example[1] ?? '');
    const { code, cli } = run(['crontab.txt'], {});
    assert.equal(code, 0);
    assert.equal(`${cli.stdout.join('\n')}\n`, example[2]);
  });

  it('runs as the real command, with usage errors exiting 2', async () => {
    const ok = await runCronplane(['import', '--from', 'crontab', 'user.crontab'], {
      cwd: folder,
      env: { TZ: 'UTC' },
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^version: 1$/m);
    const usage = await runCronplane(['import', '--from', 'cron', 'user.crontab'], { cwd: folder });
    assert.equal(usage.code, 2);
    const none = await runCronplane(['import'], { cwd: folder });
    assert.equal(none.code, 2);
  });
});

describe('cronplane import with an importer that stops at its first bad line', () => {
  it('prints its located problem and exits 1', () => {
    const stopping: Importer = {
      format: 'systemd',
      recognises: (file) => file.path.endsWith('.timer'),
      importFiles: () => {
        throw new ImportProblemsError([
          { file: 'unit.timer', line: 2, message: 'OnCalendar=nope is not a calendar' },
        ]);
      },
    };
    const cli = io();
    assert.equal(runImport(['unit.timer'], { from: 'systemd', json: false }, cli, [stopping]), 1);
    assert.deepEqual(cli.stderr, [
      'error: unit.timer:2: OnCalendar=nope is not a calendar',
      '1 problem; nothing was imported.',
    ]);
  });
});

describe('cronplane import of systemd units and Kubernetes manifests', () => {
  const units = mkdtempSync(path.join(tmpdir(), 'cronplane-import-formats-'));
  const timer = '[Unit]\nDescription=Nightly dump\n[Timer]\nOnCalendar=*-*-* 03:00\nPersistent=true\n';
  const service =
    '[Service]\nType=oneshot\nEnvironment=DIR=${HOME}/dumps\nExecStart=/usr/bin/pg_dump -f ${DIR}/db.sql\n';
  const manifest = [
    'apiVersion: batch/v1',
    'kind: CronJob',
    'metadata:',
    '  name: report',
    'spec:',
    '  schedule: "30 4 * * *"',
    '  jobTemplate:',
    '    spec:',
    '      template:',
    '        spec:',
    '          containers:',
    '          - name: report',
    '            image: registry.example/report:1',
    '            command: ["sh", "-c", "echo ${HOME} {job}"]',
    '',
  ].join('\n');
  mkdirSync(path.join(units, 'systemd'));
  writeFileSync(path.join(units, 'systemd', 'dump.timer'), timer);
  writeFileSync(path.join(units, 'systemd', 'dump.service'), service);
  mkdirSync(path.join(units, 'k8s'));
  writeFileSync(path.join(units, 'k8s', 'report.yaml'), manifest);
  mkdirSync(path.join(units, 'mixed'));
  writeFileSync(path.join(units, 'mixed', 'dump.timer'), timer);
  writeFileSync(path.join(units, 'mixed', 'dump.service'), service);
  writeFileSync(path.join(units, 'mixed', 'report.yaml'), manifest);
  writeFileSync(path.join(units, 'mixed', 'user.crontab'), '@reboot warm-cache\n');
  const importers: readonly Importer[] = [
    systemdImporter,
    k8sImporter,
    createCrontabImporter({ localTimeZone: () => 'UTC' }),
  ];

  const cases = [
    {
      from: 'systemd',
      folder: 'systemd',
      jobs: ['dump'],
      warnings: [/^systemd\/dump\.timer:4: OnCalendar=/m],
    },
    { from: 'k8s', folder: 'k8s', jobs: ['report'], warnings: [/^k8s\/report\.yaml:\d+: .*image/m] },
    {
      from: 'auto',
      folder: 'mixed',
      jobs: ['dump', 'report', 'warm-cache'],
      warnings: [
        /^mixed\/dump\.timer:4: OnCalendar=/m,
        /^mixed\/report\.yaml:\d+: /m,
        /^mixed\/user\.crontab:1: @reboot/m,
      ],
    },
  ];
  for (const item of cases) {
    it(`--from ${item.from} on ${item.folder}/ writes a job file that loads, warnings on stderr`, () => {
      const cli = io();
      const output = path.join(units, `${item.folder}.yaml`);
      const code = runImport(
        [item.folder],
        { from: item.from, output, json: false },
        { ...cli, cwd: units },
        importers,
      );
      assert.equal(code, 0, cli.stderr.join('\n'));
      const config = readConfig(output, { kinds: builtinKinds, env: {} });
      assert.deepEqual(config.jobs.map((job) => job.name).sort(), item.jobs);
      for (const warning of item.warnings) assert.match(cli.stderr.join('\n'), warning);
      if (item.jobs.includes('dump')) {
        const dump = config.jobs.find((job) => job.name === 'dump');
        assert.deepEqual(dump?.env, { DIR: '${HOME}/dumps' });
      }
    });
  }
});
