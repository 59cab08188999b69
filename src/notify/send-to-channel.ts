import type { Channel } from './channel.ts';
import type { Notification } from './notification.ts';
import type { SendContext, SendResult } from './sender.ts';

/** One attempt with the sender of the channel's kind; throws what the sender throws. */
export function sendToChannel(
  channel: Channel,
  notification: Notification,
  context: SendContext,
): Promise<SendResult> {
  return channel.definition.send(channel.settings, notification, context);
}
