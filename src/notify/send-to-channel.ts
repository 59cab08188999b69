import type { Channel } from './channel.ts';
import { sendDiscord } from './discord-sender.ts';
import { sendEmail } from './email-sender.ts';
import type { Notification } from './notification.ts';
import { sendNtfy } from './ntfy-sender.ts';
import { sendPagerduty } from './pagerduty-sender.ts';
import type { SendContext, SendResult } from './sender.ts';
import { sendSlack } from './slack-sender.ts';
import { sendTeams } from './teams-sender.ts';
import { sendWebhook } from './webhook-sender.ts';

/** One attempt with the sender of the channel's kind; throws what the sender throws. */
export function sendToChannel(
  channel: Channel,
  notification: Notification,
  context: SendContext,
): Promise<SendResult> {
  switch (channel.kind) {
    case 'slack':
      return sendSlack(channel.settings, notification, context);
    case 'pagerduty':
      return sendPagerduty(channel.settings, notification, context);
    case 'email':
      return sendEmail(channel.settings, notification, context);
    case 'webhook':
      return sendWebhook(channel.settings, notification, context);
    case 'discord':
      return sendDiscord(channel.settings, notification, context);
    case 'teams':
      return sendTeams(channel.settings, notification, context);
    case 'ntfy':
      return sendNtfy(channel.settings, notification, context);
  }
}
