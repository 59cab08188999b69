/**
 * The samples docs/alerts.md shows, made by the channels' own message builders from the page's
 * notification (seed 001's drift-review, exit code 1, critical) and settings. The doc test
 * compares each `<!-- sample: NAME -->` block with these; regenerate a block from here when a
 * builder changes on purpose.
 */
import {
  discordMessage,
  emailMessage,
  ntfyMessage,
  pagerdutyEvent,
  signWebhook,
  slackMessage,
  teamsMessage,
  webhookBody,
} from '../../src/notify/index.ts';
import { criticalRecovered, criticalRun, fixedNow } from './fixtures.ts';

/** The settings the page's examples use. */
export const sampleSettings = {
  slackChannel: '#ops',
  routingKey: '0123456789abcdef0123456789abcdef',
  webhookSecret: 'whsec-example-key',
  webhookPath: '/cron',
  deliveryId: '7d0c8a52-3f5e-4d8e-9a47-1c2b3d4e5f60',
  ntfyTopic: 'cron-alerts-9f8e7d',
} as const;

export interface AlertSamples {
  /** JSON bodies, by sample name. */
  readonly json: Readonly<Record<string, unknown>>;
  /** The webhook request as HTTP text: request line, cronplane's headers, blank line, body. */
  readonly webhook: string;
  /** `Subject: ...`, a blank line, the plain-text body. */
  readonly email: string;
}

export function alertSamples(): AlertSamples {
  const roundTrip = (value: object): unknown => JSON.parse(JSON.stringify(value)) as unknown;
  const body = webhookBody(criticalRun);
  const timestamp = String(Math.floor(fixedNow / 1000));
  const mail = emailMessage(criticalRun, {});
  return {
    json: {
      slack: roundTrip(slackMessage(criticalRun, { channel: sampleSettings.slackChannel })),
      'pagerduty-trigger': roundTrip(pagerdutyEvent(criticalRun, sampleSettings.routingKey, fixedNow)),
      'pagerduty-resolve': roundTrip(pagerdutyEvent(criticalRecovered, sampleSettings.routingKey, fixedNow)),
      discord: roundTrip(discordMessage(criticalRun, fixedNow)),
      teams: roundTrip(teamsMessage(criticalRun)),
      ntfy: roundTrip(ntfyMessage(criticalRun, sampleSettings.ntfyTopic)),
    },
    webhook: [
      `POST ${sampleSettings.webhookPath} HTTP/1.1`,
      'Content-Type: application/json',
      `X-Cronplane-Kind: ${criticalRun.kind}`,
      `X-Cronplane-Delivery: ${sampleSettings.deliveryId}`,
      `X-Cronplane-Timestamp: ${timestamp}`,
      `X-Cronplane-Signature: ${signWebhook(sampleSettings.webhookSecret, timestamp, body)}`,
      '',
      body,
    ].join('\n'),
    email: `Subject: ${mail.subject}\n\n${mail.text}`,
  };
}
