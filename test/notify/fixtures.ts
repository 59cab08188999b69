import { channelSchemaFor } from '../../src/config/index.ts';
import type { Channel, DeliverOptions, Notification, Sleep } from '../../src/notify/index.ts';
import { channelKinds, channelOf } from '../../src/notify/index.ts';

/** The reference clock of every notify test: 2026-03-14 02:00:05 UTC. */
export const fixedNow = Date.parse('2026-03-14T02:00:05Z');

/** Seed 001: exit code 1 is critical; the run's error and facts. */
export const criticalRun: Notification = {
  kind: 'trigger',
  dedupKey: 'cronplane:drift-review:critical',
  severity: 'critical',
  title: 'drift-review failed: exit code 1 (critical)',
  summary:
    'Traceback (most recent call last):\n  File "drift_scheduler.py", line 88, in run_once\nRuntimeError: drift sample store unreachable',
  job: 'drift-review',
  runId: 4211,
  event: 'critical',
  details: { exit_code: 1, attempt: 1, duration: '4m 12s' },
  link: 'https://cron.example.com/runs/4211',
};

/** The recovery of `criticalRun`: same dedup key, the next run succeeded. */
export const criticalRecovered: Notification = {
  ...criticalRun,
  kind: 'resolve',
  title: 'drift-review recovered',
  summary: 'Run 4212 succeeded after 1 failure.',
  runId: 4212,
  details: { failed_runs: 1 },
  link: 'https://cron.example.com/runs/4212',
};

/** A channel as the job file declares it (`{ slack: {...} }`), validated by the real schema. */
export function channel(name: string, entry: unknown): Channel {
  return channelOf(name, channelSchemaFor(channelKinds).parse(entry));
}

/** A sleep that returns at once and records how long it was asked to wait. */
export function recordingSleep(): { readonly sleep: Sleep; readonly waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
      await Promise.resolve();
    },
  };
}

/** Deliver options for tests: the reference clock, no jitter, instant recorded waits. */
export function testOptions(overrides: DeliverOptions = {}): DeliverOptions & { waits: number[] } {
  const { sleep, waits } = recordingSleep();
  return { now: () => fixedNow, random: () => 0, sleep, waits, ...overrides };
}
