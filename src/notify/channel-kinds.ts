import type { ChannelKindDefinition } from './channel-kind.ts';
import { discordChannel } from './channels/discord-channel.ts';
import { emailChannel } from './channels/email-channel.ts';
import { ntfyChannel } from './channels/ntfy-channel.ts';
import { pagerdutyChannel } from './channels/pagerduty-channel.ts';
import { slackChannel } from './channels/slack-channel.ts';
import { teamsChannel } from './channels/teams-channel.ts';
import { webhookChannel } from './channels/webhook-channel.ts';

/**
 * The built-in channel kinds, in the order messages name them. A new kind is one file under
 * `channels/` and one line here; a test may read a job file with these plus its own.
 */
export const channelKinds: readonly ChannelKindDefinition[] = [
  slackChannel,
  pagerdutyChannel,
  emailChannel,
  webhookChannel,
  discordChannel,
  teamsChannel,
  ntfyChannel,
];
