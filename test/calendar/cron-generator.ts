/**
 * Seeded random cron expressions for the differential and property tests, in the dialect that
 * cronplane, croner and cron-parser share (plus flags for the parts only some of them read).
 */

/** mulberry32: a small, fast, seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratorOptions {
  /** Allow a leading seconds field. */
  readonly seconds: boolean;
  /** Allow W and LW in day-of-month (croner reads them, cron-parser does not). */
  readonly nearestWeekday: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export function cronGenerator(random: () => number, options: GeneratorOptions): () => string {
  const int = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

  function item(min: number, max: number, names?: readonly string[], nameBase = 0): string {
    const value = (): string => {
      const v = int(min, max);
      return names !== undefined && random() < 0.3 && v - nameBase < names.length
        ? (names[v - nameBase] as string)
        : String(v);
    };
    const roll = random();
    if (roll < 0.45) return value();
    if (roll < 0.7) {
      const a = int(min, max);
      const b = int(a, max);
      return `${a}-${b}`;
    }
    if (roll < 0.85) {
      const a = int(min, max);
      const b = int(a, max);
      return `${a}-${b}/${int(1, Math.max(1, max - min))}`;
    }
    return `*/${int(1, Math.max(1, Math.floor((max - min + 1) / 2)))}`;
  }

  function field(min: number, max: number, star: number, names?: readonly string[], nameBase = 0): string {
    if (random() < star) return '*';
    const count = random() < 0.7 ? 1 : int(2, 3);
    return Array.from({ length: count }, () => item(min, max, names, nameBase)).join(',');
  }

  function dayOfMonth(): string {
    const roll = random();
    if (roll < 0.08) return 'L';
    if (options.nearestWeekday && roll < 0.14) return random() < 0.3 ? 'LW' : `${int(1, 31)}W`;
    return field(1, 31, 0.55);
  }

  function dayOfWeek(): string {
    const roll = random();
    if (roll < 0.06) return `${int(0, 6)}#${int(1, 5)}`;
    if (roll < 0.1) return `${int(0, 6)}L`;
    return field(0, 7, 0.6, WEEKDAYS);
  }

  return () => {
    const parts = [
      field(0, 59, 0.25),
      field(0, 23, 0.35),
      dayOfMonth(),
      field(1, 12, 0.7, MONTHS, 1),
      dayOfWeek(),
    ];
    if (options.seconds && random() < 0.25) parts.unshift(field(0, 59, 0.3));
    return parts.join(' ');
  };
}
