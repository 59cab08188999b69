/**
 * The compiled form of a CalendarSpec: per-field lookup tables ("the next allowed minute at or
 * after m") and a per-month day mask, so that finding the next matching wall-clock time is a
 * handful of table reads, carrying into the next hour, day, month or year only when a field
 * runs out. Sparse sets skip whole months and years; the search ends at 2199 (the model's end),
 * so an impossible set (`0 0 30 2 *`) answers "never" after at most 230 years x 12 months.
 *
 * Times here are wall milliseconds (see civil-time.ts); time zones are the caller's business.
 */
import type { CalendarSpec, DayOfMonthItem, DayOfWeekItem } from './calendar-spec.ts';
import { specialDayOfMonth, specialDayOfWeek, startsWithStar } from './day-rules.ts';
import { compileMillis, compileSubMinute, fieldFlags, fillNextPrev, markItem } from './field-tables.ts';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  SECOND_MS,
  daysFromCivil,
  daysInMonth,
  weekdayOfDays,
} from './civil-time.ts';

export const FIRST_YEAR = 1970;
export const LAST_YEAR = 2199;
const YEAR_COUNT = LAST_YEAR - FIRST_YEAR + 1;

// Offsets of the small tables inside one packed Int8Array (value -1 = none left in the field).
const NEXT_SECOND = 0;
const PREV_SECOND = 60;
const NEXT_MINUTE = 120;
const PREV_MINUTE = 180;
const NEXT_HOUR = 240;
const PREV_HOUR = 264;
const NEXT_MONTH = 288; // indexed by month 1-12 (index 0 unused)
const PREV_MONTH = 301;
const TABLE_SIZE = 314;

const DAY_CACHE_SIZE = 64;

/** Bits 1..n set: the days of a month of n days. */
function monthBits(n: number): number {
  return n === 31 ? -2 : (1 << (n + 1)) - 2;
}

function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function highestBit(x: number): number {
  return 31 - Math.clz32(x);
}

export class WallSearch {
  private readonly tables = new Int8Array(TABLE_SIZE);
  /** Next/previous allowed year offset (year - 1970) or -1; null when every year is allowed. */
  private readonly years: Int16Array | null;
  /** Next/previous allowed millisecond within the second; null when only .000 is allowed. */
  private readonly millis: Int16Array | null;
  /** systemd `microsecondOfMinute`: next/previous allowed millisecond of the minute (0-59999). */
  private readonly subMinute: Int32Array | null;
  private readonly domAll: boolean;
  private readonly domBits: number;
  private readonly domSpecials: readonly DayOfMonthItem[];
  private readonly dowAll: boolean;
  /** For each weekday of the 1st of a month, the days 1-31 whose weekday is in the set. */
  private readonly dowPatterns = new Int32Array(7);
  private readonly dowSpecials: readonly DayOfWeekItem[];
  private readonly useOr: boolean;
  private readonly plainDays: boolean;
  private readonly cacheKeys = new Int32Array(DAY_CACHE_SIZE).fill(-1);
  private readonly cacheMasks = new Int32Array(DAY_CACHE_SIZE);

  constructor(spec: CalendarSpec) {
    const t = this.tables;
    fillNextPrev(t, NEXT_SECOND, PREV_SECOND, fieldFlags(spec.second, 0, 59), 0);
    fillNextPrev(t, NEXT_MINUTE, PREV_MINUTE, fieldFlags(spec.minute, 0, 59), 0);
    fillNextPrev(t, NEXT_HOUR, PREV_HOUR, fieldFlags(spec.hour, 0, 23), 0);
    fillNextPrev(t, NEXT_MONTH, PREV_MONTH, fieldFlags(spec.month, 1, 12), 1);
    if (spec.year.kind === 'any') {
      this.years = null;
    } else {
      const flags = fieldFlags(spec.year, FIRST_YEAR, LAST_YEAR).subarray(FIRST_YEAR);
      this.years = new Int16Array(2 * YEAR_COUNT);
      fillNextPrev(this.years, 0, YEAR_COUNT, flags, 0);
    }
    this.millis = compileMillis(spec.microsecond);
    this.subMinute = compileSubMinute(spec.microsecondOfMinute);

    const dom = spec.dayOfMonth;
    const dow = spec.dayOfWeek;
    this.domAll = dom.kind === 'any';
    this.dowAll = dow.kind === 'any';
    let domBits = 0;
    const domSpecials: DayOfMonthItem[] = [];
    if (dom.kind === 'list') {
      for (const item of dom.items) {
        if (item.kind === 'value' || item.kind === 'range' || item.kind === 'repeat') {
          const flags = new Uint8Array(32);
          markItem(flags, item, 1, 31);
          for (let d = 1; d <= 31; d++) if (flags[d] === 1) domBits |= 1 << d;
        } else {
          domSpecials.push(item);
        }
      }
    }
    this.domBits = domBits;
    this.domSpecials = domSpecials;
    const dowSpecials: DayOfWeekItem[] = [];
    const weekdays = new Uint8Array(7);
    if (dow.kind === 'list') {
      for (const item of dow.items) {
        if (item.kind === 'value' || item.kind === 'range' || item.kind === 'repeat') {
          const flags = new Uint8Array(7);
          markItem(flags, item, 0, 6);
          for (let w = 0; w < 7; w++) weekdays[w] = (weekdays[w] as number) | (flags[w] as number);
        } else {
          dowSpecials.push(item);
        }
      }
    }
    for (let first = 0; first < 7; first++) {
      let bits = 0;
      for (let d = 1; d <= 31; d++) if (weekdays[(first + d - 1) % 7] === 1) bits |= 1 << d;
      this.dowPatterns[first] = bits;
    }
    this.dowSpecials = dowSpecials;
    this.useOr = spec.dayMatch === 'or' && !startsWithStar(dom) && !startsWithStar(dow);
    this.plainDays = domSpecials.length === 0 && this.dowAll;
  }

  /** The days (bits 1-31) of a month that are in the set. */
  dayMask(year: number, month: number): number {
    if (this.plainDays)
      return this.domAll
        ? monthBits(daysInMonth(year, month))
        : this.domBits & monthBits(daysInMonth(year, month));
    const key = year * 12 + month;
    const slot = key & (DAY_CACHE_SIZE - 1);
    if (this.cacheKeys[slot] === key) return this.cacheMasks[slot] as number;
    const mask = this.computeDayMask(year, month);
    this.cacheKeys[slot] = key;
    this.cacheMasks[slot] = mask;
    return mask;
  }

  private computeDayMask(year: number, month: number): number {
    const n = daysInMonth(year, month);
    const all = monthBits(n);
    const firstDays = daysFromCivil(year, month, 1);
    const firstWeekday = weekdayOfDays(firstDays);
    const weekdayOf = (day: number): number => (firstWeekday + day - 1) % 7;
    let dom = this.domAll ? all : this.domBits;
    for (const item of this.domSpecials) {
      const day = specialDayOfMonth(item, n, weekdayOf);
      if (typeof day === 'number') {
        if (day >= 1 && day <= n) dom |= 1 << day;
      } else {
        dom |= day.mask;
      }
    }
    let dow = this.dowAll ? all : (this.dowPatterns[firstWeekday] as number);
    for (const item of this.dowSpecials) {
      const day = specialDayOfWeek(item, n, firstWeekday);
      if (day >= 1 && day <= n) dow |= 1 << day;
    }
    return (this.useOr ? dom | dow : dom & dow) & all;
  }

  /** The smallest matching wall time >= w, or -1 when there is none up to 2199. */
  nextWall(w: number): number {
    const t = this.tables;
    const years = this.years;
    let days = Math.floor(w / DAY_MS);
    let rest = w - days * DAY_MS;
    let h = Math.floor(rest / HOUR_MS);
    rest -= h * HOUR_MS;
    let mi = Math.floor(rest / MINUTE_MS);
    rest -= mi * MINUTE_MS;
    let s = Math.floor(rest / SECOND_MS);
    let ms = rest - s * SECOND_MS;
    // Civil date of `days` (inlined civilFromDays).
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor(
      (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
    );
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    let d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    let m = mp < 10 ? mp + 3 : mp - 9;
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    if (y < FIRST_YEAR) {
      y = FIRST_YEAR;
      m = 1;
      d = 1;
      h = mi = s = ms = 0;
    }
    for (;;) {
      if (y > LAST_YEAR) return -1;
      if (years !== null) {
        const ny = years[y - FIRST_YEAR] as number;
        if (ny < 0) return -1;
        if (ny + FIRST_YEAR !== y) {
          y = ny + FIRST_YEAR;
          m = 1;
          d = 1;
          h = mi = s = ms = 0;
        }
      }
      const nm = t[NEXT_MONTH + m] as number;
      if (nm < 0) {
        y++;
        m = 1;
        d = 1;
        h = mi = s = ms = 0;
        continue;
      }
      if (nm !== m) {
        m = nm;
        d = 1;
        h = mi = s = ms = 0;
      }
      const later = d > 31 ? 0 : this.dayMask(y, m) >>> d;
      if (later === 0) {
        if (++m > 12) {
          m = 1;
          y++;
        }
        d = 1;
        h = mi = s = ms = 0;
        continue;
      }
      const nd = d + lowestBit(later);
      if (nd !== d) {
        d = nd;
        h = mi = s = ms = 0;
      }
      const nh = t[NEXT_HOUR + h] as number;
      if (nh < 0) {
        d++;
        h = mi = s = ms = 0;
        continue;
      }
      if (nh !== h) {
        h = nh;
        mi = s = ms = 0;
      }
      const nmi = t[NEXT_MINUTE + mi] as number;
      if (nmi < 0) {
        if (++h > 23) {
          h = 0;
          d++;
        }
        mi = s = ms = 0;
        continue;
      }
      if (nmi !== mi) {
        mi = nmi;
        s = ms = 0;
      }
      if (this.subMinute !== null) {
        const next = this.subMinute[s * SECOND_MS + ms] as number;
        if (next < 0) {
          if (++mi > 59) {
            mi = 0;
            if (++h > 23) {
              h = 0;
              d++;
            }
          }
          s = ms = 0;
          continue;
        }
        return daysFromCivil(y, m, d) * DAY_MS + h * HOUR_MS + mi * MINUTE_MS + next;
      }
      const ns = t[NEXT_SECOND + s] as number;
      if (ns < 0) {
        if (++mi > 59) {
          mi = 0;
          if (++h > 23) {
            h = 0;
            d++;
          }
        }
        s = ms = 0;
        continue;
      }
      if (ns !== s) {
        s = ns;
        ms = 0;
      }
      const nms = this.millis === null ? (ms === 0 ? 0 : -1) : (this.millis[ms] as number);
      if (nms < 0) {
        if (++s > 59) {
          s = 0;
          if (++mi > 59) {
            mi = 0;
            if (++h > 23) {
              h = 0;
              d++;
            }
          }
        }
        ms = 0;
        continue;
      }
      days = daysFromCivil(y, m, d);
      return days * DAY_MS + h * HOUR_MS + mi * MINUTE_MS + s * SECOND_MS + nms;
    }
  }

  /** The largest matching wall time <= w, or -1 when there is none from 1970 on. */
  previousWall(w: number): number {
    const t = this.tables;
    const years = this.years;
    let days = Math.floor(w / DAY_MS);
    let rest = w - days * DAY_MS;
    let h = Math.floor(rest / HOUR_MS);
    rest -= h * HOUR_MS;
    let mi = Math.floor(rest / MINUTE_MS);
    rest -= mi * MINUTE_MS;
    let s = Math.floor(rest / SECOND_MS);
    let ms = rest - s * SECOND_MS;
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor(
      (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
    );
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    let d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    let m = mp < 10 ? mp + 3 : mp - 9;
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    if (y > LAST_YEAR) {
      y = LAST_YEAR;
      m = 12;
      d = 31;
      h = 23;
      mi = s = 59;
      ms = 999;
    }
    for (;;) {
      if (y < FIRST_YEAR) return -1;
      if (years !== null) {
        const py = years[YEAR_COUNT + y - FIRST_YEAR] as number;
        if (py < 0) return -1;
        if (py + FIRST_YEAR !== y) {
          y = py + FIRST_YEAR;
          m = 12;
          d = 31;
          h = 23;
          mi = s = 59;
          ms = 999;
        }
      }
      const pm = t[PREV_MONTH + m] as number;
      if (pm < 0) {
        y--;
        m = 12;
        d = 31;
        h = 23;
        mi = s = 59;
        ms = 999;
        continue;
      }
      if (pm !== m) {
        m = pm;
        d = 31;
        h = 23;
        mi = s = 59;
        ms = 999;
      }
      const mask = this.dayMask(y, m);
      const earlier = d >= 31 ? mask : mask & ((1 << (d + 1)) - 1);
      if (earlier === 0) {
        if (--m < 1) {
          m = 12;
          y--;
        }
        d = 31;
        h = 23;
        mi = s = 59;
        ms = 999;
        continue;
      }
      const pd = highestBit(earlier);
      if (pd !== d) {
        d = pd;
        h = 23;
        mi = s = 59;
        ms = 999;
      }
      const ph = t[PREV_HOUR + h] as number;
      if (ph < 0) {
        d--;
        h = 23;
        mi = s = 59;
        ms = 999;
        continue;
      }
      if (ph !== h) {
        h = ph;
        mi = s = 59;
        ms = 999;
      }
      const pmi = t[PREV_MINUTE + mi] as number;
      if (pmi < 0) {
        if (--h < 0) {
          h = 23;
          d--;
        }
        mi = s = 59;
        ms = 999;
        continue;
      }
      if (pmi !== mi) {
        mi = pmi;
        s = 59;
        ms = 999;
      }
      if (this.subMinute !== null) {
        const previous = this.subMinute[60_000 + s * SECOND_MS + ms] as number;
        if (previous < 0) {
          if (--mi < 0) {
            mi = 59;
            if (--h < 0) {
              h = 23;
              d--;
            }
          }
          s = 59;
          ms = 999;
          continue;
        }
        return daysFromCivil(y, m, d) * DAY_MS + h * HOUR_MS + mi * MINUTE_MS + previous;
      }
      const ps = t[PREV_SECOND + s] as number;
      if (ps < 0) {
        if (--mi < 0) {
          mi = 59;
          if (--h < 0) {
            h = 23;
            d--;
          }
        }
        s = 59;
        ms = 999;
        continue;
      }
      if (ps !== s) {
        s = ps;
        ms = 999;
      }
      const pms = this.millis === null ? 0 : (this.millis[1000 + ms] as number);
      if (pms < 0) {
        if (--s < 0) {
          s = 59;
          if (--mi < 0) {
            mi = 59;
            if (--h < 0) {
              h = 23;
              d--;
            }
          }
        }
        ms = 999;
        continue;
      }
      days = daysFromCivil(y, m, d);
      return days * DAY_MS + h * HOUR_MS + mi * MINUTE_MS + s * SECOND_MS + pms;
    }
  }
}
