/**
 * The five seed deployments (../shared/seeds; their documents copied under
 * fixtures/seeds/documents, their crontab lines under fixtures/seeds/*.crontab), one describe per
 * seed named after it: every crontab line, unit file and CronJob manifest the document holds is
 * imported, checked, and exported back to its platform with a full round trip (round-trip.ts:
 * every field the platform carries, the same 100 fires, systemd-analyze for the units).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ResolvedJob } from '../../src/config/index.ts';
import { createCrontabImporter, k8sImporter, systemdImporter } from '../../src/interop/index.ts';
import { loadOnlyJob, onlyEntry, warningsOf } from './job-file-from-result.ts';
import { loadImported } from './load-imported.ts';
import { crontabRoundTrip, k8sRoundTrip, systemdRoundTrip } from './round-trip.ts';
import { seedBlocks } from './seed-blocks.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const importer = createCrontabImporter({ localTimeZone: () => 'UTC' });
/** The values the seeds' secrets take in these tests (the loader refuses an unset ${NAME}). */
const secrets = { CRON_SECRET: 'from-the-environment', REDIS_URL: 'redis://x' };

function importFiles(...files: string[]) {
  const result = importer.importFiles(
    files.map((file) => ({ path: file, text: readFileSync(file, 'utf8') })),
  );
  return { result, ...loadImported(result, secrets) };
}

/** name → [schedule, description] of each job, for a compact comparison. */
function summary(jobs: readonly ResolvedJob[]): Record<string, [string, string | undefined]> {
  return Object.fromEntries(
    jobs.map((job) => [job.name, [job.schedules.map((s) => s.text).join(' + '), job.description]]),
  );
}

/** The seed's unit files (`**File**:` blocks) with the service drop-in its document gives. */
function seedUnits(seed: string) {
  return seedBlocks(seed)
    .filter((block) => block.language === 'ini' && block.file !== undefined)
    .map((block) => ({ path: block.file as string, text: block.text }));
}

/** The seed's CronJob manifests. */
function seedCronJobs(seed: string) {
  return seedBlocks(seed)
    .filter((block) => /^kind: CronJob$/m.test(block.text))
    .map((block, index) => ({ path: `${seed}#cronjob-${index + 1}.yaml`, text: block.text }));
}

/** Seed 001's timer and service, with the ExecStartPre= snippet as a drop-in, as the systemd importer reads them (moved from systemd-importer.test.ts). */
function checkSigmakUnitsImport(seed: string): void {
  {
    const blocks = seedBlocks(seed).filter((block) => block.language === 'ini');
    const units = blocks.filter((block) => block.file !== undefined);
    const optimize = blocks.find((block) => block.text.includes('ExecStartPre='));
    assert.ok(optimize !== undefined);
    const files = [
      ...units.map((block) => ({ path: block.file as string, text: block.text })),
      { path: '/etc/systemd/system/sigmak-drift-review.service.d/optimize.conf', text: optimize.text },
    ];
    const plain = systemdImporter.importFiles(files.slice(0, -1));
    assert.deepEqual(onlyEntry(plain), {
      description: 'SigmaK Drift Detection Review Job',
      schedule: ['daily', '02:00'],
      catch_up: 'once',
      randomized_delay: '30m',
      run: [
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
      cwd: '/app',
      user: 'sigmak',
      group: 'sigmak',
      env: { PYTHONPATH: '/app/src', CHROMA_PERSIST_PATH: '/app/database' },
      limits: { memory: '2G', cpu: '50%' },
      retry: { attempts: 3, backoff: 'fixed', delay: '5m' },
    });
    const job = loadOnlyJob(plain);
    assert.equal(job.name, 'sigmak-drift-review');
    const withPre = onlyEntry(systemdImporter.importFiles(files));
    assert.deepEqual(withPre['pre'], [
      ['/usr/bin/sqlite3', '/app/database/risk_classifications.db', 'PRAGMA optimize;'],
    ]);
    assert.deepEqual(withPre['run'], onlyEntry(plain)['run']);
    assert.equal(loadOnlyJob(systemdImporter.importFiles(files)).pre.length, 1);
    const lines = warningsOf(plain);
    for (const expected of [
      'Requires=',
      'StandardOutput=journal',
      'StandardError=journal',
      'SyslogIdentifier=',
      'Restart=on-failure',
      'WantedBy=',
    ]) {
      assert.ok(
        lines.some((line) => line.includes(expected)),
        `a warning for ${expected}`,
      );
    }
  }
}

const cronJobSeeds: Record<
  string,
  { name: string; env: Readonly<Record<string, unknown>>; run: unknown; shell?: true }
> = {
  '002_3fc3867ceb35c2ce.txt': {
    name: 'synthstack-daily-tasks',
    env: { API_URL: 'http://api-gateway:3003', CRON_SECRET: { secret: '${CRON_SECRET}' } },
    run:
      'curl -X POST $API_URL/api/v1/workers/reset-credits -H "Authorization: Bearer $CRON_SECRET"\n' +
      'curl -X POST $API_URL/api/v1/workers/aggregate-analytics -H "Authorization: Bearer $CRON_SECRET"\n',
    shell: true,
  },
  '003_4c57b43be415bfe3.txt': {
    name: 'datapilot-cleanup',
    env: { REDIS_URL: { secret: '${REDIS_URL}' }, JOB_TTL_HOURS: '24', CLEANER_DRY_RUN: 'true' },
    run: ['python', '-m', 'src.maintenance.cron_entry'],
  },
};

/** The seed's CronJob as the Kubernetes importer reads it (moved from k8s-importer.test.ts). */
function checkCronJobImport(seed: string): void {
  const expected = cronJobSeeds[seed];
  assert.ok(expected !== undefined);
  {
    const blocks = seedBlocks(seed).filter((block) => /^kind: CronJob$/m.test(block.text));
    assert.equal(blocks.length, 1);
    const result = k8sImporter.importFiles([
      { path: `${seed}#cronjob.yaml`, text: (blocks[0] as { text: string }).text },
    ]);
    const entry = onlyEntry(result);
    assert.equal(result.jobs[0]?.name, expected.name);
    assert.equal(entry['schedule'], seed.startsWith('002') ? '0 0 * * *' : '0 3 * * *');
    assert.equal(entry['concurrency'], 'allow');
    assert.deepEqual(entry['env'], expected.env);
    assert.deepEqual(entry['run'], expected.run);
    assert.equal(entry['shell'], expected.shell);
    assert.ok(warningsOf(result).some((line) => line.includes('the command ran in the image')));
    assert.ok(warningsOf(result).some((line) => /comes from Secret .* -> became \$\{/.test(line)));
    const job = loadOnlyJob(result, secrets);
    assert.equal(job.retry.attempts, 7);
  }
}

describe('seed 000 AI-MKT nightly eval, leakage and anomaly detection', () => {
  const file = path.join(fixtures, 'seeds/ai-mkt.crontab');

  it('its crontab lines import: env lines reach every nightly job (shared in defaults), the hourly override is its own job', () => {
    const { config, text } = importFiles(file);
    assert.deepEqual(summary(config.jobs), {
      eval_nightly: ['0 * * * *', undefined],
      'eval_nightly-2': ['0 2 * * *', 'Daily at 02:00 (adjust path)'],
      leakage_nightly: ['0 2 * * *', undefined],
      anomaly_detect: ['0 2 * * *', undefined],
    });
    assert.equal(config.jobs[0]?.env['TENANTS'], undefined, 'set after the first entry');
    assert.equal(config.jobs[3]?.env['TENANTS'], 'tenant_a,tenant_b');
    assert.doesNotMatch(text, /^defaults:/m, 'not every job has the env');
  });

  it('its crontab lines export back to crontab and import again with every field and the same fires', () => {
    crontabRoundTrip(importFiles(file).config.jobs, secrets, file);
  });
});

describe('seed 001 SigmaK drift detection', () => {
  const file = path.join(fixtures, 'seeds/sigmak-drift.crontab');

  it('its crontab lines import: the redirected drift review and the MAILTO one, mailed on failure', () => {
    const { config, result } = importFiles(file);
    assert.deepEqual(summary(config.jobs), {
      drift_scheduler: ['0 2 * * *', 'SigmaK Drift Detection - Daily Review'],
      'drift_scheduler-2': ['0 2 * * *', undefined],
    });
    assert.deepEqual(config.jobs[1]?.notify, { failure: ['mail'] });
    assert.deepEqual(result.jobs[1]?.comments, ['Send email on failure']);
    assert.ok(config.channels.get('mail')?.['email'] !== undefined, 'an e-mail channel');
  });

  it('its crontab lines export back to crontab and import again with every field and the same fires', () => {
    crontabRoundTrip(importFiles(file).config.jobs, secrets, file);
  });

  it('its unit files import: sigmak-drift-review.timer and .service, the ExecStartPre= snippet as a drop-in', () => {
    checkSigmakUnitsImport('001_0e2e119cb00fc4ce.txt');
  });

  it('its unit files import, export back to units that systemd-analyze verifies, and import again', () => {
    const units = seedUnits('001_0e2e119cb00fc4ce.txt');
    assert.ok(units.length >= 2, 'a timer and its service');
    const { config } = loadImported(systemdImporter.importFiles(units), secrets);
    assert.equal(config.jobs.length, 1);
    systemdRoundTrip(config.jobs, secrets, units[0]?.path ?? '');
  });
});

describe('seed 002 API gateway worker endpoints', () => {
  const file = path.join(fixtures, 'seeds/api-gateway.crontab');

  it('its crontab lines import: thirteen wget calls, named after their endpoints, $CRON_SECRET left to the shell', () => {
    const { config } = importFiles(file);
    assert.deepEqual(Object.keys(summary(config.jobs)), [
      'reset-credits',
      'check-expirations',
      'aggregate-analytics',
      'sync-newsletter',
      'process-sequences',
      'update-segments',
      'aggregate-hourly',
      'compute-funnels',
      'refresh-cohorts',
      'cleanup',
      'batch',
      'retry-failed',
      'cleanup-2',
    ]);
    assert.deepEqual(summary(config.jobs)['cleanup-2'], [
      '0 8 * * 0',
      'Cleanup old orchestration logs (weekly Sunday 8 AM, retain 30 days)',
    ]);
    const target = config.jobs[12]?.target as unknown as { argv: string[]; shell: boolean };
    assert.equal(target.shell, true);
    assert.match(target.argv[0] ?? '', /Bearer \$CRON_SECRET" --post-data='\{"retentionDays":30\}'/);
  });

  it('its crontab lines export back to crontab and import again with every field and the same fires', () => {
    crontabRoundTrip(importFiles(file).config.jobs, secrets, file);
  });

  it('its CronJob manifest imports: schedule, concurrency, env with its secrets, command, retries', () => {
    checkCronJobImport('002_3fc3867ceb35c2ce.txt');
  });

  it('its CronJob manifests import, export back to CronJobs and import again', () => {
    const manifests = seedCronJobs('002_3fc3867ceb35c2ce.txt');
    assert.equal(manifests.length, 1);
    const { config } = loadImported(k8sImporter.importFiles(manifests), secrets);
    assert.equal(config.jobs.length, 1);
    k8sRoundTrip(config.jobs, secrets, manifests[0]?.path ?? '');
  });
});

describe('seed 003 DataPilot clean-up', () => {
  const file = path.join(fixtures, 'seeds/datapilot-cleanup.crontab');

  it('its crontab lines import: one daily shell line with its log redirection', () => {
    const { config, result } = importFiles(file);
    assert.deepEqual(summary(config.jobs), {
      cron_entry: ['0 3 * * *', 'DataPilot AI Cleanup Job - Daily at 3 AM UTC'],
    });
    assert.deepEqual(result.warnings, []);
  });

  it('its crontab lines export back to crontab and import again with every field and the same fires', () => {
    crontabRoundTrip(importFiles(file).config.jobs, secrets, file);
  });

  it('its CronJob manifest imports: schedule, concurrency, env with its secrets, command, retries', () => {
    checkCronJobImport('003_4c57b43be415bfe3.txt');
  });

  it('its CronJob manifests import, export back to CronJobs and import again', () => {
    const manifests = seedCronJobs('003_4c57b43be415bfe3.txt');
    assert.equal(manifests.length, 1);
    const { config } = loadImported(k8sImporter.importFiles(manifests), secrets);
    assert.equal(config.jobs.length, 1);
    k8sRoundTrip(config.jobs, secrets, manifests[0]?.path ?? '');
  });
});

describe('seed 004 AI audit queue processing', () => {
  const file = path.join(fixtures, 'seeds/ai-audit-queue.crontab');

  it('its crontab lines import: every minute, and the two entries that make every 30 seconds', () => {
    const { config } = importFiles(file);
    assert.deepEqual(summary(config.jobs), {
      cron_process_audit_queue: ['* * * * *', 'Add this line to run every minute'],
      'script.sh': ['* * * * *', 'Every 30 seconds (requires two cron entries)'],
      'script.sh-2': ['* * * * *', undefined],
    });
  });

  it('its crontab lines export back to crontab and import again with every field and the same fires', () => {
    crontabRoundTrip(importFiles(file).config.jobs, secrets, file);
  });
});
