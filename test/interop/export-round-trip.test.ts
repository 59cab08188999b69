/**
 * Round trips for every fixture job: exported to crontab, systemd units and CronJobs, read back
 * by the importers of the same build and loaded by the job file's loader, each gives back every
 * field its platform carries (docs/interop.md "What a round trip gives back"), and the next 100
 * fires of each exported schedule equal cronplane's own; systemd's are also computed by
 * `systemd-analyze calendar --iterations=100` and every unit pair passes `systemd-analyze verify`.
 * The seed deployments' round trips are in seeds.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crontabExporter, k8sExporter } from '../../src/interop/index.ts';
import { loadJobs } from './export-fixtures.ts';
import { crontabRoundTrip, k8sRoundTrip, systemdRoundTrip } from './round-trip.ts';

/** The exporters' fixtures and the constructs of the importers' tests, as jobs. */
const fixture = `
  weekday-report:
    schedule: "*/5 9-17 * * 1-5"
    timezone: America/New_York
    run: ["report", "--since", "1 hour ago"]
    env: { PGHOST: db.local, TOKEN: { secret: "s3cr3t-value" } }
  nightly:
    schedule: "Mon..Fri *-*-* 02:30:00"
    timezone: Europe/Berlin
    run: backup.sh --full
    concurrency: allow
  monthly:
    schedule: "cron(0 4 1 * ? *)"
    run: ["rotate", "100%"]
    retry: { attempts: 3 }
    timeout: 15m
    concurrency: replace
  quarter-hour:
    schedule: every 15m
    run: ping-upstream
    concurrency: forbid
  four-hourly:
    schedule: every 4h
    shell: true
    run: "cd /srv && ./sync | logger"
  drift-review:
    schedule: "*-*-* 02:00:00"
    run: ["/usr/local/bin/python", "-m", "sigmak.drift_scheduler", "--run-once", "--sample-size", "50"]
    cwd: /app
    user: sigmak
    group: sigmak
    env: { PYTHONPATH: /app/src, CHROMA_PERSIST_PATH: /app/database }
    limits: { memory: 2G, cpu: 50%, open_files: 4096 }
    catch_up: once
    randomized_delay: 30m
    retry: { attempts: 3, backoff: fixed, delay: 5m }
    timeout: 1h
  conditional:
    schedule: "0 6 * * 1"
    timezone: Asia/Tokyo
    run: ["/usr/bin/sync-ledgers"]
    condition: ["/usr/bin/test", "-e", "/run/ready"]
    exit_codes: { 3: success, 4: skip }
    start_deadline: 10m
  paused-cleanup:
    schedule: "30 3 * * 0"
    run: ["/usr/bin/cleanup", "--days", "30"]
    enabled: false
  day-or-weekday:
    schedule: "0 0 13 * 5"
    run: ["/bin/echo", "friday or the 13th"]
  two-schedules:
    schedule: ["0 9 * * 1-5", "30 */2 * * 0,6"]
    run: ["/usr/bin/digest"]
  with-pre:
    schedule: "0 5 * * *"
    pre: [["/usr/bin/sqlite3", "/var/lib/reviews.db", "PRAGMA optimize"], { run: "test -s /var/spool/todo", shell: true }]
    run: ["/usr/local/bin/review", "--all"]
  dollar-text:
    schedule: "15 1 * * *"
    shell: true
    run: 'echo "$$HOME and $\${USER:-none}" > /tmp/x'
`;

describe('export round trips of every fixture job', () => {
  const { config, file } = loadJobs(fixture);
  const env = { TOKEN: 'from-the-environment' };

  it('crontab: every field crontab carries comes back, and the same 100 fires', () => {
    const text = crontabExporter.exportJobs(config.jobs, { configPath: file }).files[0]?.text ?? '';
    assert.doesNotMatch(text, /s3cr3t-value/);
    crontabRoundTrip(config.jobs, env, file);
  });

  it('systemd: every field a unit pair carries comes back, the same 100 fires as systemd-analyze computes, and verify accepts every pair', () => {
    systemdRoundTrip(config.jobs, env, file);
  });

  it('k8s: every field a CronJob carries comes back, and the same 100 fires', () => {
    assert.doesNotMatch(
      JSON.stringify(k8sExporter.exportJobs(config.jobs, { configPath: file })),
      /s3cr3t-value/,
    );
    k8sRoundTrip(config.jobs, env, file);
  });
});
