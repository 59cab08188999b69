/** The time ranges the job page's charts offer, and the one picked from the address's `range`. */
export const timeRanges = {
  '24h': { label: '24 h', ms: 24 * 3_600_000 },
  '7d': { label: '7 days', ms: 7 * 24 * 3_600_000 },
  '30d': { label: '30 days', ms: 30 * 24 * 3_600_000 },
} as const;
export type TimeRange = keyof typeof timeRanges;

export const defaultTimeRange: TimeRange = '7d';

export function isTimeRange(text: string | undefined): text is TimeRange {
  return text !== undefined && Object.hasOwn(timeRanges, text);
}

/** The range as the API's query takes it: epoch milliseconds, the end rounded up to the minute. */
export function rangeBounds(range: TimeRange, now: number): { readonly from: number; readonly to: number } {
  const to = Math.ceil((now + 1) / 60_000) * 60_000;
  return { from: to - timeRanges[range].ms, to };
}
