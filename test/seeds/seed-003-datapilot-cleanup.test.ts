/**
 * Seed 003 (DataPilot clean-up), end to end on examples/datapilot-cleanup: a stub in place of
 * `python -m src.maintenance.cron_entry` deletes only when CLEANER_DRY_RUN is not "true" and
 * prints its audit summary. Nights that fail are a failure on the webhook, 48 h without a
 * successful clean-up is "no run in 48 h", a good night resolves both; a run's dry-run flag is
 * what the program did, and more than 5 errors trips the audit guard.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { bodiesAt, runSeed } from './seed-harness.ts';
import type { SeedRun } from './seed-harness.ts';

const sqlite = await createSqliteHarness();
after(() => sqlite.close());

const job = 'datapilot-cleanup';
const hour = 3_600_000;

interface Hook {
  readonly kind: string;
  readonly dedup_key: string;
  readonly event: string;
  readonly severity: string;
  readonly title: string;
  readonly summary: string;
  readonly details: Record<string, unknown>;
}

/** What the next clean-up finds: expired objects, errors it meets, its exit code. */
function world(seed: SeedRun, expired: number, errors: number, exitCode: number): void {
  writeFileSync(path.join(seed.dir, 'expired'), `${expired}\n`);
  writeFileSync(path.join(seed.dir, 'errors'), `${errors}\n`);
  writeFileSync(path.join(seed.dir, 'exit-code'), `${exitCode}\n`);
}

const stub = [
  'echo "cleaner: CLEANER_DRY_RUN=$CLEANER_DRY_RUN JOB_TTL_HOURS=$JOB_TTL_HOURS max $CLEANER_MAX_DELETE_BATCH"',
  'if [ "$CLEANER_DRY_RUN" = true ]; then d=0; w=$(cat expired); else d=$(cat expired); w=0; fi',
  'echo "{\\"deleted\\": $d, \\"would_delete\\": $w, \\"errors\\": $(cat errors)}"',
  'exit "$(cat exit-code)"',
].join('; ');

function withCleanup(body: (seed: SeedRun) => Promise<void>): Promise<void> {
  return runSeed(
    async () => {
      await sqlite.reset();
      return sqlite.open();
    },
    {
      example: 'datapilot-cleanup',
      start: Date.UTC(2026, 2, 1, 2, 0),
      swaps: ({ dir, http }) => [
        ['cwd: /path/to/datapilot-ai', `cwd: ${dir}`],
        ['run: python -m src.maintenance.cron_entry', `run: [sh, -c, '${stub}']`],
        ['file: /var/log/datapilot-cleanup.log', `file: ${path.join(dir, 'cleanup.log')}`],
        ["webhook: { url: '${ALERT_WEBHOOK_URL}' }", `webhook: { url: '${http}/hook' }`],
      ],
    },
    body,
  );
}

describe('seed 003 datapilot-cleanup: no run in 48 h, and dry-run truth', () => {
  it('two failed nights are one failure, 48 h without a successful clean-up is "no run in 48 h", and a good night resolves both', async () => {
    await withCleanup(async (seed) => {
      const night = (day: number) => Date.UTC(2026, 2, day, 3, 0);
      world(seed, 3, 0, 0);
      assert.equal((await seed.scheduled(job, night(1), 1))[0]?.status, 'succeeded');
      world(seed, 3, 0, 1); // Redis unreachable: the clean-up exits 1
      assert.equal((await seed.scheduled(job, night(2), 1))[0]?.status, 'failed');
      assert.equal((await seed.scheduled(job, night(3), 1))[0]?.status, 'failed');
      // One cause, one message: the second failed night is the same open incident.
      const failed = bodiesAt<Hook>(seed, '/hook');
      assert.deepEqual(
        failed.map((hook) => [hook.kind, hook.event, hook.dedup_key, hook.title, hook.summary]),
        [
          [
            'trigger',
            'failure',
            `cronplane:run:failed:${job}`,
            `${job} failed: exit code 1`,
            'cleaner: CLEANER_DRY_RUN=true JOB_TTL_HOURS=24 max 500\n{"deleted": 0, "would_delete": 3, "errors": 0}',
          ],
        ],
      );

      // 49 h after the last successful clean-up the watch says so: "no cleanup run in 48 h".
      seed.clock.advance(hour);
      await seed.jobWatch.check();
      await seed.outbox.drain();
      const missed = bodiesAt<Hook>(seed, '/hook').slice(1);
      assert.deepEqual(
        missed.map((hook) => [hook.kind, hook.event, hook.dedup_key, hook.title, hook.summary]),
        [
          [
            'trigger',
            'missed',
            `cronplane:job:no-success:${job}`,
            `${job} has not succeeded in 48h 0m`,
            'expect_success_within is 48h 0m; its last success was run 1, 49h 0m ago',
          ],
        ],
      );

      world(seed, 3, 0, 0);
      assert.equal((await seed.scheduled(job, night(4), 1))[0]?.status, 'succeeded');
      // The second all-clear waits for the end of the alerts' group window (30 s by default).
      seed.clock.advance(30_000);
      await seed.outbox.drain();
      await new Promise((resolve) => setImmediate(resolve));
      await seed.outbox.drain();
      const resolved = bodiesAt<Hook>(seed, '/hook').slice(2);
      assert.deepEqual(resolved.map((hook) => [hook.kind, hook.dedup_key]).sort(), [
        ['resolve', `cronplane:job:no-success:${job}`],
        ['resolve', `cronplane:run:failed:${job}`],
      ]);
    });
  });

  it('a night runs dry by default and deletes nothing; an API trigger with dryRun: false deletes, and its record, output and audit errors agree', async () => {
    await withCleanup(async (seed) => {
      world(seed, 12, 0, 0);
      const [night] = await seed.scheduled(job, Date.UTC(2026, 2, 1, 3, 0), 1);
      assert.equal(night?.dryRun, true);
      assert.deepEqual(
        { ...(await seed.store.getRunMetrics(night?.id ?? -1)) },
        {
          deleted: 0,
          would_delete: 12,
          errors: 0,
        },
      );
      const nightLog = (await seed.store.readLogs(night?.id ?? -1)).map((chunk) => chunk.chunk).join('');
      assert.match(nightLog, /^cleaner: CLEANER_DRY_RUN=true JOB_TTL_HOURS=24 max 500$/m);

      world(seed, 12, 7, 0);
      const [real] = await seed.engine.trigger({ job, trigger: 'api', dryRun: false });
      const ended = await seed.ended(real?.id ?? -1);
      assert.equal(ended.status, 'succeeded');
      assert.equal(ended.dryRun, false, 'the record says not dry');
      const log = (await seed.store.readLogs(ended.id)).map((chunk) => chunk.chunk).join('');
      assert.match(log, /^cleaner: CLEANER_DRY_RUN=false /m, 'and the program was told so');
      assert.deepEqual(
        { ...(await seed.store.getRunMetrics(ended.id)) },
        { deleted: 12, would_delete: 0, errors: 7 },
      );

      // "High error count in audit logs (errors > 5)": the audit guard, on the webhook.
      const hooks = bodiesAt<Hook>(seed, '/hook');
      assert.equal(hooks.length, 1, JSON.stringify(hooks));
      assert.equal(hooks[0]?.event, 'guard');
      assert.equal(hooks[0]?.severity, 'warning');
      assert.equal(hooks[0]?.dedup_key, `cronplane:guard:${job}:audit_errors`);
      assert.match(hooks[0]?.title ?? '', /guard audit_errors tripped/);
      assert.equal(hooks[0]?.details['value'], 7);
    });
  });
});
