/**
 * The time-zone suffix of an OnCalendar expression. systemd takes ` UTC` (any case) and, after
 * the last space, a zone name it finds in the tz database, with the database's exact case.
 * cronplane asks the runtime's tz database (Intl) instead of /usr/share/zoneinfo, so the answer
 * does not depend on the machine; names must still be written in the database's case.
 */

const ZONE_NAME = /^[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)*$/;

function runtimeZoneName(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** True when `name` is a zone systemd would take after the last space (`Europe/Berlin`, `EST`). */
export function isSystemdTimezone(name: string): boolean {
  if (!ZONE_NAME.test(name)) return false;
  // The tz database spells every part of a name with a capital first: `europe/berlin` is no zone.
  if (!name.split('/').every((part) => /^[A-Z]/.test(part))) return false;
  const resolved = runtimeZoneName(name);
  if (resolved === undefined) return false;
  // Intl matches case-insensitively; a name that resolves to itself in another case is misspelt.
  return resolved.toLowerCase() !== name.toLowerCase() || resolved === name;
}

/** The zone's name as the tz database spells it, for "did you mean" hints; undefined if unknown. */
export function suggestTimezone(name: string): string | undefined {
  return ZONE_NAME.test(name) ? runtimeZoneName(name) : undefined;
}

export interface ZoneSplit {
  /** The expression without its zone suffix. */
  readonly body: string;
  /** `UTC` for a ` UTC` suffix in any case, else the zone name as written. */
  readonly timezone?: string;
}

/** Splits off the zone suffix the way systemd does: ` UTC` first, then the word after the last space. */
export function splitTimezone(text: string): ZoneSplit {
  if (text.slice(-4).toLowerCase() === ' utc') return { body: text.slice(0, -4), timezone: 'UTC' };
  const lastSpace = text.lastIndexOf(' ');
  if (lastSpace >= 0) {
    const zone = text.slice(lastSpace + 1);
    if (isSystemdTimezone(zone)) return { body: text.slice(0, lastSpace), timezone: zone };
  }
  return { body: text };
}
