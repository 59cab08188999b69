import type { EventRecord } from '../store/index.ts';

/**
 * When an incident that keeps opening and closing stops being told flip by flip: a key that opened
 * `openings` times within `windowMs` is flapping. Its flips are then summarised in one
 * notification, and per-flip notifications resume once it has not opened for `windowMs`.
 *
 * Five openings in an hour: a job every 5 minutes that fails every other run reaches it in under
 * an hour (and has sent its first four alerts and recoveries by then); an hourly job never does.
 */
export interface FlapPolicy {
  readonly openings: number;
  readonly windowMs: number;
}

export const defaultFlapPolicy: FlapPolicy = { openings: 5, windowMs: 3_600_000 };

/** The event kind of the summary of a flapping incident. */
export const flappingKind = 'alert:flapping';

export function flappingKey(dedupKey: string): string {
  return `${flappingKind}:${dedupKey}`;
}

export interface FlapCount {
  /** Times the key opened within the window (the opening under way included). */
  readonly openings: number;
  /** Times it was resolved within the window. */
  readonly recoveries: number;
  /** When it last opened; null when never. */
  readonly lastOpenedAt: number | null;
}

/** Counts the openings and recoveries of one key's events (its history) within the window before `now`. */
export function countFlips(history: readonly EventRecord[], now: number, policy: FlapPolicy): FlapCount {
  const since = now - policy.windowMs;
  let openings = 0;
  let recoveries = 0;
  let lastOpenedAt: number | null = null;
  for (const event of history) {
    if (event.firstSeen >= since) openings++;
    if (event.resolvedAt !== null && event.resolvedAt >= since) recoveries++;
    if (lastOpenedAt === null || event.firstSeen > lastOpenedAt) lastOpenedAt = event.firstSeen;
  }
  return { openings, recoveries, lastOpenedAt };
}

export function isFlapping(count: FlapCount, policy: FlapPolicy): boolean {
  return count.openings >= policy.openings;
}

/** Whether a flapping key has been quiet long enough (no opening within the window) to be told flip by flip again. */
export function hasSettled(count: FlapCount, now: number, policy: FlapPolicy): boolean {
  return count.lastOpenedAt === null || now - count.lastOpenedAt >= policy.windowMs;
}

/** `5 failures, 4 recoveries in the last hour`. */
export function describeFlips(count: FlapCount, policy: FlapPolicy): string {
  const window = policy.windowMs === 3_600_000 ? 'hour' : `${Math.round(policy.windowMs / 60_000)} minutes`;
  const plural = (n: number, word: string, many: string) => `${n} ${n === 1 ? word : many}`;
  return `${plural(count.openings, 'failure', 'failures')}, ${plural(count.recoveries, 'recovery', 'recoveries')} in the last ${window}`;
}
