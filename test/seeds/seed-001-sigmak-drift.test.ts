/**
 * Seed 001 (SigmaK drift detection), end to end on examples/sigmak-drift: a stub in place of
 * `python -m sigmak.drift_scheduler --run-once ...` prints the drift numbers and exits as the
 * script does (1 = critical drift). A critical run is one incident: one PagerDuty trigger, one
 * Slack post and one mail, each with both reasons and the numbers; a good run resolves it.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { waitFor } from '../support/engine-harness.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { bodiesAt, runSeed } from './seed-harness.ts';
import type { SeedRun } from './seed-harness.ts';

// SQLite, and PostgreSQL too: the one seed run on both stores.
const stores = [
  ['SQLite', await createSqliteHarness()],
  ['PostgreSQL', await createPostgresHarness()],
] as const;
after(async () => {
  for (const [, harness] of stores) await harness.close();
});

interface PagerDutyEvent {
  readonly event_action: string;
  readonly dedup_key: string;
  readonly payload?: { summary: string; severity: string; custom_details: Record<string, unknown> };
}

interface Slack {
  readonly text: string;
}

const job = 'sigmak-drift-review';

function review(seed: SeedRun, numbers: object, exitCode: number): void {
  writeFileSync(path.join(seed.dir, 'drift.json'), `${JSON.stringify(numbers)}\n`);
  writeFileSync(path.join(seed.dir, 'exit-code'), `${exitCode}\n`);
}

function withSigmak(harness: StoreHarness, body: (seed: SeedRun) => Promise<void>): Promise<void> {
  return runSeed(
    async () => {
      await harness.reset();
      return harness.open();
    },
    {
      example: 'sigmak-drift',
      start: Date.UTC(2026, 2, 14, 3, 0),
      swaps: ({ dir, http, smtpPort }) => [
        ['    user: sigmak # User=sigmak\n    group: sigmak # Group=sigmak\n', ''],
        ['cwd: /app # WorkingDirectory=/app (crontab: cd /app && ...)', `cwd: ${dir}`],
        // The script: the same arguments, its numbers as the last JSON line, its exit code.
        [
          '      - /usr/local/bin/python\n      - -m\n',
          `      - sh\n      - -c\n      - 'echo "drift review --run-once, sample size $3"; cat drift.json; exit "$(cat exit-code)"'\n`,
        ],
        ['file: /var/log/sigmak/drift.log', `file: ${path.join(dir, 'drift.log')}`],
        [
          "slack: { webhook_url: '${SLACK_WEBHOOK_URL}' }",
          `slack: { webhook_url: '\${SLACK_WEBHOOK_URL}', url: '${http}/slack' }`,
        ],
        [
          "pagerduty: { routing_key: '${PAGERDUTY_API_KEY}' }",
          `pagerduty: { routing_key: '\${PAGERDUTY_API_KEY}', url: '${http}/pd' }`,
        ],
        ["smtp_url: '${SMTP_URL}'", `smtp_url: 'smtp://127.0.0.1:${smtpPort}'`],
      ],
    },
    body,
  );
}

for (const [storeName, harness] of stores) {
  describe(`seed 001 sigmak-drift on ${storeName}: a critical exit is one incident with the numbers`, () => {
    it('exit 1 with agreement_rate < 0.75 pages once, posts once and mails once, each with both reasons, total_reviewed and disagreements', async () => {
      await withSigmak(harness, async (seed) => {
        review(seed, { agreement_rate: 0.71, total_reviewed: 50, disagreements: 15 }, 1);
        const [run, ...more] = await seed.fire(job);
        assert.equal(more.length, 0);
        assert.equal(run?.status, 'critical');
        assert.equal(run?.exitCode, 1);

        const pd = bodiesAt<PagerDutyEvent>(seed, '/pd');
        assert.equal(pd.length, 1, JSON.stringify(pd));
        assert.equal(pd[0]?.event_action, 'trigger');
        assert.equal(pd[0]?.dedup_key, `cronplane:run:critical:${job}`);
        assert.equal(pd[0]?.payload?.severity, 'critical');
        assert.equal(
          pd[0]?.payload?.summary,
          `${job} failed: exit code 1 (critical); guard agreement_rate_low tripped: agreement 0.71: 15 of 50 reviewed classifications disagree`,
        );
        assert.equal(pd[0]?.payload?.custom_details['total_reviewed'], 50);
        assert.equal(pd[0]?.payload?.custom_details['disagreements'], 15);

        const slack = bodiesAt<Slack>(seed, '/slack');
        assert.equal(slack.length, 1, JSON.stringify(slack));
        assert.equal(
          slack[0]?.text,
          `:rotating_light: [CRITICAL] ${job} failed: exit code 1 (critical); guard agreement_rate_low tripped: agreement 0.71: 15 of 50 reviewed classifications disagree`,
        );

        await seed.outbox.drain();
        assert.equal(seed.smtp.messages.length, 1, 'MAILTO gets the critical run once');
        const mail = seed.smtp.messages[0];
        assert.equal(
          mail?.headers.get('subject'),
          `[cronplane] [CRITICAL] ${job} failed: exit code 1 (critical); guard agreement_rate_low tripped`,
        );
        assert.match(mail?.text ?? '', /^ {2}total_reviewed: 50$/m);
        assert.match(mail?.text ?? '', /^ {2}disagreements: 15$/m);
        assert.deepEqual(mail?.to, ['ops@example.com']);
        assert.match(mail?.text ?? '', /agreement 0\.71: 15 of 50 reviewed classifications disagree/);
        assert.match(mail?.text ?? '', /agreement_rate is 0\.71, below 0\.75/);

        const open = await seed.store.listEvents({ job, open: true, limit: 10 });
        assert.deepEqual(open.events.map((event) => event.kind).sort(), [
          'guard:agreement_rate_low',
          'run:critical',
        ]);

        // The next review agrees again: PagerDuty's incident is resolved, nothing else is sent.
        seed.clock.advance(3_600_000);
        review(seed, { agreement_rate: 0.82, total_reviewed: 50, disagreements: 9 }, 0);
        const [good] = await seed.fire(job);
        assert.equal(good?.status, 'succeeded');
        const resolved = bodiesAt<PagerDutyEvent>(seed, '/pd').slice(1);
        assert.deepEqual(
          resolved.map((event) => [event.event_action, event.dedup_key]),
          [['resolve', `cronplane:run:critical:${job}`]],
        );
        assert.equal(seed.sent('/slack').length, 1);
        assert.equal(seed.smtp.messages.length, 1);
        // A critical outcome is a result: it was not retried.
        const { runs } = await seed.store.listRuns({ job });
        assert.equal(runs.length, 2);
      });
    });

    it('a crash (exit 2) is retried twice 5 min apart (Restart=on-failure), then MAILTO gets it with the output, Slack and PagerDuty do not', async () => {
      await withSigmak(harness, async (seed) => {
        review(seed, { error: 'chroma collection not found' }, 2);
        const [first] = await seed.fire(job);
        assert.equal(first?.status, 'failed');
        for (const attempt of [2, 3]) {
          assert.equal(seed.smtp.messages.length, 0, 'no mail while a retry is due');
          seed.clock.advance(6 * 60_000); // 5 min and the default jitter (a tenth)
          const retry = await waitFor(`attempt ${attempt}`, async () => {
            const { runs } = await seed.store.listRuns({ job });
            return runs.find((run) => run.attempt === attempt);
          });
          assert.equal((await seed.ended(retry.id)).status, 'failed');
        }
        await seed.outbox.drain();
        assert.equal(seed.sent('/pd').length, 0);
        assert.equal(seed.sent('/slack').length, 0);
        assert.equal(seed.smtp.messages.length, 1);
        const mail = seed.smtp.messages[0];
        assert.equal(mail?.headers.get('subject'), `[cronplane] [FAILURE] ${job} failed: exit code 2`);
        assert.match(mail?.text ?? '', /\{"error":"chroma collection not found"\}/);
      });
    });
  });
}
