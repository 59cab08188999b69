/**
 * Seed 002 (API gateway worker endpoints), end to end on examples/api-gateway: its HTTP jobs
 * call a fake gateway on loopback with the bearer secret. The copy adds what the example leaves
 * to the operator: a Slack and a PagerDuty channel for failures, and (for the hanging endpoint)
 * a short timeout instead of the 30 s default. An unreachable gateway failing three jobs is one
 * page and two Slack posts; a hanging endpoint times out; the health check asserts the body.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closedPort } from '../notify/receivers.ts';
import type { Answer, RecordedRequest } from '../notify/receivers.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import { bodiesAt, runSeed } from './seed-harness.ts';
import type { SeedRun } from './seed-harness.ts';

const sqlite = await createSqliteHarness();
after(() => sqlite.close());

interface Slack {
  readonly text: string;
}

interface PagerDutyEvent {
  readonly event_action: string;
  readonly dedup_key: string;
  readonly payload?: { summary: string };
}

const apiUrl = '${API_URL:-http://api-gateway:3003}';

function withGateway(
  options: { gatewayUrl?: string; timeout?: string; gateway?: (request: RecordedRequest) => Answer },
  body: (seed: SeedRun) => Promise<void>,
): Promise<void> {
  return runSeed(
    async () => {
      await sqlite.reset();
      return sqlite.open();
    },
    {
      example: 'api-gateway',
      start: Date.UTC(2026, 2, 2, 10, 10),
      ...(options.gateway === undefined ? {} : { gateway: options.gateway }),
      swaps: ({ http }) => [
        [
          'env_file: ./example.env\n',
          `env_file: ./example.env
channels:
  ops: { slack: { webhook_url: 'https://hooks.slack.invalid/T0/B0/x', url: '${http}/slack' } }
  pager: { pagerduty: { routing_key: '0123456789abcdef0123456789abcdef', url: '${http}/pd' } }
defaults:
  notify: { failure: [ops, pager], recovery: [ops, pager] }
${options.timeout === undefined ? '' : `  timeout: ${options.timeout}\n`}`,
        ],
        [apiUrl, options.gatewayUrl ?? `${http}/gw`],
        // The health check asserts what the gateway says, not only its status.
        [
          '      expect_status: [200]\n',
          "      expect_status: [200]\n      expect_body: { json: { path: '$.status', equals: healthy } }\n",
        ],
      ],
    },
    body,
  );
}

async function windowEnds(seed: SeedRun): Promise<void> {
  seed.clock.advance(30_000);
  await seed.outbox.drain();
  await new Promise((resolve) => setImmediate(resolve));
  await seed.outbox.drain();
}

describe('seed 002 api-gateway: an unreachable and a hanging endpoint, and the health check', () => {
  it('an unreachable gateway fails three jobs: each recorded, one message for the first, one grouped message for the rest', async () => {
    const port = await closedPort();
    await withGateway({ gatewayUrl: `http://127.0.0.1:${port}` }, async (seed) => {
      assert.equal(seed.config.jobs.find((job) => job.name === 'reset-credits')?.timeoutMs, 30_000);
      const jobs = ['reset-credits', 'check-expirations', 'aggregate-analytics'];
      for (const job of jobs) {
        const [run] = await seed.fire(job);
        assert.equal(run?.status, 'failed', job);
      }
      await windowEnds(seed);
      const refused = `connect ECONNREFUSED 127.0.0.1:${port}`;
      assert.deepEqual(
        bodiesAt<Slack>(seed, '/slack').map((post) => post.text),
        [
          `:x: [FAILURE] reset-credits failed: ${refused}`,
          ':x: [FAILURE] 2 jobs failed: check-expirations, aggregate-analytics: • check-expirations failed',
        ],
      );
      const pd = bodiesAt<PagerDutyEvent>(seed, '/pd');
      assert.deepEqual(
        pd.map((event) => [event.event_action, event.payload?.summary]),
        [
          ['trigger', `reset-credits failed: ${refused}`],
          ['trigger', '2 jobs failed: check-expirations, aggregate-analytics: • check-expirations failed'],
        ],
      );
      const events = await seed.store.listEvents({ kind: 'run:failed', open: true, limit: 10 });
      assert.equal(events.events.length, 3, 'each job is still its own event');
    });
  });

  it('a hanging endpoint is stopped at the timeout and reported; the others answer with the bearer secret, never shown', async () => {
    await withGateway(
      {
        timeout: '1s',
        gateway: (request) =>
          request.path.endsWith('/aggregate-hourly')
            ? { status: 200, hang: true }
            : { status: 200, body: '{"ok":true}' },
      },
      async (seed) => {
        const [ok] = await seed.fire('reset-credits');
        assert.equal(ok?.status, 'succeeded');
        const [hung] = await seed.fire('aggregate-hourly');
        assert.equal(hung?.status, 'timed_out');
        const calls = seed.sent('/gw/api/v1/workers/aggregate-hourly');
        assert.equal(calls.length, 1);
        assert.equal(calls[0]?.method, 'POST');
        assert.equal(
          seed.sent('/gw/api/v1/workers/reset-credits')[0]?.headers.authorization,
          'Bearer dev-admin-secret',
        );
        const slack = bodiesAt<Slack>(seed, '/slack');
        assert.equal(slack.length, 1);
        assert.match(slack[0]?.text ?? '', /^:x: \[FAILURE\] aggregate-hourly timed out after 1s/);
        assert.doesNotMatch(slack[0]?.text ?? '', /timed out.*timed out/s, 'said once');
        assert.equal(
          bodiesAt<PagerDutyEvent>(seed, '/pd')[0]?.dedup_key,
          'cronplane:run:failed:aggregate-hourly',
        );
        for (const request of seed.http.requests.filter((r) => !r.path.startsWith('/gw'))) {
          assert.doesNotMatch(request.body, /dev-admin-secret/);
        }
      },
    );
  });

  it('the health check fails on a 200 whose body is not healthy, saying what came, and passes on a healthy one', async () => {
    let status = 'degraded';
    await withGateway(
      { gateway: () => ({ status: 200, body: `{"status":"${status}","queue":"stalled"}` }) },
      async (seed) => {
        const [sick] = await seed.fire('workers-health');
        assert.equal(sick?.status, 'failed');
        assert.equal(sick?.httpStatus, 200);
        assert.deepEqual(
          bodiesAt<Slack>(seed, '/slack').map((post) => post.text),
          [
            ':x: [FAILURE] workers-health failed: HTTP 200: expect_body: expected $.status to equal "healthy", got "degraded"',
          ],
        );
        assert.match(
          seed.sent('/slack')[0]?.body ?? '',
          /response body:\\n\{\\"status\\":\\"degraded\\",\\"queue\\":\\"stalled\\"\}/,
        );
        status = 'healthy';
        seed.clock.advance(60_000);
        const [well] = await seed.fire('workers-health');
        assert.equal(well?.status, 'succeeded');
        await windowEnds(seed);
        assert.deepEqual(
          bodiesAt<Slack>(seed, '/slack')
            .slice(1)
            .map((post) => post.text),
          [`:white_check_mark: [RESOLVED] workers-health recovered: run ${well?.id} succeeded`],
        );
        assert.deepEqual(
          bodiesAt<PagerDutyEvent>(seed, '/pd').map((event) => event.event_action),
          ['trigger', 'resolve'],
        );
      },
    );
  });
});
