import type { RunStatsView } from '../types.ts';
import { When, localTime } from './when.tsx';
import { Loading } from './loading.tsx';

/** The statuses in the order a bar stacks them (bottom first), each group one segment. */
const groups = [
  { name: 'succeeded', statuses: ['succeeded'] },
  { name: 'warning', statuses: ['warning'] },
  { name: 'failed', statuses: ['failed', 'timed_out', 'lost'] },
  { name: 'critical', statuses: ['critical'] },
  { name: 'other', statuses: ['skipped', 'cancelled'] },
  { name: 'active', statuses: ['pending', 'running', 'held'] },
] as const;

/** A bucket's width in words: `15 min`, `6 h`, `1 day`. */
function widthOf(ms: number): string {
  if (ms % 86_400_000 === 0) return ms === 86_400_000 ? '1 day' : `${ms / 86_400_000} days`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return `${Math.round(ms / 60_000)} min`;
}

function countOf(counts: RunStatsView['totals'], statuses: readonly string[]): number {
  return statuses.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
}

function describeCounts(counts: RunStatsView['totals']): string {
  const parts = Object.entries(counts)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([status, count]) => `${count} ${status.replace('_', ' ')}`);
  return parts.length === 0 ? 'no runs' : parts.join(', ');
}

/**
 * Runs per status per time bucket as stacked bars (each status group by colour and by pattern:
 * failures hatched, critical cross-hatched, active ones outlined), with the totals in words and
 * the non-empty buckets as a table.
 */
export function RunCounts({ stats }: { readonly stats: RunStatsView | undefined }) {
  if (stats === undefined) return <Loading />;
  const highest = Math.max(1, ...stats.buckets.map((bucket) => bucket.total));
  const busy = stats.buckets.filter((bucket) => bucket.total > 0);
  return (
    <figure class="run-counts" aria-labelledby="counts-heading">
      <ol class="count-bars" aria-hidden="true">
        {stats.buckets.map((bucket) => (
          <li key={bucket.start} title={`${localTime(bucket.start)}: ${describeCounts(bucket.counts)}`}>
            {groups.map((group) => {
              const count = countOf(bucket.counts, group.statuses);
              return count === 0 ? null : (
                <span
                  key={group.name}
                  class={`count-segment segment-${group.name}`}
                  style={{ height: `${(100 * count) / highest}%` }}
                />
              );
            })}
          </li>
        ))}
      </ol>
      <figcaption>
        {groups.map((group) => (
          <span key={group.name} class="legend-item">
            <span class={`count-swatch segment-${group.name}`} aria-hidden="true" />{' '}
            {group.statuses.join(', ').replace(/_/g, ' ')}
          </span>
        ))}
        <span class="counts-total">
          In this range: {describeCounts(stats.totals)} (each bar {widthOf(stats.bucketMs)}, the highest{' '}
          {highest}).
        </span>
      </figcaption>
      {busy.length > 0 && (
        <details class="chart-table">
          <summary>Run counts as a table</summary>
          <table class="data">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Runs</th>
                <th scope="col">By status</th>
              </tr>
            </thead>
            <tbody>
              {busy.map((bucket) => (
                <tr key={bucket.start}>
                  <td>
                    <When at={bucket.start} />
                  </td>
                  <td>{bucket.total}</td>
                  <td>{describeCounts(bucket.counts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}
