/**
 * The crontab files a Debian machine ships, imported and read back with the project's loader.
 * The seed deployments' crontab lines are in seeds.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ResolvedJob } from '../../src/config/index.ts';
import { createCrontabImporter } from '../../src/interop/index.ts';
import { loadImported } from './load-imported.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const importer = createCrontabImporter({ localTimeZone: () => 'UTC' });

function importFiles(...files: string[]) {
  const result = importer.importFiles(
    files.map((file) => ({ path: file, text: readFileSync(file, 'utf8') })),
  );
  return { result, ...loadImported(result) };
}

/** name → [schedule, description, shell] of each job, for a compact comparison. */
function summary(jobs: readonly ResolvedJob[]): Record<string, [string, string | undefined]> {
  return Object.fromEntries(
    jobs.map((job) => [job.name, [job.schedules.map((s) => s.text).join(' + '), job.description]]),
  );
}

describe('the crontab files a Debian machine ships import without a failure', () => {
  const machineFiles = [
    ...(existsSync('/etc/crontab') ? ['/etc/crontab'] : []),
    ...(existsSync('/etc/cron.d')
      ? readdirSync('/etc/cron.d')
          .filter((name) => !name.startsWith('.'))
          .map((name) => path.join('/etc/cron.d', name))
      : []),
  ];

  // This machine (and CI's) has no cron installed: the committed copies below stand in for its files.
  const files =
    machineFiles.length > 0
      ? machineFiles
      : [path.join(fixtures, 'etc/crontab'), path.join(fixtures, 'etc/cron.d/example')];
  it(`${machineFiles.length > 0 ? "this machine's" : 'the committed copies of'} ${files.join(', ')}, each job with its user`, () => {
    const { config, result } = importFiles(...files);
    assert.ok(config.jobs.length > 0 || result.warnings.some((w) => /no crontab entries/.test(w.message)));
    for (const job of config.jobs) assert.ok(job.user !== undefined, `${job.name} runs as the file's user`);
  });

  it(
    "Debian's /etc/crontab (a committed copy written from crontab(5): this machine has none" +
      (existsSync('/etc/crontab') ? ', and the real one is imported above)' : ')'),
    () => {
      const { config, result } = importFiles(path.join(fixtures, 'etc/crontab'));
      assert.deepEqual(summary(config.jobs), {
        'cron.hourly': ['17 * * * *', undefined],
        'cron.daily': ['25 6 * * *', undefined],
        'cron.weekly': ['47 6 * * 7', undefined],
        'cron.monthly': ['52 6 1 * *', undefined],
      });
      assert.ok(
        config.jobs.every(
          (job) => job.user === 'root' && String(job.env['PATH']).startsWith('/usr/local/sbin'),
        ),
      );
      assert.equal(result.warnings.filter((w) => /run-parts/.test(w.message)).length, 4);
      assert.deepEqual(
        result.jobs[3]?.comments.at(-2),
        'after it in ' + path.join(fixtures, 'etc/crontab') + ':',
      );
    },
  );

  it("a cron.d file with crontab(5)'s examples (SHELL, MAILTO to a local user, %, day names)", () => {
    const { config, result } = importFiles(path.join(fixtures, 'etc/cron.d/example'));
    assert.equal(config.jobs.length, 8);
    assert.ok(config.jobs.every((job) => job.notify.failure?.[0] === 'mail'));
    assert.deepEqual(result.channels['mail'], {
      email: { to: 'paul@localhost', smtp_url: '${SMTP_URL:-smtp://localhost:25}' },
    });
    const second = config.jobs.find((job) => job.description === 'Run on every second Saturday of the month');
    assert.deepEqual((second?.target as unknown as { argv: string[] }).argv, [
      '/bin/bash',
      '-c',
      'test $(date +%u) -eq 6 && echo "2nd Saturday"',
    ]);
    assert.deepEqual(
      result.warnings.map((w) => `${w.line}: ${w.message.slice(0, 30)}`),
      [
        '6: MAILTO names the local user pa',
        '6: MAILTO=paul: cron mails the ou',
        '13: a "%" in the command starts it',
      ],
    );
  });
});
