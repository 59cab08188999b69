import { z } from 'zod';
import { collectSecrets, quietHoursSchema, secretSchema } from '../../config/index.ts';
import type { ChannelKindDefinition } from '../channel-kind.ts';
import { originOf } from '../origin-of.ts';
import { sendTeams } from '../teams-sender.ts';

const teamsChannelSchema = z.strictObject({
  /** The Workflows (or incoming webhook) URL Teams gave: it is the password. */
  webhook_url: secretSchema,
  url: z.string().optional(),
  quiet_hours: quietHoursSchema.optional(),
});

export type TeamsChannelSettings = z.output<typeof teamsChannelSchema>;

/** Microsoft Teams (Workflows or incoming webhook): an Adaptive Card. */
export const teamsChannel: ChannelKindDefinition<TeamsChannelSettings> = {
  kind: 'teams',
  schema: teamsChannelSchema,
  secrets: (settings) => collectSecrets(settings),
  send: sendTeams,
  describe: (settings) => `teams, ${originOf(settings.url ?? settings.webhook_url.reveal())}`,
  tracksIncidents: false,
};
