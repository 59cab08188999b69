/**
 * Seed 000 (AI-MKT nightly eval), end to end on examples/ai-mkt: the eval fans out per tenant
 * and a stub prints each tenant's numbers; after a few quiet nights tenant_b's refusal rate
 * jumps, and Slack gets one refusal_spike post for tenant_b and nothing for tenant_a.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { bodiesAt, runSeed } from './seed-harness.ts';

const sqlite = await createSqliteHarness();
after(() => sqlite.close());

interface Slack {
  readonly text: string;
}

describe('seed 000 ai-mkt: a metric spike per tenant', () => {
  it('raises refusal_spike for the tenant whose refusal rate jumped, once, and only to Slack', async () => {
    await runSeed(
      async () => {
        await sqlite.reset();
        return sqlite.open();
      },
      {
        example: 'ai-mkt',
        start: Date.UTC(2026, 2, 1, 1, 0),
        swaps: ({ dir, http }) => [
          ['cwd: /opt/ai-mkt', `cwd: ${dir}`],
          ['  user: ai-mkt # "User ai-mkt (and group)"; crontab: installed as ai-mkt\n  group: ai-mkt\n', ''],
          [
            "slack: { webhook_url: '${SLACK_WEBHOOK_URL}' }",
            `slack: { webhook_url: '\${SLACK_WEBHOOK_URL}', url: '${http}/slack' }`,
          ],
          // The eval prints its tenant's numbers as the last JSON line, from a file the test writes.
          ['run: .venv/bin/python -m cron.leakage_nightly', "run: 'true'"],
          ['run: .venv/bin/python -m cron.anomaly_detect', "run: 'true'"],
          [
            'run: .venv/bin/python -m cron.eval_nightly',
            `run: [sh, -c, 'echo "eval $TENANTS"; cat "rates-$TENANTS.json"']`,
          ],
        ],
      },
      async (seed) => {
        const night = (a: number, b: number) => {
          writeFileSync(
            path.join(seed.dir, 'rates-tenant_a.json'),
            `{"refusal_rate": ${a}, "citation_rate": 0.9}\n`,
          );
          writeFileSync(
            path.join(seed.dir, 'rates-tenant_b.json'),
            `{"refusal_rate": ${b}, "citation_rate": 0.9}\n`,
          );
        };
        const nightAt = (day: number) => Date.UTC(2026, 2, day, 2, 0);
        let day = 1;
        for (const [a, b] of [
          [0.1, 0.1],
          [0.11, 0.09],
          [0.1, 0.1],
        ] as const) {
          night(a, b);
          const runs = await seed.scheduled('ai-mkt-eval', nightAt(day++), 2);
          assert.deepEqual(runs.map((run) => [run.fanKey, run.status]).sort(), [
            ['tenant_a', 'succeeded'],
            ['tenant_b', 'succeeded'],
          ]);
        }
        assert.equal(
          seed.sent('/slack').length,
          0,
          seed
            .sent('/slack')
            .map((r) => r.body)
            .join('\n'),
        );

        night(0.1, 0.3);
        const runs = await seed.scheduled('ai-mkt-eval', nightAt(day), 2);
        const b = runs.find((run) => run.fanKey === 'tenant_b');
        assert.deepEqual(
          { ...(await seed.store.getRunMetrics(b?.id ?? -1)) },
          { refusal_rate: 0.3, citation_rate: 0.9 },
        );
        const slack = bodiesAt<Slack>(seed, '/slack');
        assert.equal(slack.length, 1, JSON.stringify(slack));
        assert.equal(
          slack[0]?.text,
          ':warning: [WARNING] ai-mkt-eval: guard refusal_spike tripped for tenant_b: refusal_rate rose by 0.203333 to 0.3 against the mean of the last 3 successful runs (0.0966667), more than 0.05',
        );
        assert.doesNotMatch(slack[0]?.text ?? '', /tenant_a/);
        const open = await seed.store.listEvents({ job: 'ai-mkt-eval', open: true, limit: 10 });
        assert.deepEqual(
          open.events.map((event) => event.kind),
          ['guard:refusal_spike'],
        );

        // The spike stays: within the 24 h cool-down the same event is not sent again.
        seed.clock.advance(3_600_000);
        const again = await seed.fire('ai-mkt-eval');
        assert.equal(again.length, 2);
        assert.equal(seed.sent('/slack').length, 1);
        assert.equal(seed.smtp.messages.length, 0);
      },
    );
  });
});
