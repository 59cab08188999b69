/**
 * The samples of docs/alerts.md#evidence are what real runs sent: a failing command with output,
 * an HTTP job against a loopback server answering 500 with a body, and seed 001's drift run
 * through the real engine, RunWatch with its guard check and the alerter to loopback receivers
 * (Slack, PagerDuty, SMTP). Each `<!-- sample: run-NAME -->` block must equal what arrived;
 * `UPDATE_DOC_SAMPLES=1` rewrites the blocks instead.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { markedBlocks } from '../support/marked-blocks.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { startSmtpReceiver } from '../notify/receivers.ts';
import type { HttpReceiver, SmtpReceiver } from '../notify/receivers.ts';
import { evidenceReceiver, startEvidenceHarness } from './evidence-suite.ts';

const page = path.resolve(import.meta.dirname, '../../docs/alerts.md');
const update = process.env['UPDATE_DOC_SAMPLES'] === '1';

/** The page with the block marked `sample: NAME` replaced by `text`. */
function withSample(markdown: string, name: string, text: string): string {
  const block = markedBlocks(markdown).find((found) => found.marker === `sample: ${name}`);
  assert.ok(block, `docs/alerts.md has no <!-- sample: ${name} --> block`);
  const lines = markdown.split('\n');
  const bodyLines = block.text.split('\n').length - 1;
  lines.splice(block.line, bodyLines, ...text.trimEnd().split('\n'));
  return lines.join('\n');
}

function pretty(body: string): string {
  return JSON.stringify(JSON.parse(body), null, 2);
}

describe('docs/alerts.md samples from real runs', () => {
  let sqlite: StoreHarness;
  let receiver: HttpReceiver;
  let smtp: SmtpReceiver;
  const arrived = new Map<string, string>();

  before(async () => {
    sqlite = await createSqliteHarness();
    receiver = await evidenceReceiver();
    smtp = await startSmtpReceiver();
    const h = await startEvidenceHarness(
      async () => {
        await sqlite.reset();
        return sqlite.open();
      },
      receiver,
      '0s',
      smtp.port,
    );
    try {
      await h.runOnce('nightly-export');
      arrived.set('run-slack-command', pretty(h.sent('/slack').at(-1)?.body ?? 'null'));
      await h.runOnce('gateway-health');
      const mail = smtp.messages.at(-1);
      assert.ok(mail, 'no e-mail arrived');
      arrived.set(
        'run-email-http',
        `Subject: ${mail.headers.get('subject') as string}\n\n${mail.text
          .split('\n')
          .map((line) => line.trimEnd())
          .join('\n')}`,
      );
      await h.runOnce('drift-review');
      arrived.set('run-pagerduty-drift', pretty(h.sent('/pd').at(-1)?.body ?? 'null'));
      arrived.set('run-slack-drift', pretty(h.sent('/slack').at(-1)?.body ?? 'null'));
    } finally {
      await h.release();
    }
    if (update) {
      let markdown = readFileSync(page, 'utf8');
      for (const [name, text] of arrived) markdown = withSample(markdown, name, text);
      writeFileSync(page, markdown);
    }
  });

  after(async () => {
    await receiver.close();
    await smtp.close();
    await sqlite.close();
  });

  for (const name of ['run-slack-command', 'run-email-http', 'run-pagerduty-drift', 'run-slack-drift']) {
    it(`shows ${name} as it arrived`, () => {
      const block = markedBlocks(readFileSync(page, 'utf8')).find(
        (found) => found.marker === `sample: ${name}`,
      );
      assert.ok(block, `docs/alerts.md has no <!-- sample: ${name} --> block`);
      assert.equal(
        block.text.trimEnd(),
        arrived.get(name)?.trimEnd(),
        `docs/alerts.md:${block.line} differs from what arrived (UPDATE_DOC_SAMPLES=1 rewrites it)`,
      );
    });
  }
});
