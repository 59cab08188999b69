/**
 * The wall-clock hours in which a zone's clock springs forward or falls back, read from the
 * calendar engine's zone offsets for 2024-2031. Empty for a zone without daylight-saving time.
 */
import { zoneOffsets } from '../../calendar/index.ts';

const minuteMs = 60_000;
const from = Date.UTC(2024, 0, 1);
const to = Date.UTC(2032, 0, 1);

export function transitionHours(timezone: string): ReadonlySet<number> {
  const offsets = zoneOffsets(timezone);
  const hours = new Set<number>();
  for (let at = from; ;) {
    const transition = offsets.firstTransitionIn(at, to);
    if (transition === undefined) break;
    // Wall times from the change plus the smaller offset up to the larger are skipped or repeated.
    const start = transition.at + Math.min(transition.before, transition.after);
    const end = transition.at + Math.max(transition.before, transition.after);
    for (let wall = start; wall < end; wall += minuteMs) hours.add(new Date(wall).getUTCHours());
    at = transition.at + 1;
  }
  return hours;
}
