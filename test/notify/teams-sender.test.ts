import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { channelSecrets, deliver, describeChannel } from '../../src/notify/index.ts';
import { channel, criticalRecovered, criticalRun, testOptions } from './fixtures.ts';
import type { HttpReceiver } from './receivers.ts';
import { startHttpReceiver } from './receivers.ts';

interface Card {
  type: string;
  attachments: {
    contentType: string;
    content: {
      type: string;
      body: { type: string; text?: string; color?: string; facts?: { title: string; value: string }[] }[];
      actions?: { type: string; url: string }[];
    };
  }[];
}

describe('Microsoft Teams', () => {
  let receiver: HttpReceiver;
  before(async () => {
    receiver = await startHttpReceiver(() => ({ status: 202 }));
  });
  beforeEach(() => {
    receiver.requests.length = 0;
  });
  after(() => receiver.close());

  const teams = () =>
    channel('team', {
      teams: {
        webhook_url: 'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual?sig=s3cr3t',
        url: `${receiver.url}/teams`,
      },
    });

  it('posts an Adaptive Card: the state in red, the title, the error, the facts and a button to the run', async () => {
    const report = await deliver(criticalRun, teams(), testOptions());
    assert.equal(report.outcome, 'delivered');
    assert.equal(receiver.requests[0]?.path, '/teams');
    const card = receiver.json(0) as Card;
    assert.equal(card.type, 'message');
    const [attachment] = card.attachments;
    assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(attachment?.content.type, 'AdaptiveCard');
    const [state, title, summary, factSet] = attachment?.content.body ?? [];
    assert.deepEqual([state?.text, state?.color], ['CRITICAL', 'Attention']);
    assert.equal(title?.text, 'drift-review failed: exit code 1 (critical)');
    assert.match(summary?.text ?? '', /RuntimeError: drift sample store unreachable/);
    assert.deepEqual(
      factSet?.facts?.slice(0, 3).map((fact) => `${fact.title}=${fact.value}`),
      ['Job=drift-review', 'Run=4211', 'exit_code=1'],
    );
    assert.deepEqual(attachment?.content.actions, [
      { type: 'Action.OpenUrl', title: 'Open the run', url: 'https://cron.example.com/runs/4211' },
    ]);
  });

  it('marks a resolve in green with the same dedup key', async () => {
    await deliver(criticalRecovered, teams(), testOptions());
    const card = receiver.json(0) as Card;
    const body = card.attachments[0]?.content.body ?? [];
    assert.deepEqual([body[0]?.text, body[0]?.color], ['RESOLVED', 'Good']);
    const facts = body.find((block) => block.type === 'FactSet')?.facts ?? [];
    assert.equal(facts.at(-1)?.value, criticalRun.dedupKey);
  });

  it('names the button after what it opens: a job page when the alert is about no run', async () => {
    const { runId: _runId, ...aboutTheJob } = criticalRun;
    await deliver(
      { ...aboutTheJob, link: 'https://cron.example.com/jobs/drift-review' },
      teams(),
      testOptions(),
    );
    const card = receiver.json(0) as Card;
    assert.deepEqual(card.attachments[0]?.content.actions, [
      {
        type: 'Action.OpenUrl',
        title: 'Open in cronplane',
        url: 'https://cron.example.com/jobs/drift-review',
      },
    ]);
  });

  it('keeps its webhook URL secret: described by origin only, its signature among the redacted values', () => {
    const target = channel('team', {
      teams: {
        webhook_url: 'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual?sig=s3cr3t',
      },
    });
    assert.equal(describeChannel(target), 'teams, https://prod-01.westeurope.logic.azure.com');
    assert.ok(channelSecrets(target).some((value) => value.includes('s3cr3t')));
  });
});
