/**
 * Lookup tables of one field: which values are in the set, and for every value the next and the
 * previous allowed one (-1 when none is left), so the wall-clock search reads instead of scans.
 */
import type { Field, FieldItem } from './calendar-spec.ts';

/** Which values of a field are in the set, as flags indexed by value. */
export function fieldFlags(field: Field, min: number, max: number): Uint8Array {
  const flags = new Uint8Array(max + 1);
  if (field.kind === 'any') {
    flags.fill(1, min);
    return flags;
  }
  for (const item of field.items) markItem(flags, item, min, max);
  return flags;
}

export function markItem(flags: Uint8Array, item: FieldItem, min: number, max: number): void {
  switch (item.kind) {
    case 'value':
      if (item.value >= min && item.value <= max) flags[item.value] = 1;
      return;
    case 'range':
      for (let v = item.start; v <= Math.min(item.end, max); v += item.step) if (v >= min) flags[v] = 1;
      return;
    case 'repeat':
      for (let v = item.start; v <= max; v += item.step) if (v >= min) flags[v] = 1;
      return;
    default:
      assertNever(item);
  }
}

export function fillNextPrev(
  table: Int8Array | Int16Array | Int32Array,
  next: number,
  prev: number,
  flags: Uint8Array,
  min: number,
): void {
  const max = flags.length - 1;
  let last = -1;
  for (let v = max; v >= min; v--) {
    if (flags[v] === 1) last = v;
    table[next + v] = last;
  }
  last = -1;
  for (let v = min; v <= max; v++) {
    if (flags[v] === 1) last = v;
    table[prev + v] = last;
  }
}

/**
 * Which of `buckets` milliseconds hold at least one microsecond of `field` (values 0 to
 * buckets * 1000 - 1): the engine works in milliseconds and truncates microseconds.
 */
function millisecondFlags(field: Field, buckets: number): Uint8Array {
  const flags = new Uint8Array(buckets);
  if (field.kind === 'any') return flags.fill(1);
  const maxMicro = buckets * 1000 - 1;
  for (const item of field.items) {
    const start = item.kind === 'value' ? item.value : item.start;
    const end =
      item.kind === 'value' ? item.value : item.kind === 'range' ? Math.min(item.end, maxMicro) : maxMicro;
    const step = item.kind === 'value' ? 1 : Math.max(1, item.step);
    for (let bucket = Math.max(0, Math.floor(start / 1000)); bucket < buckets; bucket++) {
      const low = bucket * 1000;
      const first = low <= start ? start : start + Math.ceil((low - start) / step) * step;
      if (first > end) break;
      if (first <= low + 999) flags[bucket] = 1;
    }
  }
  return flags;
}

/** The allowed milliseconds of a second (microseconds truncated), or null for ".000 only". */
export function compileMillis(field: Field | undefined): Int16Array | null {
  if (field === undefined) return null;
  const flags = millisecondFlags(field, 1000);
  if (flags[0] === 1 && flags.indexOf(1, 1) < 0) return null;
  const table = new Int16Array(2000);
  fillNextPrev(table, 0, 1000, flags, 0);
  return table;
}

/** The allowed milliseconds of a minute for systemd's `microsecondOfMinute`, or null when absent. */
export function compileSubMinute(field: Field | undefined): Int32Array | null {
  if (field === undefined) return null;
  const table = new Int32Array(120_000);
  fillNextPrev(table, 0, 60_000, millisecondFlags(field, 60_000), 0);
  return table;
}

function assertNever(value: never): never {
  throw new Error(`unexpected field item ${JSON.stringify(value)}`);
}
