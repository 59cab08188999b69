const msPerDay = 86_400_000;
/** 10000-01-01T00:00:00.000Z: from here on `toISOString` writes a six-digit year with a sign. */
const yearTenThousand = 253_402_300_800_000;

/** The day last written and its `YYYY-MM-DDT`: the instants of one answer mostly share a day. */
let cachedDay = Number.NaN;
let cachedPrefix = '';

/**
 * An epoch-millisecond instant as `Date#toISOString` writes it (`2026-01-01T03:04:05.006Z`),
 * several times faster: the date part is remembered per day and the time of day is written from
 * integer arithmetic, without a `Date` per value. Instants outside 1970..9999 or with a fraction
 * of a millisecond go through `Date` as before.
 */
export function isoInstant(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= yearTenThousand) return new Date(ms).toISOString();
  const day = Math.floor(ms / msPerDay);
  if (day !== cachedDay) {
    cachedPrefix = new Date(day * msPerDay).toISOString().slice(0, 11);
    cachedDay = day;
  }
  let rest = ms - day * msPerDay;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${cachedPrefix}${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(seconds)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : `${value}`;
}
