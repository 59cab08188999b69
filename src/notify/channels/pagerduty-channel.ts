import { z } from 'zod';
import { collectSecrets, quietHoursSchema, secretSchema } from '../../config/index.ts';
import type { ChannelKindDefinition } from '../channel-kind.ts';
import { originOf } from '../origin-of.ts';
import { pagerdutyEndpoint, sendPagerduty } from '../pagerduty-sender.ts';

const pagerdutyChannelSchema = z.strictObject({
  routing_key: secretSchema,
  url: z.string().optional(),
  quiet_hours: quietHoursSchema.optional(),
});

export type PagerdutyChannelSettings = z.output<typeof pagerdutyChannelSchema>;

/** PagerDuty Events API v2: an incident per dedup key, resolved by cronplane when it recovers. */
export const pagerdutyChannel: ChannelKindDefinition<PagerdutyChannelSettings> = {
  kind: 'pagerduty',
  schema: pagerdutyChannelSchema,
  secrets: (settings) => collectSecrets(settings),
  send: sendPagerduty,
  describe: (settings) => `pagerduty, ${originOf(settings.url ?? pagerdutyEndpoint)}`,
  tracksIncidents: true,
};
