import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compileSchedule } from '../../src/calendar/index.ts';
import { readConfig } from '../../src/config/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import type { CommandTarget } from '../../src/executors/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
const config = readConfig(path.join(root, 'examples/quickstart/cronplane.yaml'), {
  kinds: builtinKinds,
  env: {},
});

function jobOf(name: string): ResolvedJob {
  const job = config.jobs.find((candidate) => candidate.name === name);
  assert.ok(job, `no job ${name} in the quick start`);
  return job;
}

/** Runs a command job's target the way a worker would, minus placeholders and limits. */
function runOnce(job: ResolvedJob): { status: number | null; stdout: string; stderr: string } {
  assert.equal(job.target.kind, 'command', `${job.name} should be a command`);
  const target = job.target as CommandTarget;
  const [program, ...args] = target.shell ? ['/bin/sh', '-c', ...target.argv] : target.argv;
  assert.ok(program !== undefined);
  const result = spawnSync(program, args, { encoding: 'utf8', timeout: 10_000 });
  assert.equal(result.error, undefined, `${job.name}: ${String(result.error)}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the quick-start job file', () => {
  it('names no store, so its runs go where every command of the folder looks: ./data/cronplane.db', () => {
    assert.equal(config.store, undefined);
  });

  it('has two to four jobs, each firing within a minute of any moment', () => {
    assert.ok(config.jobs.length >= 2 && config.jobs.length <= 4, `${config.jobs.length} jobs`);
    const moments = [
      Date.UTC(2025, 0, 1, 0, 0, 0),
      Date.UTC(2025, 5, 15, 13, 37, 42, 500),
      Date.UTC(2026, 2, 29, 1, 59, 59),
    ];
    for (const job of config.jobs) {
      for (const moment of moments) {
        const next = Math.min(
          ...job.schedules.map(
            (schedule) => compileSchedule(schedule.spec, { timezone: job.timezone }).next(moment) ?? Infinity,
          ),
        );
        assert.ok(
          next - moment <= 60_000,
          `${job.name} waits ${(next - moment) / 1000}s after ${new Date(moment).toISOString()}`,
        );
      }
    }
  });

  it('runs heartbeat and every fan-out of greet with no set-up', () => {
    assert.deepEqual(runOnce(jobOf('heartbeat')), { status: 0, stdout: 'cronplane is alive\n', stderr: '' });
    assert.deepEqual(jobOf('greet').fanOut, [{ name: 'alice' }, { name: 'bob' }]);
    assert.equal(runOnce(jobOf('greet')).status, 0);
  });

  it('prints a JSON metrics line from sample-metrics with the numbers its guards watch', () => {
    const job = jobOf('sample-metrics');
    const result = runOnce(job);
    assert.equal(result.status, 0, result.stderr);
    const last = result.stdout.trim().split('\n').at(-1) ?? '';
    const metrics = JSON.parse(last) as Record<string, unknown>;
    assert.equal(typeof metrics['latency_ms'], 'number');
    assert.equal(typeof metrics['rows'], 'number');
    assert.deepEqual(
      [...job.guards.values()].map((guard) => guard.metric),
      ['rows', 'latency_ms'],
    );
  });

  it('lets flaky fail exactly when its random draw is below 85, with the reason on stderr', () => {
    for (let round = 0; round < 5; round++) {
      const result = runOnce(jobOf('flaky'));
      const lucky = /^lucky draw (\d+)$/.exec(result.stdout.trim());
      const unlucky = /^unlucky draw (\d+)$/.exec(result.stderr.trim());
      if (result.status === 0) assert.ok(lucky !== null && Number(lucky[1]) >= 85, result.stdout);
      else {
        assert.equal(result.status, 1);
        assert.ok(unlucky !== null && Number(unlucky[1]) < 85, result.stderr);
      }
    }
  });
});
