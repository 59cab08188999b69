/** One pass of an interleaved benchmark: which round it belongs to (from 1) and which system. */
export interface Pass<T> {
  readonly round: number;
  readonly system: T;
}

/**
 * The order in which an interleaved benchmark measures: every system once per round, in the
 * order given, for `repeat` rounds (A B C, A B C, ...), so that a slow minute of the machine
 * falls on all systems alike rather than on whichever ran then.
 */
export function interleave<T>(systems: readonly T[], repeat: number): Pass<T>[] {
  if (!Number.isInteger(repeat) || repeat < 1)
    throw new Error(`--repeat needs a whole number ≥ 1, not ${repeat}`);
  const passes: Pass<T>[] = [];
  for (let round = 1; round <= repeat; round++) {
    for (const system of systems) passes.push({ round, system });
  }
  return passes;
}
