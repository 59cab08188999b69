import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CliIo } from '../../src/cli/cli-io.ts';
import { runExport } from '../../src/cli/commands/export.ts';
import { exporters } from '../../src/interop/index.ts';
import type { Exporter } from '../../src/interop/index.ts';
import { markedBlocks } from '../support/marked-blocks.ts';
import { runCronplane } from '../support/run-cronplane.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-export-cli-'));
writeFileSync(
  path.join(folder, 'cronplane.yaml'),
  [
    'version: 1',
    'timezone: UTC',
    'jobs:',
    '  backup:',
    '    schedule: "0 2 * * *"',
    '    run: backup.sh',
    '    env: { TOKEN: { secret: "s3cr3t-value" } }',
    '  report:',
    '    schedule: every 15m',
    '    run: ["report", "--all"]',
    '',
  ].join('\n'),
);

function io(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    env: {},
    cwd: folder,
    isTty: false,
  };
}

const run = async (
  jobs: string[],
  options: Partial<{ to: string; output: string; json: boolean }>,
  exporters?: Exporter[],
) => {
  const cli = io();
  return { code: await runExport(jobs, { to: 'crontab', json: false, ...options }, cli, exporters), cli };
};

describe('cronplane export', () => {
  it('prints every job on standard output after # --- PATH, warnings on stderr as job: message (action)', async () => {
    const { code, cli } = await run([], {});
    assert.equal(code, 0);
    const out = cli.stdout.join('\n');
    assert.match(out, /^# --- crontab$/m);
    assert.match(out, /^0 2 \* \* \* backup\.sh$/m);
    assert.match(out, /^\*\/15 \* \* \* \* report --all$/m);
    assert.match(cli.stderr.join('\n'), /^backup: TOKEN is a secret.* \(left out: .*\)$/m);
    assert.doesNotMatch(out + cli.stderr.join('\n'), /s3cr3t-value/);
  });

  it('exports only the jobs named', async () => {
    const { code, cli } = await run(['report'], { to: 'k8s' });
    assert.equal(code, 0);
    assert.deepEqual(
      cli.stdout.map((block) => block.split('\n')[0]),
      ['# --- report.yaml'],
    );
  });

  it('writes a timer and a service per job with --to systemd, the secret kept out of both', async () => {
    const { code, cli } = await run([], { to: 'systemd', output: 'units' });
    assert.equal(code, 0, cli.stderr.join('\n'));
    const timer = readFileSync(path.join(folder, 'units', 'backup.timer'), 'utf8');
    const service = readFileSync(path.join(folder, 'units', 'backup.service'), 'utf8');
    assert.match(timer, /^OnCalendar=\*-\*-\* 02:00:00 UTC$/m);
    assert.match(service, /^ExecStart=.*backup\.sh/m);
    assert.doesNotMatch(timer + service, /s3cr3t-value/);
    assert.ok(existsSync(path.join(folder, 'units', 'report.timer')));
  });

  it('refuses an unknown job by name with exit 1, writing nothing', async () => {
    const { code, cli } = await run(['backup', 'nosuch'], { output: 'never' });
    assert.equal(code, 1);
    assert.match(cli.stderr.join('\n'), /no job nosuch/);
    assert.equal(existsSync(path.join(folder, 'never')), false);
  });

  it('writes the files into -o DIR, creating it and replacing a file already there', async () => {
    mkdirSync(path.join(folder, 'k8s'));
    writeFileSync(path.join(folder, 'k8s', 'backup.yaml'), 'old');
    const { code, cli } = await run([], { to: 'k8s', output: 'k8s' });
    assert.equal(code, 0);
    assert.deepEqual(cli.stdout, []);
    assert.match(readFileSync(path.join(folder, 'k8s', 'backup.yaml'), 'utf8'), /kind: CronJob/);
    assert.ok(existsSync(path.join(folder, 'k8s', 'report.yaml')));
    const { code: again } = await run([], { output: 'new/deeper' });
    assert.equal(again, 0);
    assert.match(readFileSync(path.join(folder, 'new', 'deeper', 'crontab'), 'utf8'), /backup\.sh/);
  });

  it('never writes outside -o DIR', async () => {
    const escaping: Exporter = {
      format: 'crontab',
      exportJobs: () => ({ files: [{ path: '../escaped', text: 'x' }], warnings: [] }),
    };
    const { code, cli } = await run([], { output: 'inside' }, [escaping]);
    assert.equal(code, 1);
    assert.match(cli.stderr.join('\n'), /outside/);
    assert.equal(existsSync(path.join(folder, 'escaped')), false);
  });

  it('prints {files, warnings} with --json', async () => {
    const { code, cli } = await run([], { json: true });
    assert.equal(code, 0);
    const parsed = JSON.parse(cli.stdout.join('\n')) as {
      files: { path: string }[];
      warnings: { job: string }[];
    };
    assert.deepEqual(
      parsed.files.map((f) => f.path),
      ['crontab'],
    );
    assert.ok(parsed.warnings.some((w) => w.job === 'backup'));
  });

  it('says a format not in this build is not in it yet, exit 2', async () => {
    const onlyCrontab = exporters.filter((exporter) => exporter.format === 'crontab');
    const { code, cli } = await run([], { to: 'eventbridge' }, onlyCrontab);
    assert.equal(code, 2);
    assert.match(cli.stderr.join('\n'), /--to eventbridge is planned and not in this build yet/);
  });

  it('writes one EventBridge Scheduler schedule per job into -o DIR with --to eventbridge, the secret kept out', async () => {
    const { code, cli } = await run([], { to: 'eventbridge', output: 'eventbridge' });
    assert.equal(code, 0, cli.stderr.join('\n'));
    const backup = JSON.parse(readFileSync(path.join(folder, 'eventbridge', 'backup.json'), 'utf8')) as {
      Name: string;
      ScheduleExpression: string;
      Target: { Input: string };
    };
    assert.equal(backup.Name, 'backup');
    assert.equal(backup.ScheduleExpression, 'cron(0 2 * * ? *)');
    assert.deepEqual(
      (JSON.parse(backup.Target.Input) as { overrides: { containerOverrides: { command: string[] }[] } })
        .overrides.containerOverrides[0]?.command,
      ['backup.sh'],
    );
    const report = readFileSync(path.join(folder, 'eventbridge', 'report.json'), 'utf8');
    assert.match(report, /"ScheduleExpression": "rate\(15 minutes\)"/);
    assert.doesNotMatch(
      readFileSync(path.join(folder, 'eventbridge', 'backup.json'), 'utf8'),
      /s3cr3t-value/,
    );
    const stderr = cli.stderr.join('\n');
    assert.match(stderr, /^backup: TOKEN is a secret \(not written: /m);
    assert.match(stderr, /^\(all jobs\): every target names placeholders/m);
    assert.match(stderr, /eventbridge: 2 jobs as eventbridge, 2 files, \d+ warnings$/);
  });

  it('prints the schedules as {files, warnings} with --to eventbridge --json', async () => {
    const { code, cli } = await run(['report'], { to: 'eventbridge', json: true });
    assert.equal(code, 0);
    const parsed = JSON.parse(cli.stdout.join('\n')) as { files: { path: string; text: string }[] };
    assert.deepEqual(
      parsed.files.map((file) => file.path),
      ['report.json'],
    );
    assert.equal((JSON.parse(parsed.files[0]?.text ?? '{}') as { State: string }).State, 'ENABLED');
  });

  it('gives the output docs/interop.md shows for its EventBridge example', async () => {
    const doc = readFileSync(path.join(import.meta.dirname, '../../docs/interop.md'), 'utf8');
    const section = doc.slice(doc.indexOf('### Amazon EventBridge Scheduler'));
    const example =
      /#### Example[\s\S]*?```yaml\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```/.exec(
        section,
      );
    assert.ok(example, 'a job file followed by the standard output and the standard error');
    const dir = mkdtempSync(path.join(tmpdir(), 'cronplane-export-doc-'));
    writeFileSync(path.join(dir, 'cronplane.yaml'), example[1] ?? '');
    const cli = { ...io(), cwd: dir, env: { OPENAI_API_KEY: 'sk-doc-secret' } };
    assert.equal(await runExport([], { to: 'eventbridge', json: false }, cli), 0);
    assert.equal(`${cli.stdout.join('\n')}\n`, example[2]);
    assert.equal(`${cli.stderr.join('\n')}\n`, example[3]);
    assert.doesNotMatch(cli.stdout.join('\n'), /sk-doc-secret/);
  });

  it('runs as the real command', async () => {
    const result = await runCronplane(['export', '--to', 'crontab', 'report', '--config', 'cronplane.yaml'], {
      cwd: folder,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\*\/15 \* \* \* \* report --all$/m);
    assert.doesNotMatch(result.stdout, /backup/);
    const broken = await runCronplane(['export', '--to', 'crontab', '--config', 'missing.yaml'], {
      cwd: folder,
    });
    assert.equal(broken.code, 2);
  });
});

describe('cronplane export --to compose and --to schtasks', () => {
  const doc = readFileSync(path.join(import.meta.dirname, '../../docs/interop.md'), 'utf8');
  const sample = (name: string) => {
    const block = markedBlocks(doc).find((candidate) => candidate.marker === `sample: ${name}`);
    assert.ok(block, `docs/interop.md has the sample ${name}`);
    return block.text;
  };
  const exportDoc = async (to: string, jobs: string, file: string, env: Record<string, string> = {}) => {
    const docFolder = mkdtempSync(path.join(tmpdir(), `cronplane-export-${to}-`));
    writeFileSync(path.join(docFolder, file), sample(jobs));
    const cli = { ...io(), cwd: docFolder, env };
    const code = await runExport([], { to, json: false, config: file, output: 'out' }, cli);
    assert.equal(code, 0, cli.stderr.join('\n'));
    return { read: (name: string) => readFileSync(path.join(docFolder, 'out', name), 'utf8'), cli };
  };

  it('writes the compose.yaml and cron/crontab docs/interop.md shows for seed 002, the token never written', async () => {
    const { read, cli } = await exportDoc('compose', 'compose-jobs', 'jobs.yaml', {
      CRON_SECRET: 'tok-s3cr3t',
    });
    assert.equal(read('compose.yaml'), sample('compose-yaml'));
    assert.equal(read('cron/crontab'), sample('compose-crontab'));
    assert.doesNotMatch(read('compose.yaml') + read('cron/crontab') + cli.stderr.join('\n'), /tok-s3cr3t/);
    assert.match(cli.stderr.join('\n'), /^\(all jobs\): CRON_SECRET is a secret/m);
  });

  it('writes the task docs/interop.md shows for seed 003, with register.cmd and the zone warning', async () => {
    const { read, cli } = await exportDoc('schtasks', 'schtasks-jobs', 'tasks.yaml');
    assert.equal(read('datapilot-cleanup.xml'), sample('schtasks-xml'));
    assert.match(
      read('register.cmd'),
      /^schtasks \/create \/xml "datapilot-cleanup\.xml" \/tn "cronplane\\datapilot-cleanup" \/f\r$/m,
    );
    assert.match(
      cli.stderr.join('\n'),
      /^datapilot-cleanup: Task Scheduler reads a trigger's StartBoundary in the machine's zone; the times are wall times of Europe\/Berlin/m,
    );
  });

  it('prints the compose files and the tasks on standard output, secrets left out', async () => {
    const compose = await run([], { to: 'compose' });
    assert.equal(compose.code, 0);
    assert.deepEqual(
      compose.cli.stdout.map((block) => block.split('\n')[0]),
      ['# --- compose.yaml', '# --- cron/crontab'],
    );
    assert.match(compose.cli.stdout.join('\n'), /TOKEN: \$\{TOKEN:\?/);
    const tasks = await run(['report'], { to: 'schtasks' });
    assert.equal(tasks.code, 0);
    assert.deepEqual(
      tasks.cli.stdout.map((block) => block.split('\n')[0]),
      ['# --- report.xml', '# --- register.cmd'],
    );
    assert.doesNotMatch(compose.cli.stdout.join('\n') + tasks.cli.stdout.join('\n'), /s3cr3t-value/);
  });

  it('runs as the real command', async () => {
    const result = await runCronplane(
      ['export', '--to', 'schtasks', 'report', '--config', 'cronplane.yaml'],
      {
        cwd: folder,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /<Interval>PT15M<\/Interval>/);
  });
});
