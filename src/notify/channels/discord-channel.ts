import { z } from 'zod';
import { collectSecrets, quietHoursSchema, secretSchema } from '../../config/index.ts';
import type { ChannelKindDefinition } from '../channel-kind.ts';
import { sendDiscord } from '../discord-sender.ts';
import { originOf } from '../origin-of.ts';

const discordChannelSchema = z.strictObject({
  webhook_url: secretSchema,
  url: z.string().optional(),
  quiet_hours: quietHoursSchema.optional(),
});

export type DiscordChannelSettings = z.output<typeof discordChannelSchema>;

/** Discord webhooks: an embed per notification. */
export const discordChannel: ChannelKindDefinition<DiscordChannelSettings> = {
  kind: 'discord',
  schema: discordChannelSchema,
  secrets: (settings) => collectSecrets(settings),
  send: sendDiscord,
  describe: (settings) => `discord, ${originOf(settings.url ?? settings.webhook_url.reveal())}`,
  tracksIncidents: false,
};
