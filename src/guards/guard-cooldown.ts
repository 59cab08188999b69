import type { GuardEntry } from '../config/index.ts';
import type { EventRecord } from '../store/index.ts';

/** A guard without `cooldown` waits 24 hours before it raises the same incident again (seed 000's default). */
export const defaultGuardCooldownMs = 24 * 60 * 60 * 1000;

export function guardCooldownMs(guard: GuardEntry): number {
  return guard.cooldown ?? defaultGuardCooldownMs;
}

/**
 * When the cool-down after the last raise of an incident ends; undefined when there was none.
 * The last raise is the `lastSeen` of the newest event with the dedup key, open or resolved:
 * a guard never counts a repeat while cooling down, so `lastSeen` is when it last raised.
 */
export function cooldownEndsAt(last: EventRecord | undefined, cooldownMs: number): number | undefined {
  return last === undefined ? undefined : last.lastSeen + cooldownMs;
}
