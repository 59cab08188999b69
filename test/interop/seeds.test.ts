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
