import type { SystemFigures } from './median-summary-table.ts';
import { formatRatioOfMedians, ratioOfMedians } from './ratio-of-medians.ts';

/** cronplane's own systems are the ones named `cronplane, <store>`; the rest are its peers. */
export function isCronplane(name: string): boolean {
  return name.startsWith('cronplane');
}

/**
 * The rows of a table (for printTable) of ratios of medians, one line per cronplane system and one
 * column per peer: `cronplane ÷ <peer's first word>`, under `title` in the first cell. Empty when
 * either side is missing.
 */
export function ratioTable(figures: readonly SystemFigures[], title = 'ratio of medians'): string[][] {
  const ours = figures.filter((figure) => isCronplane(figure.name));
  const peers = figures.filter((figure) => !isCronplane(figure.name));
  if (ours.length === 0 || peers.length === 0) return [];
  return [
    [title, ...peers.map((peer) => `÷ ${peer.name.split(' ')[0] ?? peer.name}`)],
    ...ours.map((our) => [
      our.name,
      ...peers.map((peer) => formatRatioOfMedians(ratioOfMedians(our.values, peer.values))),
    ]),
  ];
}
