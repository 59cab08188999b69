import type { QuietHours } from './channel.ts';
import type { Notification } from './notification.ts';
import { severityOrder } from './notification.ts';

/**
 * True when a channel's quiet hours hold this notification back: `now` falls in the daily
 * window (local to its zone; a window past midnight wraps, `from` = `to` is the whole day) and
 * the notification is less severe than `minSeverity`. A test notification always goes out.
 */
export function isQuiet(
  quietHours: QuietHours | undefined,
  notification: Notification,
  now: number,
): boolean {
  if (quietHours === undefined || notification.kind === 'test') return false;
  if (severityOrder.indexOf(notification.severity) >= severityOrder.indexOf(quietHours.minSeverity))
    return false;
  const minute = localMinute(now, quietHours.timezone);
  const { fromMinute: from, toMinute: to } = quietHours;
  if (from === to) return true;
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function localMinute(now: number, timezone: string): number {
  let format = formats.get(timezone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formats.set(timezone, format);
  }
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(now)) {
    if (part.type === 'hour') hour = Number(part.value);
    if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}
