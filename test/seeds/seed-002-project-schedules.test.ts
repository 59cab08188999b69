/**
 * Seed 002's "Configurable Settings (per-project, per-agent)": the application keeps
 * `frequency_hours` (1-168) per project in its own database and decides, while everything runs,
 * how often each project's orchestration runs. Here the application is a program using
 * `CronplaneClient` against a real daemon (in process, on loopback, on a manual clock): it creates
 * one instance of the job file's template per project with different frequencies, then changes
 * one's frequency, pauses one and deletes one; the scheduled runs that follow are checked hour by
 * hour, on each store: each project at its own frequency, none for the paused or the deleted one,
 * none of the template itself.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ManualClock } from '../../src/clock/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import { CronplaneClient } from '../../src/client.ts';
import type { ListedRunView } from '../../src/client.ts';
import { bootstrapToken } from '../api/api-harness.ts';
import { describeWithDaemonOnEachStore } from '../api/describe-with-daemon.ts';
import { waitFor } from '../support/engine-harness.ts';

const hour = 3_600_000;
const day = 24 * hour;
/** Midnight UTC: `every Nh` counts from the epoch, so it fires at the hours N divides. */
const midnight = Date.parse('2026-03-02T00:00:00Z');

const yaml = `version: 1
jobs:
  orchestrate:
    template: true
    description: the orchestration of one project
    schedule: "every {frequency_hours}h"
    run: [sh, -c, 'echo "orchestrating {project_id}"']
    params:
      project_id: { type: string, pattern: '^[a-z0-9-]{1,40}$' }
      frequency_hours: { type: integer, min: 1, max: 168, default: 6 }
`;

/** The application's own settings table, as seed 002 keeps it. */
const projects: Readonly<Record<string, number>> = { acme: 1, globex: 2, initech: 3, umbrella: 4, hooli: 2 };

let clock: ManualClock = manualClock(midnight);

describeWithDaemonOnEachStore(
  (store) => `seed 002: per-project schedules an application manages through the client, on ${store}`,
  {
    yaml,
    daemonOptions: () => {
      clock = manualClock(midnight + 30_000);
      // Leases longer than the test's day, so the clock's hour-long steps lose none of them.
      return { clock, apiJobPollMs: 100, leaderLeaseMs: 2 * day, runLeaseMs: 2 * day, nodeStaleMs: 2 * day };
    },
  },
  (rig) => {
    /** Every scheduled run, by job: the hours (since midnight) they were scheduled at. */
    async function scheduledHours(client: CronplaneClient): Promise<Record<string, number[]>> {
      const { runs } = await client.listRuns({ trigger: 'schedule', limit: 1000 });
      const byJob: Record<string, number[]> = {};
      for (const run of [...runs].reverse()) (byJob[run.job] ??= []).push(hoursOf(run));
      return byJob;
    }

    /** Moves the clock to just after `h` o'clock and waits until that hour's runs are recorded and ended. */
    async function reach(client: CronplaneClient, h: number, expected: number): Promise<void> {
      clock.set(midnight + h * hour + 1_000);
      await waitFor(
        `${expected} scheduled runs, all ended, at ${h}:00`,
        async () => {
          const { runs } = await client.listRuns({ trigger: 'schedule', limit: 1000 });
          return runs.length === expected && runs.every((run) => run.finishedAt !== null);
        },
        20_000,
      );
    }

    it('runs each project at its own frequency, follows a change, a pause and a delete, and never runs the template', async () => {
      const client = new CronplaneClient({ server: rig.api.url, token: bootstrapToken });

      // The application creates one schedule per project from its settings.
      for (const [project, hours] of Object.entries(projects)) {
        const made = await client.putInstance('orchestrate', project, {
          params: { project_id: project, frequency_hours: hours },
          description: `orchestration of ${project}`,
        });
        assert.equal(made.change, 'created');
        assert.deepEqual(made.job.schedules, [`every ${hours}h`]);
      }
      const listed = await client.listInstances('orchestrate');
      assert.deepEqual(
        listed.instances.map((instance) => [
          instance.key,
          instance.params['frequency_hours'],
          instance.job.nextFireAt,
        ]),
        [
          ['acme', '1', '2026-03-02T01:00:00.000Z'],
          ['globex', '2', '2026-03-02T02:00:00.000Z'],
          ['hooli', '2', '2026-03-02T02:00:00.000Z'],
          ['initech', '3', '2026-03-02T03:00:00.000Z'],
          ['umbrella', '4', '2026-03-02T04:00:00.000Z'],
        ],
      );

      // Six hours go by: 1h x6, 2h x3 (twice), 3h x2, 4h x1.
      let total = 0;
      for (let h = 1; h <= 6; h++) {
        total += Object.values(projects).filter((hours) => h % hours === 0).length;
        await reach(client, h, total);
      }
      assert.equal(total, 6 + 3 + 3 + 2 + 1);
      assert.deepEqual(await scheduledHours(client), {
        'orchestrate.acme': [1, 2, 3, 4, 5, 6],
        'orchestrate.globex': [2, 4, 6],
        'orchestrate.hooli': [2, 4, 6],
        'orchestrate.initech': [3, 6],
        'orchestrate.umbrella': [4],
      });

      // The application changes globex to every 3 hours, pauses umbrella, removes hooli.
      const globex = (await client.listInstances('orchestrate')).instances.find(
        (instance) => instance.key === 'globex',
      );
      const changed = await client.putInstance(
        'orchestrate',
        'globex',
        { params: { project_id: 'globex', frequency_hours: 3 }, description: 'orchestration of globex' },
        { ifMatch: globex?.job.version ?? 0 },
      );
      assert.equal(changed.change, 'updated');
      assert.deepEqual(changed.job.schedules, ['every 3h']);
      assert.equal((await client.pauseJob('orchestrate.umbrella')).paused, true);
      assert.equal((await client.deleteInstance('orchestrate', 'hooli')).change, 'deleted');

      // Six more hours: acme every hour, globex now at 9 and 12, initech at 9 and 12; umbrella and hooli none.
      const later: Readonly<Record<string, number>> = { acme: 1, globex: 3, initech: 3 };
      for (let h = 7; h <= 12; h++) {
        total += Object.values(later).filter((hours) => h % hours === 0).length;
        await reach(client, h, total);
      }
      clock.set(midnight + 12 * hour + 30 * 60_000);
      assert.deepEqual(await scheduledHours(client), {
        'orchestrate.acme': [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        'orchestrate.globex': [2, 4, 6, 9, 12],
        'orchestrate.hooli': [2, 4, 6],
        'orchestrate.initech': [3, 6, 9, 12],
        'orchestrate.umbrella': [4],
      });

      // Each project's runs ran its own command with its own values; the deleted one kept its history.
      const { runs: hooli } = await client.listRuns({ job: 'orchestrate.hooli' });
      assert.equal(hooli.length, 3);
      assert.ok(hooli.every((run) => run.status === 'succeeded' && run.params['project_id'] === 'hooli'));
      assert.deepEqual(
        (await client.listInstances('orchestrate')).instances.map((instance) => [
          instance.key,
          instance.params['frequency_hours'],
          instance.job.paused,
        ]),
        [
          ['acme', '1', false],
          ['globex', '3', false],
          ['initech', '3', false],
          ['umbrella', '4', true],
        ],
      );
      assert.equal((await client.listRuns({ job: 'orchestrate' })).runs.length, 0, 'the template never ran');
    });
  },
);

function hoursOf(run: ListedRunView): number {
  return (Date.parse(run.scheduledAt) - midnight) / hour;
}
