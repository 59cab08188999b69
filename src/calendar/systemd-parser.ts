/**
 * systemd `OnCalendar` expressions (systemd.time(7), "Calendar Events") into the shared
 * CalendarSpec: `[weekdays] [[year-]month-day] [hour:minute[:second[.fraction]]] [zone]`, the
 * shorthands (`daily`, `weekly`...), `@unix-seconds`, and what systemd fills in for missing
 * parts. It accepts exactly what systemd 252 accepts and normalises as it does (two-digit years,
 * range ends pulled onto the last step, sorted lists), so the spec fires when systemd fires.
 */
import type { CalendarSpec } from './calendar-spec.ts';
import {
  ChainField,
  fixTwoDigitYear,
  findChainProblems,
  normalizeChain,
  USEC_PER_SEC,
  type Chain,
  type LocatedComponent,
} from './systemd-chain.ts';
import { parseChain } from './systemd-chain-parser.ts';
import { describeTokenAt, invalidOnCalendar } from './systemd-error.ts';
import { chainToField, dayChainToField, secondsChainToFields } from './systemd-fields.ts';
import { splitTimezone, suggestTimezone } from './systemd-timezone.ts';
import { parseWeekdays, skipSpaces, startsWithWeekdayName, weekdayBitsToField } from './systemd-weekdays.ts';

/** The chains of one expression, before normalisation. `undefined` is `*`. */
interface Chains {
  readonly weekdays: number;
  readonly year: Chain<LocatedComponent>;
  readonly month: Chain<LocatedComponent>;
  readonly day: Chain<LocatedComponent>;
  readonly endOfMonth: boolean;
  readonly hour: Chain<LocatedComponent>;
  readonly minute: Chain<LocatedComponent>;
  readonly second: readonly LocatedComponent[];
  /** `@seconds` pins the expression to UTC whatever zone follows. */
  readonly utc?: boolean;
}

const at0 = (value: number): LocatedComponent => ({
  start: value,
  stop: -1,
  repeat: 0,
  startAt: 0,
  stopAt: -1,
  repeatAt: -1,
  endAt: 0,
});
const values = (...list: number[]): LocatedComponent[] => list.map(at0);

const MIDNIGHT = { hour: values(0), minute: values(0), second: values(0) };
const EVERY_DAY = { weekdays: 0, year: undefined, month: undefined, day: undefined, endOfMonth: false };

/** The shorthands systemd knows, spelt in lower case (matched in any case). */
const SHORTHANDS: Readonly<Record<string, Chains>> = {
  minutely: { ...EVERY_DAY, hour: undefined, minute: undefined, second: values(0) },
  hourly: { ...EVERY_DAY, hour: undefined, minute: values(0), second: values(0) },
  daily: { ...EVERY_DAY, ...MIDNIGHT },
  weekly: { ...EVERY_DAY, ...MIDNIGHT, weekdays: 1 },
  monthly: { ...EVERY_DAY, ...MIDNIGHT, day: values(1) },
  yearly: { ...EVERY_DAY, ...MIDNIGHT, month: values(1), day: values(1) },
  annually: { ...EVERY_DAY, ...MIDNIGHT, month: values(1), day: values(1) },
  anually: { ...EVERY_DAY, ...MIDNIGHT, month: values(1), day: values(1) },
  quarterly: { ...EVERY_DAY, ...MIDNIGHT, month: values(1, 4, 7, 10), day: values(1) },
  semiannually: { ...EVERY_DAY, ...MIDNIGHT, month: values(1, 7), day: values(1) },
  'semi-annually': { ...EVERY_DAY, ...MIDNIGHT, month: values(1, 7), day: values(1) },
  biannually: { ...EVERY_DAY, ...MIDNIGHT, month: values(1, 7), day: values(1) },
  'bi-annually': { ...EVERY_DAY, ...MIDNIGHT, month: values(1, 7), day: values(1) },
};

const EXAMPLE = 'a calendar event such as daily, Mon..Fri *-*-* 02:00 or *-*-01 00:00:00';

/**
 * Parses an OnCalendar expression. Throws CronplaneError `calendar.invalid` with the 0-based
 * position of the bad token and what was expected there.
 */
export function parseSystemdCalendar(text: string): CalendarSpec {
  const { body, timezone } = splitTimezone(text);
  let chains: Chains;
  try {
    chains = readChains(body);
  } catch (error) {
    throw timezone === undefined ? (explainZoneSuffix(text) ?? error) : error;
  }
  const shorthand = SHORTHANDS[body.toLowerCase()] === undefined ? undefined : body.toLowerCase();
  return toSpec(text, chains, chains.utc === true ? 'UTC' : timezone, shorthand);
}

/** When the expression only fails because of its last word, that word is a misspelt zone. */
function explainZoneSuffix(text: string): Error | undefined {
  const lastSpace = text.lastIndexOf(' ');
  const word = text.slice(lastSpace + 1);
  const zoneLike = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(word);
  if (
    lastSpace < 0 ||
    !zoneLike ||
    startsWithWeekdayName(word, 0) ||
    SHORTHANDS[word.toLowerCase()] !== undefined
  ) {
    return undefined;
  }
  try {
    parseSystemdCalendar(text.slice(0, lastSpace));
  } catch {
    return undefined;
  }
  const known = suggestTimezone(word);
  return invalidOnCalendar(
    lastSpace + 1,
    `unknown time zone '${word}'`,
    known === undefined
      ? 'an IANA time zone name (Europe/Berlin, America/New_York) or UTC'
      : `the tz database's spelling, ${known}`,
  );
}

function readChains(body: string): Chains {
  if (body === '') throw invalidOnCalendar(0, 'an empty expression', EXAMPLE);
  const shorthand = SHORTHANDS[body.toLowerCase()];
  if (shorthand !== undefined) return shorthand;
  const weekdays = parseWeekdays(body);
  const date = readDate(body, weekdays.end);
  if (date.kind === 'timestamp') {
    if (date.end < body.length) {
      throw invalidOnCalendar(
        date.end,
        describeTokenAt(body, date.end),
        'the end of the expression after @seconds',
      );
    }
    return { ...date.chains, weekdays: weekdays.bits };
  }
  const time = readTime(body, date.end);
  return { ...date, ...time, weekdays: weekdays.bits };
}

interface DateRead {
  readonly kind: 'date';
  readonly year: Chain<LocatedComponent>;
  readonly month: Chain<LocatedComponent>;
  readonly day: Chain<LocatedComponent>;
  readonly endOfMonth: boolean;
  readonly end: number;
}

interface TimestampRead {
  readonly kind: 'timestamp';
  readonly chains: Omit<Chains, 'weekdays'>;
  readonly end: number;
}

const NO_DATE = {
  kind: 'date',
  year: undefined,
  month: undefined,
  day: undefined,
  endOfMonth: false,
} as const;

/** Names for the chains of the date token, by how many `-`/`~` it has, for messages. */
function dateRoles(body: string, position: number): readonly [string, string, string] {
  const space = body.indexOf(' ', position);
  const token = body.slice(position, space < 0 ? body.length : space);
  if (token.includes(':')) return ['hour', 'minute', 'second'];
  const separators = token.replace(/[^-~]/g, '').length;
  if (separators === 1) return ['month', 'day', 'day'];
  return ['year', 'month', 'day'];
}

/** `[year-]month-day`, `month~day`, `year-month~day`, `@seconds`; or nothing when a time follows. */
function readDate(body: string, position: number): DateRead | TimestampRead {
  if (position === body.length) return { ...NO_DATE, end: position };
  if (body.charAt(position) === '@') return readTimestamp(body, position);
  if (startsWithWeekdayName(body, position)) {
    throw invalidOnCalendar(
      position,
      `weekday ${describeTokenAt(body, position)} after a space`,
      'one weekday list at the start, without spaces (Mon,Wed or Mon..Fri)',
    );
  }
  if (/^[A-Za-z]/.test(body.charAt(position))) {
    const shorthand = SHORTHANDS[body.trim().toLowerCase()] === undefined ? undefined : body.trim();
    throw invalidOnCalendar(
      position,
      shorthand === undefined
        ? describeTokenAt(body, position)
        : `shorthand '${shorthand}' with spaces around it`,
      shorthand === undefined
        ? `a weekday, a date, a time or a shorthand (${Object.keys(SHORTHANDS).slice(0, 9).join(', ')})`
        : 'the shorthand alone, optionally followed by one space and a time zone',
    );
  }
  const roles = dateRoles(body, position);
  const first = parseChain(body, position, false, roles[0]);
  const firstEnd = body.charAt(first.end);
  if (firstEnd === '' || firstEnd === ':') return { ...NO_DATE, end: position };
  if (firstEnd !== '-' && firstEnd !== '~') {
    throw invalidOnCalendar(
      first.end,
      `${describeTokenAt(body, first.end)} after the ${roles[0]}`,
      "'-' (or '~') between the parts of a date, or ':' between hour and minute",
    );
  }
  let endOfMonth = firstEnd === '~';
  const second = parseChain(body, first.end + 1, false, roles[1]);
  const secondEnd = body.charAt(second.end);
  if (secondEnd === '' || secondEnd === ' ') {
    return {
      kind: 'date',
      year: undefined,
      month: first.chain,
      day: second.chain,
      endOfMonth,
      end: skipSpaces(body, second.end),
    };
  }
  if (endOfMonth) {
    throw invalidOnCalendar(
      first.end,
      "'~' between year and month",
      "'~' only between month and day (*-02~03)",
    );
  }
  if (secondEnd !== '-' && secondEnd !== '~') {
    throw invalidOnCalendar(
      second.end,
      `${describeTokenAt(body, second.end)} after the month`,
      "'-' or '~' before the day, or a space before the time",
    );
  }
  endOfMonth = secondEnd === '~';
  const third = parseChain(body, second.end + 1, false, 'day');
  const thirdEnd = body.charAt(third.end);
  if (thirdEnd !== '' && thirdEnd !== ' ') {
    throw invalidOnCalendar(
      third.end,
      `${describeTokenAt(body, third.end)} after the day`,
      'a space before the time, or the end',
    );
  }
  return {
    kind: 'date',
    year: first.chain,
    month: second.chain,
    day: third.chain,
    endOfMonth,
    end: skipSpaces(body, third.end),
  };
}

/** `@1700000000`: one instant, in UTC. Read as strtoul does (spaces and a sign allowed). */
function readTimestamp(body: string, position: number): TimestampRead {
  const match = /^[\t\n\v\f\r ]*([+-]?)(\d+)/.exec(body.slice(position + 1));
  if (match === null) {
    throw invalidOnCalendar(
      position + 1,
      `${describeTokenAt(body, position + 1)} after '@'`,
      'seconds since 1970-01-01 UTC',
    );
  }
  const digits = match[2] ?? '';
  const negative = match[1] === '-' && /[1-9]/.test(digits);
  const seconds = Number(digits);
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  if (negative || !Number.isFinite(seconds) || Number.isNaN(year) || year < 1970 || year > 2199) {
    throw invalidOnCalendar(
      position,
      `timestamp ${body.slice(position, position + 1 + match[0].length)}`,
      'an instant in the years 1970-2199',
    );
  }
  return {
    kind: 'timestamp',
    chains: {
      utc: true,
      year: values(year),
      month: values(date.getUTCMonth() + 1),
      day: values(date.getUTCDate()),
      endOfMonth: false,
      hour: values(date.getUTCHours()),
      minute: values(date.getUTCMinutes()),
      second: values(date.getUTCSeconds() * USEC_PER_SEC),
    },
    end: position + 1 + match[0].length,
  };
}

interface TimeRead {
  readonly hour: Chain<LocatedComponent>;
  readonly minute: Chain<LocatedComponent>;
  readonly second: readonly LocatedComponent[];
}

/** `hour:minute[:second[.fraction]]`, or nothing (midnight); seconds default to 00. */
function readTime(body: string, position: number): TimeRead {
  if (position === body.length) return MIDNIGHT;
  const hour = parseChain(body, position, false, 'hour');
  if (body.charAt(hour.end) !== ':') {
    throw invalidOnCalendar(
      hour.end,
      `${describeTokenAt(body, hour.end)} after the hour`,
      "':' and the minute (hh:mm[:ss])",
    );
  }
  const minute = parseChain(body, hour.end + 1, false, 'minute');
  if (minute.end === body.length) return { hour: hour.chain, minute: minute.chain, second: values(0) };
  if (body.charAt(minute.end) !== ':') {
    throw invalidOnCalendar(
      minute.end,
      `${describeTokenAt(body, minute.end)} after the minute`,
      "':' and the second, or the end",
    );
  }
  const second = parseChain(body, minute.end + 1, true, 'second');
  if (second.end !== body.length) {
    throw invalidOnCalendar(
      second.end,
      `${describeTokenAt(body, second.end)} after the second`,
      'the end of the expression',
    );
  }
  return { hour: hour.chain, minute: minute.chain, second: second.chain ?? [] };
}

function fixYears(chain: Chain<LocatedComponent>): Chain<LocatedComponent> {
  return chain?.map((c) => ({
    ...c,
    start: fixTwoDigitYear(c.start),
    stop: c.stop < 0 ? c.stop : fixTwoDigitYear(c.stop),
  }));
}

/** systemd's normalisation and validity rules, then the spec; the first bad token is reported. */
function toSpec(
  source: string,
  chains: Chains,
  timezone: string | undefined,
  shorthand: string | undefined,
): CalendarSpec {
  const endOfMonth = chains.endOfMonth && chains.day !== undefined;
  const year = normalizeChain(fixYears(chains.year));
  const month = normalizeChain(chains.month);
  const day = normalizeChain(chains.day);
  const hour = normalizeChain(chains.hour);
  const minute = normalizeChain(chains.minute);
  const second = normalizeChain(chains.second) ?? [];
  const problems = [
    ...findChainProblems(year, 'year').map((p) => ({ ...p, field: 'year' as const })),
    ...findChainProblems(month, 'month').map((p) => ({ ...p, field: 'month' as const })),
    ...findChainProblems(day, 'day', endOfMonth).map((p) => ({ ...p, field: 'day' as const })),
    ...findChainProblems(hour, 'hour').map((p) => ({ ...p, field: 'hour' as const })),
    ...findChainProblems(minute, 'minute').map((p) => ({ ...p, field: 'minute' as const })),
    ...findChainProblems(second, 'second').map((p) => ({ ...p, field: 'second' as const })),
  ].map((problem) => {
    const { component, part } = problem;
    const at = part === 'start' ? component.startAt : part === 'stop' ? component.stopAt : component.repeatAt;
    return { ...problem, position: at < 0 ? component.startAt : at };
  });
  const first = problems.sort((a, b) => a.position - b.position)[0];
  if (first !== undefined) {
    const { component, field } = first;
    const written = source.slice(component.startAt, component.endAt);
    const note = field === 'year' ? ' (two-digit years: 00-69 are 2000-2069, 70-99 are 1970-1999)' : '';
    throw invalidOnCalendar(first.position, `${ChainField[field].name} ${written}`, first.expected + note);
  }
  return {
    kind: 'calendar',
    syntax: 'systemd',
    source,
    ...secondsChainToFields(second),
    minute: chainToField(minute),
    hour: chainToField(hour),
    dayOfMonth: dayChainToField(day, endOfMonth),
    month: chainToField(month),
    dayOfWeek: weekdayBitsToField(chains.weekdays),
    year: chainToField(year),
    dayMatch: 'and',
    ...(timezone === undefined ? {} : { timezone }),
    ...(shorthand === undefined ? {} : { shorthand }),
  };
}
