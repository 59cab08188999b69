import { formatMedianSummary, medianSummary } from './median-summary.ts';

/** One figure of one system, measured once per round, in round order. */
export interface SystemFigures {
  readonly name: string;
  readonly values: readonly number[];
}

/**
 * The rows of a table (for printTable) with one line per system and, per figure, its median with
 * the min–max over the passes: `| system | runs/s, median (min–max) | passes |`.
 */
export function medianSummaryTable(
  columns: readonly { readonly label: string; readonly figures: readonly SystemFigures[] }[],
  format: (value: number) => string,
): string[][] {
  const names = columns[0]?.figures.map((figure) => figure.name) ?? [];
  return [
    ['system', ...columns.map((column) => `${column.label}, median (min–max)`), 'passes'],
    ...names.map((name, row) => {
      const summaries = columns.map((column) => medianSummary(column.figures[row]?.values ?? []));
      return [
        name,
        ...summaries.map((summary) => formatMedianSummary(summary, format)),
        String(summaries[0]?.passes ?? 0),
      ];
    }),
  ];
}
