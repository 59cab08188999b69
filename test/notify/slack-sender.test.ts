import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deliver } from '../../src/notify/index.ts';
import { channel, criticalRecovered, criticalRun, testOptions } from './fixtures.ts';
import type { HttpReceiver } from './receivers.ts';
import { startHttpReceiver } from './receivers.ts';

describe('Slack incoming webhook', () => {
  let receiver: HttpReceiver;
  before(async () => {
    receiver = await startHttpReceiver();
  });
  after(() => receiver.close());

  it('posts readable blocks (job, status, run link, error) with a text fallback to the url that replaces the endpoint', async () => {
    const ops = channel('ops', {
      slack: {
        webhook_url: 'https://hooks.slack.com/services/T0/B0/XXXX',
        url: `${receiver.url}/slack`,
        channel: '#ops',
      },
    });
    const report = await deliver(criticalRun, ops, testOptions());
    assert.equal(report.outcome, 'delivered');
    const request = receiver.requests.at(-1);
    assert.equal(request?.path, '/slack');
    assert.match(String(request?.headers['content-type']), /^application\/json/);
    const body = JSON.parse(request?.body ?? '') as {
      channel: string;
      text: string;
      blocks: {
        type: string;
        text?: { text: string };
        fields?: { text: string }[];
        elements?: { url?: string; text: unknown }[];
      }[];
    };
    assert.equal(body.channel, '#ops');
    assert.equal(
      body.text,
      ':rotating_light: [CRITICAL] drift-review failed: exit code 1 (critical): Traceback (most recent call last):',
    );
    assert.deepEqual(
      body.blocks.map((block) => block.type),
      ['header', 'section', 'section', 'actions', 'context'],
    );
    assert.equal(body.blocks[0]?.text?.text, ':rotating_light: drift-review failed: exit code 1 (critical)');
    assert.deepEqual(
      body.blocks[1]?.fields?.map((field) => field.text),
      [
        '*Job*\ndrift-review',
        '*Status*\nCRITICAL',
        '*Run*\n<https://cron.example.com/runs/4211|#4211>',
        '*exit_code*\n1',
        '*attempt*\n1',
        '*duration*\n4m 12s',
      ],
    );
    assert.match(
      body.blocks[2]?.text?.text ?? '',
      /^```Traceback[\s\S]*RuntimeError: drift sample store unreachable```$/,
    );
    assert.equal(body.blocks[3]?.elements?.[0]?.url, 'https://cron.example.com/runs/4211');
  });

  it('says RESOLVED with a check mark on recovery', async () => {
    const ops = channel('ops', {
      slack: { webhook_url: 'https://hooks.slack.com/services/T0/B0/XXXX', url: receiver.url },
    });
    const report = await deliver(criticalRecovered, ops, testOptions());
    assert.equal(report.outcome, 'delivered');
    const body = receiver.json(receiver.requests.length - 1) as {
      text: string;
      blocks: { fields?: { text: string }[] }[];
    };
    assert.equal(
      body.text,
      ':white_check_mark: [RESOLVED] drift-review recovered: Run 4212 succeeded after 1 failure.',
    );
    assert.equal(body.blocks[1]?.fields?.[1]?.text, '*Status*\nRESOLVED (critical)');
  });

  it("escapes Slack's markup characters in what users wrote", async () => {
    const ops = channel('ops', {
      slack: { webhook_url: 'https://hooks.slack.com/services/T0/B0/XXXX', url: receiver.url },
    });
    await deliver(
      { ...criticalRun, summary: 'a < b && c > d <!channel>', details: { 'tag<x>': '<@U123>' } },
      ops,
      testOptions(),
    );
    const text = receiver.requests.at(-1)?.body ?? '';
    assert.doesNotMatch(text, /<!channel>|<@U123>/);
    assert.match(text, /a &lt; b &amp;&amp; c &gt; d &lt;!channel&gt;/);
    assert.match(text, /\*tag&lt;x&gt;\*\\n&lt;@U123&gt;/);
  });

  it('posts to webhook_url itself when no url is given', async () => {
    const ops = channel('ops', { slack: { webhook_url: `${receiver.url}/services/T0/B0/direct` } });
    const report = await deliver(criticalRun, ops, testOptions());
    assert.equal(report.outcome, 'delivered');
    assert.equal(receiver.requests.at(-1)?.path, '/services/T0/B0/direct');
  });
});
