import { z } from 'zod';
import { Secret, collectSecrets, quietHoursSchema, secretSchema, urlForms } from '../../config/index.ts';
import type { ChannelKindDefinition } from '../channel-kind.ts';
import { originOf } from '../origin-of.ts';
import { sendWebhook } from '../webhook-sender.ts';

const webhookChannelSchema = z.strictObject({
  url: z.string().min(1),
  /** HMAC-SHA256 key for the signature header. */
  secret: secretSchema.optional(),
  headers: z
    .record(
      z.string(),
      z.union([
        z.string(),
        z.strictObject({ secret: z.string() }).transform((value) => new Secret(value.secret)),
      ]),
    )
    .optional(),
  quiet_hours: quietHoursSchema.optional(),
});

export type WebhookChannelSettings = z.output<typeof webhookChannelSchema>;

/** A generic webhook: cronplane's JSON, signed with HMAC-SHA256 when the channel has a secret. */
export const webhookChannel: ChannelKindDefinition<WebhookChannelSettings> = {
  kind: 'webhook',
  schema: webhookChannelSchema,
  /** Its `Secret`s, and the URL by its parts: its path or query often carries a token. */
  secrets: (settings) => [...collectSecrets(settings), ...urlForms(settings.url)],
  send: sendWebhook,
  describe: (settings) =>
    `webhook, ${originOf(settings.url)}${settings.secret === undefined ? '' : ', signed'}`,
  tracksIncidents: false,
};
