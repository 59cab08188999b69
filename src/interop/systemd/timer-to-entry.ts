/**
 * A timer's `[Timer]` section as job-file keys: when (`schedule`), `catch_up`, `randomized_delay`,
 * and a warning for each setting that is not carried exactly.
 */
import { formatDuration, parseSchedule } from '../../calendar/index.ts';
import { coerceError } from '../../errors/index.ts';
import { ImportProblemsError } from '../import-problems.ts';
import type { UnitEntry, UnitFile } from './parse-unit-file.ts';
import { lastEntry, listEntries } from './parse-unit-file.ts';
import { parseSystemdTimeSpan } from './systemd-time-span.ts';

export type Warn = (entry: UnitEntry, message: string, action: string) => void;

export interface TimerFields {
  readonly entry: Record<string, unknown>;
  /** The `Unit=` the timer names, when it names one. */
  readonly unit: UnitEntry | undefined;
  /** Whether an `OnCalendar=` without a zone was read (its zone is the machine's). */
  readonly localCalendar: UnitEntry | undefined;
}

/** Keys read here; any other `[Timer]` key is warned about by the caller. */
export const timerKeys = new Set([
  'OnCalendar',
  'OnBootSec',
  'OnStartupSec',
  'OnActiveSec',
  'OnUnitActiveSec',
  'OnUnitInactiveSec',
  'Persistent',
  'RandomizedDelaySec',
  'FixedRandomDelay',
  'AccuracySec',
  'Unit',
]);

/** Throws an import error naming file:line for an `OnCalendar=` or a time span that does not parse. */
export function timerToEntry(timer: UnitFile, warn: Warn): TimerFields {
  const entry: Record<string, unknown> = {};
  const schedules: unknown[] = [];
  let localCalendar: UnitEntry | undefined;

  for (const calendar of listEntries(timer, 'Timer', 'OnCalendar')) {
    try {
      const spec = parseSchedule(calendar.value, { syntax: 'systemd' });
      if (spec.kind === 'calendar' && spec.timezone === undefined) localCalendar ??= calendar;
    } catch (thrown) {
      throw new ImportProblemsError([
        {
          file: calendar.file,
          line: calendar.line,
          message: `OnCalendar=${calendar.value}: ${coerceError(thrown).message}`,
        },
      ]);
    }
    schedules.push(calendar.value);
  }

  let startup = false;
  for (const key of ['OnBootSec', 'OnStartupSec']) {
    for (const boot of listEntries(timer, 'Timer', key)) {
      const delay = spanOf(boot);
      if (!startup) schedules.push('@reboot');
      startup = true;
      if (delay !== undefined && delay > 0) {
        warn(
          boot,
          `${key}=${boot.value} fires ${formatDuration(delay)} after the machine (or systemd) starts`,
          'became "@reboot": it fires when the cronplane daemon starts, without the delay',
        );
      }
    }
  }

  for (const key of ['OnActiveSec', 'OnUnitActiveSec', 'OnUnitInactiveSec']) {
    for (const active of listEntries(timer, 'Timer', key)) {
      const period = spanOf(active);
      if (period === undefined || period === 0) {
        warn(active, `${key}=${active.value} never repeats`, 'dropped');
        continue;
      }
      const every = `every ${formatDuration(period)}`;
      schedules.push(every);
      warn(
        active,
        `${key}=${active.value} counts from the ${key === 'OnActiveSec' ? "timer's activation" : key === 'OnUnitInactiveSec' ? "service's last finish" : "service's last start"}`,
        `became "${every}", counted from the Unix epoch instead`,
      );
    }
  }

  if (schedules.length > 0) entry['schedule'] = schedules.length === 1 ? schedules[0] : schedules;

  const persistent = lastEntry(timer, 'Timer', 'Persistent');
  if (persistent !== undefined && isTrue(persistent)) {
    entry['catch_up'] = 'once';
    if (!schedules.some(isCalendar)) {
      warn(
        persistent,
        'Persistent=true applies to OnCalendar= only, and this timer has none',
        'became catch_up: once, which changes nothing here',
      );
    }
  }

  const randomized = lastEntry(timer, 'Timer', 'RandomizedDelaySec');
  const randomDelay = randomized === undefined ? undefined : spanOf(randomized);
  if (randomDelay !== undefined && randomDelay > 0) entry['randomized_delay'] = formatDuration(randomDelay);
  const fixed = lastEntry(timer, 'Timer', 'FixedRandomDelay');
  if (fixed !== undefined && isTrue(fixed) && randomDelay !== undefined && randomDelay > 0) {
    warn(
      fixed,
      'FixedRandomDelay=true keeps one random delay for every fire of this timer on this machine',
      'dropped: cronplane draws a delay per fire (the same on every node)',
    );
  }

  const accuracy = lastEntry(timer, 'Timer', 'AccuracySec');
  if (accuracy !== undefined) {
    warn(
      accuracy,
      `AccuracySec=${accuracy.value} lets systemd start up to that late to group wake-ups`,
      'dropped: cronplane starts on time',
    );
  }

  return { entry, unit: lastEntry(timer, 'Timer', 'Unit'), localCalendar };
}

function isCalendar(schedule: unknown): boolean {
  return typeof schedule === 'string' && schedule !== '@reboot' && !schedule.startsWith('every ');
}

/** A boolean as systemd reads it. */
export function isTrue(entry: UnitEntry): boolean {
  return ['1', 'yes', 'y', 'true', 't', 'on'].includes(entry.value.toLowerCase());
}

/** A time span of an entry in ms (undefined: infinity); throws an import error at its place. */
export function spanOf(entry: UnitEntry): number | undefined {
  try {
    return parseSystemdTimeSpan(entry.value);
  } catch (thrown) {
    throw new ImportProblemsError([
      {
        file: entry.file,
        line: entry.line,
        message: `${entry.key}=${entry.value}: ${coerceError(thrown).message}`,
      },
    ]);
  }
}
