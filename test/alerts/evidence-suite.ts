/**
 * Failure alerts carry the evidence, and one cause is one page: real jobs (a shell command, an
 * HTTP request to a loopback server answering 500) run through the real engine, RunWatch with
 * its guard check, the Alerter and the outbox to a loopback receiver standing in for Slack,
 * PagerDuty and a webhook.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NotificationGrouper } from '../../src/alerts/index.ts';
import { configMask } from '../../src/config/index.ts';
import { createExecuteRun } from '../../src/engine/index.ts';
import { configOf } from '../support/engine-harness.ts';
import type { StoreFactory } from '../support/engine-harness.ts';
import { startHttpReceiver } from '../notify/receivers.ts';
import type { HttpReceiver, RecordedRequest } from '../notify/receivers.ts';
import { startAlertHarness } from './alert-harness.ts';
import type { AlertHarness } from './alert-harness.ts';

const t0 = Date.UTC(2026, 2, 14, 2, 0, 0);
const env = { API_TOKEN: 'tok-9f8e7d6c5b4a' };

/** The jobs of the suite: each fails in its own way. */
export function evidenceJobFile(receiver: string, groupWindow = '0s', smtpPort?: number): string {
  const mail =
    smtpPort === undefined
      ? ''
      : `  mail: { email: { to: ops@example.com, smtp_url: "smtp://127.0.0.1:${smtpPort}", from: cron@example.com } }\n`;
  return `version: 1
server: { public_url: "https://cron.example.com" }
alerts: { group_window: ${groupWindow} }
defaults:
  notify: { failure: [ops, audit], critical: [pager, ops], guard: [ops], recovery: [ops] }
channels:
  ops: { slack: { webhook_url: "https://hooks.slack.invalid/T0/B0/x", url: "${receiver}/slack", channel: "#ops" } }
  pager: { pagerduty: { routing_key: "0123456789abcdef0123456789abcdef", url: "${receiver}/pd" } }
  audit: { webhook: { url: "${receiver}/hook", secret: whsec-example-key } }
${mail}jobs:
  nightly-export:
    run: [sh, -c, 'i=1; while [ $i -le 30 ]; do echo "exported part $i"; i=$((i+1)); done; echo "upload refused for token $API_TOKEN" >&2; exit 1']
    env: { API_TOKEN: { secret: "\${API_TOKEN}" } }
    alert: { output_lines: 4 }
  gateway-health:
    http: { url: "${receiver}/gw/health" }${smtpPort === undefined ? '' : '\n    notify: { failure: [ops, mail] }'}
  drift-review:
    run: [sh, -c, 'echo "reviewing 50 classifications"; echo "{\\"agreement_rate\\": 0.71, \\"total_reviewed\\": 50, \\"disagreements\\": 15}"; exit 1']
    exit_codes: { 0: success, 1: critical }
    metrics: stdout_json
    guards:
      agreement_rate_low: { metric: agreement_rate, below: 0.75, severity: critical }
    alert:
      include: [total_reviewed, disagreements]
      message: "agreement {agreement_rate}: {disagreements} of {total_reviewed} reviewed classifications disagree"
  org-batch:
    run: [sh, -c, 'echo "batch rejected by the ledger"; exit 3']
    queue: { key: organization_id }
    alert: { include: [payload.batch_id] }
`;
}

/** The gateway answers 500 with a body; the channels take everything. */
export function evidenceReceiver(): Promise<HttpReceiver> {
  return startHttpReceiver((_index, request) =>
    request.path.startsWith('/gw')
      ? { status: 500, body: '{"error":"upstream pool exhausted","retry_in":30}' }
      : request.path === '/pd'
        ? { status: 202, body: '{"status":"success"}' }
        : { status: 200, body: 'ok' },
  );
}

/** A harness running the jobs for real, secrets masked as the daemon masks them. */
export function startEvidenceHarness(
  makeStore: StoreFactory,
  receiver: HttpReceiver,
  groupWindow = '0s',
  smtpPort?: number,
): Promise<AlertHarness> {
  const config = configOf(evidenceJobFile(receiver.url, groupWindow, smtpPort), env);
  const mask = configMask(config, env);
  return startAlertHarness(makeStore, config, receiver, {
    start: t0,
    env,
    execute: createExecuteRun({ mask: () => mask }),
    queue: (outbox, clock) =>
      new NotificationGrouper({ outbox, clock, windowMs: config.alerts.groupWindowMs }),
  });
}

interface SlackBody {
  readonly text: string;
  readonly blocks: readonly { type: string; text?: { text: string }; fields?: { text: string }[] }[];
}

function slackOf(request: RecordedRequest | undefined): SlackBody {
  assert.ok(request, 'Slack got nothing');
  return JSON.parse(request.body) as SlackBody;
}

function headerOf(body: SlackBody): string {
  return body.blocks.find((block) => block.type === 'header')?.text?.text ?? '';
}

function sectionText(body: SlackBody): string {
  return body.blocks.find((block) => block.type === 'section' && block.text !== undefined)?.text?.text ?? '';
}

function fieldsOf(body: SlackBody): string[] {
  return body.blocks.flatMap((block) => block.fields?.map((field) => field.text) ?? []);
}

export function defineEvidenceSuite(storeName: string, makeStore: StoreFactory): void {
  describe(`alert evidence on ${storeName}`, () => {
    let receiver: HttpReceiver;
    before(async () => {
      receiver = await evidenceReceiver();
    });
    after(async () => {
      await receiver.close();
    });

    async function withHarness(body: (h: AlertHarness) => Promise<void>, groupWindow = '0s') {
      receiver.requests.length = 0;
      const h = await startEvidenceHarness(makeStore, receiver, groupWindow);
      try {
        await body(h);
      } finally {
        await h.release();
      }
    }

    it("a failed command's alert carries the last lines of its output, masked, and says the exit code once", async () => {
      await withHarness(async (h) => {
        await h.runOnce('nightly-export');
        const slack = slackOf(h.sent('/slack')[0]);
        assert.equal(headerOf(slack), ':x: nightly-export failed: exit code 1');
        assert.equal(slack.text.match(/exit code 1/g)?.length, 1, slack.text);
        const output = sectionText(slack);
        assert.match(
          output,
          /exported part 28\nexported part 29\nexported part 30\nupload refused for token \*\*\*/,
        );
        assert.doesNotMatch(output, /exported part 27\b/);
        assert.ok(fieldsOf(slack).includes('*output*\nlast 4 of 31 lines'), JSON.stringify(fieldsOf(slack)));
        const hook = JSON.parse(h.sent('/hook')[0]?.body ?? '{}') as { title: string; summary: string };
        assert.equal(hook.title, 'nightly-export failed: exit code 1');
        assert.match(hook.summary, /upload refused for token \*\*\*$/);
        for (const request of receiver.requests) assert.doesNotMatch(request.body, /tok-9f8e7d6c5b4a/);
      });
    });

    it("an HTTP failure's alert carries the status and the start of the response body", async () => {
      await withHarness(async (h) => {
        const run = await h.runOnce('gateway-health');
        assert.equal(run.httpStatus, 500);
        const slack = slackOf(h.sent('/slack')[0]);
        assert.equal(headerOf(slack), ':x: gateway-health failed: HTTP 500');
        assert.ok(fieldsOf(slack).includes('*http_status*\n500'), JSON.stringify(fieldsOf(slack)));
        assert.match(
          sectionText(slack),
          /response body:\n\{"error":"upstream pool exhausted","retry_in":30\}/,
        );
      });
    });

    it("a queue item's failure carries the item's key field and the fields its job includes", async () => {
      await withHarness(async (h) => {
        const [run] = await h.engine.trigger({
          job: 'org-batch',
          trigger: 'api',
          payload: { organization_id: 'acme', batch_id: 'b-17', rows: [1, 2] },
        });
        assert.ok(run);
        await h.ended(run.id);
        const hook = JSON.parse(h.sent('/hook')[0]?.body ?? '{}') as {
          details: Record<string, string | number>;
          summary: string;
        };
        assert.equal(hook.details['organization_id'], 'acme');
        assert.equal(hook.details['batch_id'], 'b-17');
        assert.equal(hook.details['exit_code'], 3);
        assert.equal(hook.summary, 'batch rejected by the ledger');
      });
    });

    it("seed 001's drift is one incident: one PagerDuty trigger and one Slack post with the exit code, the guard and the numbers", async () => {
      await withHarness(async (h) => {
        const run = await h.runOnce('drift-review');
        assert.equal(run.status, 'critical');
        const pd = h.sent('/pd');
        assert.equal(pd.length, 1, pd.map((request) => request.body).join('\n'));
        const trigger = JSON.parse(pd[0]?.body ?? '{}') as {
          dedup_key: string;
          payload: { summary: string; severity: string; custom_details: Record<string, unknown> };
        };
        assert.equal(trigger.dedup_key, 'cronplane:run:critical:drift-review');
        assert.equal(trigger.payload.severity, 'critical');
        assert.equal(
          trigger.payload.summary,
          'drift-review failed: exit code 1 (critical); guard agreement_rate_low tripped: agreement 0.71: 15 of 50 reviewed classifications disagree',
        );
        assert.equal(trigger.payload.custom_details['total_reviewed'], 50);
        assert.equal(trigger.payload.custom_details['disagreements'], 15);
        const slack = h.sent('/slack');
        assert.equal(slack.length, 1);
        const text = sectionText(slackOf(slack[0]));
        assert.match(text, /^```agreement 0\.71: 15 of 50 reviewed classifications disagree\n/);
        assert.match(
          text,
          /\n\nguard agreement_rate_low tripped:\n {2}agreement_rate is 0\.71, below 0\.75```$/,
        );
        // Each reason is still its own event, and both are marked told.
        const events = await h.store.listEvents({ job: 'drift-review', open: true, limit: 10 });
        assert.deepEqual(events.events.map((event) => event.kind).sort(), [
          'guard:agreement_rate_low',
          'run:critical',
        ]);
        assert.ok(events.events.every((event) => event.notifiedAt !== null));
      });
    });

    it('failures of several jobs in one window are one message per channel, each job still its own event', async () => {
      await withHarness(async (h) => {
        await h.runOnce('nightly-export');
        await h.runOnce('gateway-health');
        await h.runOnce('org-batch');
        // The first went out at once; the two after it wait for the window's end.
        assert.equal(h.sent('/slack').length, 1);
        h.clock.advance(30_000);
        await h.outbox.drain();
        await new Promise((resolve) => setImmediate(resolve));
        await h.outbox.drain();
        const slack = h.sent('/slack');
        assert.equal(slack.length, 2);
        const grouped = slackOf(slack[1]);
        assert.equal(headerOf(grouped), ':x: 2 jobs failed: gateway-health, org-batch');
        assert.match(sectionText(grouped), /• gateway-health failed: HTTP 500/);
        assert.match(sectionText(grouped), /• org-batch failed: exit code 3/);
        assert.equal(h.sent('/hook').length, 2);
        const events = await h.store.listEvents({ kind: 'run:failed', open: true, limit: 10 });
        assert.equal(events.events.length, 3);
      }, '30s');
    });
  });
}
