/**
 * `cronplane calendar EXPR...`: the equivalent of `systemd-analyze calendar` for every syntax
 * cronplane reads. For each expression: the original and normalised forms, the kind, and the next
 * elapses in the zone and in UTC; or, with `--json`, one JSON object per expression per line.
 * Exit code 1 when any expression is invalid, 2 for bad options.
 */
import type { Syntax } from '../../calendar/index.ts';
import {
  compileSchedule,
  describeSchedule,
  formatElapse,
  formatIsoInZone,
  formatTimeSpan,
  normalizeSchedule,
  parseSchedule,
  scheduleInWords,
  scheduleKind,
} from '../../calendar/index.ts';
import { isKnownTimeZone, parseDateTime, wallToInstant } from '../../calendar/index.ts';
import { CronplaneError, coerceError } from '../../errors/index.ts';

export interface CalendarCommandOptions {
  /** How many elapses to print (default 1). */
  readonly iterations: number;
  /** ISO-8601 start instant; without an offset it is a wall time in `tz`. Default: now. */
  readonly after?: string;
  /** Zone used when the expression names none (default UTC). */
  readonly tz?: string;
  /** Forces one parser instead of detecting the syntax. */
  readonly syntax?: Syntax;
  readonly json: boolean;
}

export interface CalendarCommandIo {
  out(line: string): void;
  err(line: string): void;
}

const EXIT_OK = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;

/** Runs the command; `now` is the clock (tests pass a fixed one). Returns the exit code. */
export function runCalendarCommand(
  exprs: readonly string[],
  opts: CalendarCommandOptions,
  io: CalendarCommandIo,
  now: () => number = Date.now,
): number {
  const zone = opts.tz ?? 'UTC';
  if (!isKnownTimeZone(zone)) {
    io.err(`cronplane calendar: --tz "${zone}" is not a known IANA time zone (e.g. Europe/Berlin, UTC)`);
    return EXIT_USAGE;
  }
  if (!Number.isInteger(opts.iterations) || opts.iterations < 1) {
    io.err(`cronplane calendar: --iterations must be a whole number >= 1, got ${String(opts.iterations)}`);
    return EXIT_USAGE;
  }
  const base = opts.after === undefined ? now() : parseAfter(opts.after, zone);
  if (base === undefined) {
    io.err(
      `cronplane calendar: --after "${opts.after ?? ''}" is not an ISO-8601 instant (e.g. 2026-03-08T00:00:00Z or 2026-03-08T00:00)`,
    );
    return EXIT_USAGE;
  }
  let code = EXIT_OK;
  exprs.forEach((expr, index) => {
    if (!opts.json && index > 0) io.out('');
    const ok = opts.json ? printJson(expr, opts, zone, base, io) : printText(expr, opts, zone, base, io);
    if (!ok) code = EXIT_INVALID;
  });
  return code;
}

/** An ISO-8601 instant; without `Z` or an offset it is a wall-clock time in `zone`. */
function parseAfter(text: string, zone: string): number | undefined {
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/.exec(
    text.trim(),
  );
  if (local !== null) {
    const [, y, mo, d, h, mi, s, frac] = local;
    const wall = Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(s ?? 0),
      Number((frac ?? '0').padEnd(3, '0')),
    );
    return Number.isNaN(wall) ? undefined : wallToInstant(wall, zone);
  }
  return parseDateTime(text.trim());
}

interface Evaluated {
  readonly kind: string;
  readonly description: string;
  readonly normalized: string;
  readonly words: string;
  readonly timezone: string;
  readonly elapses: readonly number[];
}

function evaluate(expr: string, opts: CalendarCommandOptions, zone: string, base: number): Evaluated {
  const spec = parseSchedule(expr, opts.syntax === undefined ? {} : { syntax: opts.syntax });
  const schedule = compileSchedule(spec, { timezone: zone });
  return {
    kind: scheduleKind(spec),
    description: describeSchedule(spec),
    normalized: normalizeSchedule(spec),
    words: scheduleInWords(spec),
    timezone: schedule.timezone,
    elapses: schedule.upcoming(base, opts.iterations),
  };
}

function printJson(
  expr: string,
  opts: CalendarCommandOptions,
  zone: string,
  base: number,
  io: CalendarCommandIo,
): boolean {
  try {
    const result = evaluate(expr, opts, zone, base);
    io.out(
      JSON.stringify({
        input: expr,
        kind: result.kind,
        normalized: result.normalized,
        words: result.words,
        next: result.elapses.map((ms) => formatIsoInZone(ms, result.timezone)),
      }),
    );
    return true;
  } catch (thrown) {
    const error = coerceError(thrown);
    const position = error instanceof CronplaneError ? (error.location?.position ?? null) : null;
    io.out(JSON.stringify({ input: expr, error: { message: error.message, position } }));
    return false;
  }
}

function printText(
  expr: string,
  opts: CalendarCommandOptions,
  zone: string,
  base: number,
  io: CalendarCommandIo,
): boolean {
  io.out(`  Original form: ${expr}`);
  let result: Evaluated;
  try {
    result = evaluate(expr, opts, zone, base);
  } catch (thrown) {
    const error = coerceError(thrown);
    io.err(`          Error: ${error.message}`);
    const position = error instanceof CronplaneError ? error.location?.position : undefined;
    if (position !== undefined) {
      io.err(`                 ${expr}`);
      io.err(`                 ${' '.repeat(position)}^ at position ${position}`);
    }
    return false;
  }
  io.out(`Normalized form: ${result.normalized}`);
  io.out(`           Kind: ${result.kind} (${result.description})`);
  io.out(`          Words: ${result.words}`);
  if (result.kind === 'startup') {
    io.out('    Next elapse: never from the calendar (runs when the daemon starts)');
    return true;
  }
  const [first, ...rest] = result.elapses;
  if (first === undefined) {
    io.out('    Next elapse: never');
    return true;
  }
  const utc = result.timezone !== 'UTC';
  io.out(`    Next elapse: ${formatElapse(first, result.timezone)}`);
  if (utc) io.out(`       (in UTC): ${formatElapse(first, 'UTC')}`);
  io.out(`       From now: ${formatTimeSpan(first - base)} ${first >= base ? 'left' : 'ago'}`);
  rest.forEach((ms, index) => {
    io.out(`       Iter. #${index + 2}: ${formatElapse(ms, result.timezone)}`);
    if (utc) io.out(`       (in UTC): ${formatElapse(ms, 'UTC')}`);
  });
  return true;
}
