/**
 * UTC offsets of an IANA time zone, computed once per zone and year with Intl and cached: the
 * offset at the start of each UTC year and the exact instants (to the second) where it changes.
 * After the first touch of a year, `offsetAt()` is a cache read and a scan of at most a few
 * transitions, with no Intl call.
 */
import { DAY_MS, SECOND_MS, daysFromCivil, yearOfMs } from './civil-time.ts';

/** A change of UTC offset: from `at` on, local time is UTC + `after` (ms) instead of `before`. */
export interface ZoneTransition {
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

interface YearOffsets {
  readonly start: number;
  readonly end: number;
  readonly offsetAtStart: number;
  readonly transitions: readonly ZoneTransition[];
}

const UTC_NAMES = new Set([
  'UTC',
  'Etc/UTC',
  'Etc/UCT',
  'UCT',
  'Etc/Universal',
  'Universal',
  'Etc/Zulu',
  'Zulu',
]);

/** True for the zone names that are plain UTC, where the engine needs no offsets at all. */
export function isUtcZone(zone: string): boolean {
  return UTC_NAMES.has(zone);
}

export class ZoneOffsets {
  readonly zone: string;
  private formatter: Intl.DateTimeFormat | undefined;
  private readonly years = new Map<number, YearOffsets>();
  private last: YearOffsets | undefined;

  constructor(zone: string) {
    this.zone = zone;
  }

  /** Local time minus UTC, in milliseconds, at the instant `ms`. */
  offsetAt(ms: number): number {
    let info = this.last;
    if (info === undefined || ms < info.start || ms >= info.end) {
      info = this.yearOffsets(yearOfMs(ms));
      this.last = info;
    }
    let offset = info.offsetAtStart;
    for (const transition of info.transitions) {
      if (ms < transition.at) break;
      offset = transition.after;
    }
    return offset;
  }

  /** The first transition with from < at <= to, if any. */
  firstTransitionIn(from: number, to: number): ZoneTransition | undefined {
    if (to <= from) return undefined;
    for (let year = yearOfMs(from); ; year++) {
      const info = this.yearOffsets(year);
      if (info.start > to) return undefined;
      for (const transition of info.transitions) {
        if (transition.at > to) return undefined;
        if (transition.at > from) return transition;
      }
    }
  }

  /** The last transition with from < at <= to, if any. */
  lastTransitionIn(from: number, to: number): ZoneTransition | undefined {
    if (to <= from) return undefined;
    for (let year = yearOfMs(to); ; year--) {
      const info = this.yearOffsets(year);
      if (info.end <= from) return undefined;
      for (let i = info.transitions.length - 1; i >= 0; i--) {
        const transition = info.transitions[i] as ZoneTransition;
        if (transition.at <= from) return undefined;
        if (transition.at <= to) return transition;
      }
    }
  }

  private yearOffsets(year: number): YearOffsets {
    const cached = this.years.get(year);
    if (cached !== undefined) return cached;
    const startDay = daysFromCivil(year, 1, 1);
    const endDay = daysFromCivil(year + 1, 1, 1);
    const start = startDay * DAY_MS;
    const transitions: ZoneTransition[] = [];
    const offsetAtStart = this.intlOffset(start);
    let previous = offsetAtStart;
    let previousAt = start;
    for (let day = startDay + 1; day <= endDay; day++) {
      const at = day * DAY_MS;
      const offset = this.intlOffset(at);
      if (offset !== previous) {
        transitions.push(this.findTransition(previousAt, at, previous));
        // A second change within the same day is not in any zone's rules since 1970; if one
        // appears, the sample at `at` still gives the right offset from there on.
        const found = transitions[transitions.length - 1] as ZoneTransition;
        if (found.after !== offset) transitions.push({ at, before: found.after, after: offset });
        previous = offset;
      }
      previousAt = at;
    }
    const info: YearOffsets = { start, end: endDay * DAY_MS, offsetAtStart, transitions };
    this.years.set(year, info);
    return info;
  }

  /** Binary search, to the second, for where the offset stops being `before` in (low, high]. */
  private findTransition(low: number, high: number, before: number): ZoneTransition {
    let lo = low;
    let hi = high;
    while (hi - lo > SECOND_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / SECOND_MS) * SECOND_MS;
      if (this.intlOffset(mid) === before) lo = mid;
      else hi = mid;
    }
    return { at: hi, before, after: this.intlOffset(hi) };
  }

  /** The offset at `ms` (a whole second) as Intl reports it. */
  private intlOffset(ms: number): number {
    this.formatter ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const part of this.formatter.formatToParts(ms)) {
      if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
    }
    const wall = Date.UTC(
      fields.year,
      fields.month - 1,
      fields.day,
      fields.hour,
      fields.minute,
      fields.second,
    );
    return wall - Math.floor(ms / SECOND_MS) * SECOND_MS;
  }
}

const zones = new Map<string, ZoneOffsets>();

/** The shared offset cache of a zone (one per zone name in the process). */
export function zoneOffsets(zone: string): ZoneOffsets {
  let offsets = zones.get(zone);
  if (offsets === undefined) {
    offsets = new ZoneOffsets(zone);
    zones.set(zone, offsets);
  }
  return offsets;
}
