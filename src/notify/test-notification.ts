import { hostname } from 'node:os';
import type { Notification } from './notification.ts';

export interface TestNotificationOptions {
  readonly channel: string;
  /** The dashboard's base URL (`server.public_url`), linked from the message when set. */
  readonly publicUrl?: string;
  /** Unix milliseconds; makes the dedup key unique per test. */
  readonly now: number;
  readonly host?: string;
}

/** The message `cronplane notify test CHANNEL` sends: severity info, a dedup key of its own. */
export function testNotification(options: TestNotificationOptions): Notification {
  const host = options.host ?? hostname();
  return {
    kind: 'test',
    dedupKey: `cronplane:test:${options.channel}:${options.now}`,
    severity: 'info',
    title: `Test notification for channel "${options.channel}"`,
    summary: `Sent by \`cronplane notify test ${options.channel}\` on ${host}. If you can read this, alerts reach this channel.`,
    event: 'test',
    details: { channel: options.channel, host, sent_at: new Date(options.now).toISOString() },
    ...(options.publicUrl === undefined || options.publicUrl === ''
      ? {}
      : { link: options.publicUrl.replace(/\/+$/, '') }),
  };
}
