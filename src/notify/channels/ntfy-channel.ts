import { z } from 'zod';
import { collectSecrets, quietHoursSchema, secretSchema } from '../../config/index.ts';
import type { ChannelKindDefinition } from '../channel-kind.ts';
import { ntfyServer, sendNtfy } from '../ntfy-sender.ts';
import { originOf } from '../origin-of.ts';

const ntfyChannelSchema = z.strictObject({
  /** On a public server the topic name is the password: it is a secret. */
  topic: secretSchema,
  /** The ntfy server; https://ntfy.sh when absent. */
  url: z.string().optional(),
  /** An access token, sent as `Authorization: Bearer <token>`. */
  token: secretSchema.optional(),
  quiet_hours: quietHoursSchema.optional(),
});

export type NtfyChannelSettings = z.output<typeof ntfyChannelSchema>;

/** ntfy (ntfy.sh or a server of one's own): a push message with priority and tags. */
export const ntfyChannel: ChannelKindDefinition<NtfyChannelSettings> = {
  kind: 'ntfy',
  schema: ntfyChannelSchema,
  secrets: (settings) => collectSecrets(settings),
  send: sendNtfy,
  describe: (settings) => `ntfy, ${originOf(settings.url ?? ntfyServer)}`,
  tracksIncidents: false,
};
