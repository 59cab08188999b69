/**
 * Seed 004 (AI audit queue), end to end on examples/ai-audit-queue: batches enqueued as the API
 * enqueues them, released by the queue drainer oldest first with one batch per organization in
 * progress, run by a stub processor reading the batch from stdin. One batch hangs: past
 * max_runtime (1 h) it is reported stuck on Slack, while its organization's next batch waits
 * and the other organization's batch is done.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { planQueueItem, QueueDrainer } from '../../src/queue/index.ts';
import type { JsonValue } from '../../src/store/index.ts';
import { silentLogger, waitFor } from '../support/engine-harness.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import { bodiesAt, runSeed } from './seed-harness.ts';

const sqlite = await createSqliteHarness();
after(() => sqlite.close());

const job = 'process-audit-queue';

interface Slack {
  readonly text: string;
}

describe('seed 004 ai-audit-queue: a stuck batch and the per-organization queue', () => {
  it('releases the oldest batch per organization, reports the hung one stuck after 1 h, and keeps its organization’s next batch waiting', async () => {
    await runSeed(
      async () => {
        await sqlite.reset();
        return sqlite.open();
      },
      {
        example: 'ai-audit-queue',
        start: Date.UTC(2026, 2, 3, 9, 0, 10),
        swaps: ({ dir, http }) => [
          ['cwd: /path/to/gepp-platform/backend', `cwd: ${dir}`],
          [
            'run: python -m GEPPPlatform.services.cores.transaction_audit.cron_process_audit_queue',
            `run: [sh, -c, 'p=$(cat); echo "auditing $p"; case "$p" in *b-hangs*) while [ ! -e ledger-back ]; do sleep 0.05; done;; esac; echo "batch done"']`,
          ],
          ['file: /var/log/gepp-audit-cron.log', `file: ${path.join(dir, 'audit.log')}`],
          [
            '\njobs:\n',
            `\nchannels:\n  ops: { slack: { webhook_url: 'https://hooks.slack.invalid/T0/B0/x', url: '${http}/slack' } }\ndefaults:\n  notify: { stuck: [ops], failure: [ops] }\njobs:\n`,
          ],
        ],
      },
      async (seed) => {
        const drainer = new QueueDrainer({
          store: seed.store,
          clock: seed.clock,
          node: 'node-a',
          logger: silentLogger,
          pollMs: 86_400_000,
          // As the daemon wires it: released items wake the worker (its poll trusts the signals).
          onReleased: () => void seed.engine.worker.runsQueued(),
        });
        await drainer.start(seed.config.jobs);
        try {
          const resolved = seed.config.jobs.find((candidate) => candidate.name === job);
          assert.ok(resolved);
          const enqueue = async (payload: JsonValue) => {
            const { inserted } = await seed.store.insertRuns([
              planQueueItem(resolved, seed.clock.now(), { payload, requestedBy: 'add_ai_audit_queue' }),
            ]);
            return inserted[0]?.id ?? -1;
          };
          const hangs = await enqueue({ organization_id: 'acme', batch_id: 'b-hangs' });
          const next = await enqueue({ organization_id: 'acme', batch_id: 'b-next' });
          const other = await enqueue({ organization_id: 'globex', batch_id: 'b-other' });

          assert.deepEqual(await drainer.drain(job), [hangs, other], 'oldest first, one per organization');
          seed.clock.advance(1000);
          assert.equal((await seed.ended(other)).status, 'succeeded');
          await waitFor('the hung batch running', async () => {
            const run = await seed.store.getRunOrThrow(hangs);
            return run.status === 'running' ? run : undefined;
          });
          assert.deepEqual(await drainer.drain(job), [], 'acme has a batch in progress');
          assert.equal((await seed.store.getRunOrThrow(next)).status, 'held');

          // An hour passes with the daemon alive: 5 s steps, so the worker keeps renewing the run's lease.
          for (let step = 0; step < (61 * 60) / 5; step++) {
            seed.clock.advance(5000);
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
          await seed.stuckWatch.check();
          await seed.outbox.drain();
          const slack = seed.sent('/slack');
          assert.equal(slack.length, 1);
          const stuck = JSON.parse(slack[0]?.body ?? '{}') as Slack & {
            blocks: { fields?: { text: string }[] }[];
          };
          assert.equal(
            stuck.text,
            `:warning: [WARNING] run ${hangs} of ${job} is stuck: running for 61 min, past its max_runtime of 60 min`,
          );
          const fields = stuck.blocks.flatMap((block) => block.fields?.map((field) => field.text) ?? []);
          assert.ok(fields.includes('*rateKey*\nacme'), JSON.stringify(fields));
          assert.ok(fields.includes('*batch_id*\nb-hangs'), 'the stuck batch named by its own field');
          assert.ok(fields.includes('*organization_id*\nacme'), JSON.stringify(fields));
          assert.equal((await seed.store.getRunOrThrow(next)).status, 'held', 'acme still waits');
          const open = await seed.store.listEvents({ job, open: true, limit: 10 });
          assert.deepEqual(
            open.events.map((event) => event.kind),
            ['run:stuck'],
          );

          // The ledger answers again: the batch ends, the stuck event closes, acme's next batch goes.
          writeFileSync(path.join(seed.dir, 'ledger-back'), '');
          assert.equal((await seed.ended(hangs)).status, 'succeeded');
          await seed.stuckWatch.check();
          const stillOpen = await seed.store.listEvents({ job, open: true, limit: 10 });
          assert.deepEqual(
            stillOpen.events.map((event) => event.kind),
            [],
          );
          assert.deepEqual(await drainer.drain(job), [next]);
          seed.clock.advance(1000);
          const done = await seed.ended(next);
          assert.equal(done.status, 'succeeded');
          const log = (await seed.store.readLogs(next)).map((chunk) => chunk.chunk).join('');
          assert.match(log, /auditing \{"organization_id":"acme","batch_id":"b-next"\}\nbatch done/);
          assert.equal(bodiesAt<Slack>(seed, '/slack').length, 1, 'nothing else was sent');
        } finally {
          await drainer.release();
        }
      },
    );
  });
});
