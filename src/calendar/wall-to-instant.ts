/** A wall-clock time in a zone as an instant (the first one when it repeats, the gap's end when it does not exist). */
import { isUtcZone, zoneOffsets } from './zone-offsets.ts';

export function wallToInstant(wall: number, zone: string): number {
  if (isUtcZone(zone)) return wall;
  const offsets = zoneOffsets(zone);
  // Try the offsets in force a day either side; the earliest instant whose wall time matches wins.
  const candidates = [
    offsets.offsetAt(wall - 86_400_000),
    offsets.offsetAt(wall + 86_400_000),
    offsets.offsetAt(wall),
  ]
    .map((offset) => wall - offset)
    .filter((instant) => instant + offsets.offsetAt(instant) === wall)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return first;
  // In a gap: the transition instant ends it.
  const transition = offsets.firstTransitionIn(wall - 2 * 86_400_000, wall + 86_400_000);
  return transition?.at ?? wall - offsets.offsetAt(wall);
}
