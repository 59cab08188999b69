import { instantForms, parseDuration, parseInstant } from '../../calendar/index.ts';
import { CronplaneError } from '../../errors/index.ts';

/**
 * The instant an option such as `--since` gives: ISO 8601 with an offset or epoch milliseconds as
 * the API takes them, or a duration (`2h`, `30m`, `7d`) meaning that long before `now`. Anything
 * else is refused naming the option.
 */
export function parseInstantOrAgo(text: string, option: string, now: number): number {
  const instant = parseInstant(text);
  if (instant !== undefined) return instant;
  let ago: number | undefined;
  try {
    ago = parseDuration(text);
  } catch {
    ago = undefined;
  }
  if (ago === undefined) {
    throw new CronplaneError(
      'cli.instant',
      `${option} ${JSON.stringify(text)} is neither a duration (2h, 30m, 7d: that long ago) nor an instant (${instantForms})`,
    );
  }
  return now - ago;
}
