import { z } from 'zod';
import { collectSecrets, quietHoursSchema, secretSchema } from '../../config/index.ts';
import type { ChannelKindDefinition } from '../channel-kind.ts';
import { originOf } from '../origin-of.ts';
import { sendSlack } from '../slack-sender.ts';

const slackChannelSchema = z.strictObject({
  webhook_url: secretSchema,
  /** Replaces the whole endpoint (webhook_url is then not used): a proxy, a relay, a test server. */
  url: z.string().optional(),
  channel: z.string().optional(),
  quiet_hours: quietHoursSchema.optional(),
});

export type SlackChannelSettings = z.output<typeof slackChannelSchema>;

/** Slack incoming webhooks: a message with blocks (`slack-sender.ts` builds it). */
export const slackChannel: ChannelKindDefinition<SlackChannelSettings> = {
  kind: 'slack',
  schema: slackChannelSchema,
  secrets: (settings) => collectSecrets(settings),
  send: sendSlack,
  describe: (settings) => `slack, ${originOf(settings.url ?? settings.webhook_url.reveal())}`,
  tracksIncidents: false,
};
