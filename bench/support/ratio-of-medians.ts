import { median } from './median.ts';

/**
 * How one system compares with another over interleaved rounds: the ratio of their medians
 * (`ours ÷ theirs`), and the lowest and highest ratio within a single round, where both were
 * measured side by side. `ours[i]` and `theirs[i]` must come from the same round.
 */
export interface RatioOfMedians {
  readonly ratio: number;
  readonly lowestInRound: number;
  readonly highestInRound: number;
}

export function ratioOfMedians(ours: readonly number[], theirs: readonly number[]): RatioOfMedians {
  if (ours.length !== theirs.length) {
    throw new Error(
      `ratioOfMedians needs one figure per round from each side: ${ours.length} ≠ ${theirs.length}`,
    );
  }
  const inRound = ours.map((value, round) => value / (theirs[round] as number));
  return {
    ratio: median(ours) / median(theirs),
    lowestInRound: inRound.length === 0 ? Number.NaN : Math.min(...inRound),
    highestInRound: inRound.length === 0 ? Number.NaN : Math.max(...inRound),
  };
}

/** `1.23 (0.98–1.41 per round)`. */
export function formatRatioOfMedians(ratio: RatioOfMedians): string {
  return `${ratio.ratio.toFixed(2)} (${ratio.lowestInRound.toFixed(2)}–${ratio.highestInRound.toFixed(2)} per round)`;
}
