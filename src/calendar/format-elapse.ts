/** Instants as text in a time zone: systemd-analyze style, ISO-8601 with offset, time spans. */
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, civilFromDays } from './civil-time.ts';
import { isUtcZone, zoneOffsets } from './zone-offsets.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface WallParts {
  readonly date: string;
  readonly time: string;
  readonly weekday: string;
  readonly offset: number;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function wallParts(ms: number, zone: string): WallParts {
  const offset = isUtcZone(zone) ? 0 : zoneOffsets(zone).offsetAt(ms);
  const wall = ms + offset;
  const days = Math.floor(wall / DAY_MS);
  const { year, month, day } = civilFromDays(days);
  let rest = wall - days * DAY_MS;
  const hour = Math.floor(rest / HOUR_MS);
  rest -= hour * HOUR_MS;
  const minute = Math.floor(rest / MINUTE_MS);
  rest -= minute * MINUTE_MS;
  const second = Math.floor(rest / SECOND_MS);
  const millis = rest - second * SECOND_MS;
  const time = `${pad(hour)}:${pad(minute)}:${pad(second)}${millis === 0 ? '' : `.${pad(millis, 3)}`}`;
  return {
    date: `${pad(year, 4)}-${pad(month)}-${pad(day)}`,
    time,
    weekday: WEEKDAYS[(((days + 4) % 7) + 7) % 7] as string,
    offset,
  };
}

/** `+02:00`, `-04:00`, `+05:45`. */
export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(offsetMs) / MINUTE_MS);
  return `${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** ISO-8601 with the zone's offset: `2026-03-09T02:00:00-04:00` (`Z` in UTC, `.500` when needed). */
export function formatIsoInZone(ms: number, zone: string): string {
  const parts = wallParts(ms, zone);
  const suffix = isUtcZone(zone) ? 'Z' : formatOffset(parts.offset);
  return `${parts.date}T${parts.time}${suffix}`;
}

/** The zone's short name at `ms` as Intl gives it (`EDT`, `GMT+1`), or `UTC`. */
function zoneAbbreviation(ms: number, zone: string): string {
  if (isUtcZone(zone)) return 'UTC';
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }).formatToParts(ms);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? zone;
}

/** systemd-analyze style: `Mon 2026-03-09 02:00:00 EDT`. */
export function formatElapse(ms: number, zone: string): string {
  const parts = wallParts(ms, zone);
  return `${parts.weekday} ${parts.date} ${parts.time} ${zoneAbbreviation(ms, zone)}`;
}

const SPAN_UNITS: readonly (readonly [number, string, string])[] = [
  [365 * DAY_MS, ' year', ' years'],
  [DAY_MS, ' day', ' days'],
  [HOUR_MS, 'h', 'h'],
  [MINUTE_MS, 'min', 'min'],
  [SECOND_MS, 's', 's'],
  [1, 'ms', 'ms'],
];

/** A time span like systemd prints it, two largest units: `1 day 2h`, `3h 5min`, `12s`, `0`. */
export function formatTimeSpan(ms: number): string {
  let rest = Math.abs(Math.round(ms));
  if (rest === 0) return '0';
  const parts: string[] = [];
  for (const [size, one, many] of SPAN_UNITS) {
    if (parts.length === 2) break;
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count}${count === 1 ? one : many}`);
      rest -= count * size;
    } else if (parts.length > 0) {
      break;
    }
  }
  return parts.join(' ');
}
