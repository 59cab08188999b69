/**
 * Fixed-length periods: `every <duration> [at <clock> | offset <duration>]`.
 *
 * - `every 30s`, `every 6h`, `every 1h30m`, `every 90 seconds`: elapses at anchor + k * period,
 *   counted from the Unix epoch, so `every 1h` fires on the hour (UTC) and `every 30s` on :00 and :30.
 * - `every 1h offset 15m`: the periods are shifted by the offset (00:15, 01:15, ... UTC); the
 *   offset must be shorter than the period.
 * - `every 1h at :15`, `every 6h at 02:00`, `every 1d at 03:30:00`: the same, written as a UTC
 *   clock time on 1970-01-01 (`:MM[:SS]` or `HH:MM[:SS]`); when the period divides a day this is
 *   that clock time every day. A full ISO-8601 instant with an offset
 *   (`at 2026-01-05T09:00:00Z`) anchors the periods on that instant.
 */
import type { IntervalSpec } from './calendar-spec.ts';
import { CALENDAR_INVALID, calendarError } from './calendar-error.ts';
import { formatDuration, parseDurationPart } from './duration.ts';
import { splitWords } from './cron-fields.ts';
import { parseDateTime } from './parse-instant.ts';

const GRAMMAR = 'every <duration> [at <HH:MM> | offset <duration>], e.g. every 30s, every 1h at :15';

/** Parses an `every ...` expression; throws a located `calendar.invalid` CronplaneError. */
export function parseInterval(text: string): IntervalSpec {
  const words = splitWords(text);
  const head = words[0];
  if (head === undefined || head.text.toLowerCase() !== 'every') {
    throw calendarError(`interval: expected ${GRAMMAR}`, head?.position ?? 0);
  }
  const durationStart = head.position + head.text.length;
  const keywordIndex = words.findIndex(
    (word, index) => index > 0 && ['at', 'offset'].includes(word.text.toLowerCase()),
  );
  const keyword = keywordIndex < 0 ? undefined : words[keywordIndex];
  const durationEnd = keyword === undefined ? text.length : keyword.position;
  if (text.slice(durationStart, durationEnd).trim() === '') {
    throw calendarError(`interval: "every" needs a period; expected ${GRAMMAR}`, durationEnd);
  }
  const everyMs = parseDurationPart(text, durationStart, durationEnd, CALENDAR_INVALID);
  if (everyMs <= 0) {
    const position = words[1]?.position ?? durationStart;
    throw calendarError('interval: the period must be longer than 0', position);
  }
  let anchorMs = 0;
  if (keyword !== undefined) {
    const anchorStart = keyword.position + keyword.text.length;
    const anchorWords = words.slice(keywordIndex + 1);
    const firstAnchor = anchorWords[0];
    if (firstAnchor === undefined) {
      throw calendarError(`interval: "${keyword.text}" needs a value; expected ${GRAMMAR}`, text.length);
    }
    if (keyword.text.toLowerCase() === 'offset') {
      const offsetMs = parseDurationPart(text, anchorStart, text.length, CALENDAR_INVALID);
      if (offsetMs >= everyMs) {
        throw calendarError(
          `interval: offset ${formatDuration(offsetMs)} must be shorter than the period ${formatDuration(everyMs)}`,
          firstAnchor.position,
        );
      }
      anchorMs = offsetMs;
    } else {
      const extra = anchorWords[1];
      if (extra !== undefined) {
        throw calendarError(`interval: unexpected "${extra.text}" after the anchor time`, extra.position);
      }
      anchorMs = readAnchor(firstAnchor.text, firstAnchor.position);
    }
  }
  return { kind: 'interval', syntax: 'interval', source: text, everyMs, anchorMs };
}

function readAnchor(text: string, position: number): number {
  const clock = /^(\d{1,2})?:(\d{2})(?::(\d{2}))?$/.exec(text);
  if (clock !== null) {
    const hours = Number(clock[1] ?? '0');
    const minutes = Number(clock[2]);
    const seconds = Number(clock[3] ?? '0');
    if (hours > 23) throw calendarError(`interval: hour "${clock[1]}" is out of range 0-23`, position);
    if (minutes > 59) {
      throw calendarError(
        `interval: minute "${clock[2]}" is out of range 0-59`,
        position + text.indexOf(':') + 1,
      );
    }
    if (seconds > 59) {
      throw calendarError(
        `interval: second "${clock[3]}" is out of range 0-59`,
        position + text.lastIndexOf(':') + 1,
      );
    }
    return ((hours * 60 + minutes) * 60 + seconds) * 1000;
  }
  const instant = parseDateTime(text);
  if (instant !== undefined) return instant;
  throw calendarError(
    `interval: "${text}" is not an anchor time; expected HH:MM, :MM (UTC) or an ISO-8601 instant with an offset`,
    position,
  );
}
