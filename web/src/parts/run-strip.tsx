import type { RunView } from '../types.ts';
import { localTime } from './when.tsx';

/** A job's recent runs, oldest to newest, one cell each, coloured and shaped by status; each opens its run. */
export function RunStrip({
  runs,
  job,
}: {
  readonly runs: readonly Pick<RunView, 'id' | 'status' | 'scheduledAt'>[] | undefined;
  readonly job: string;
}) {
  if (runs === undefined) return <span class="muted">…</span>;
  if (runs.length === 0) return <span class="muted">no runs yet</span>;
  return (
    <ol class="strip" aria-label={`recent runs of ${job}`}>
      {[...runs].reverse().map((run) => (
        <li key={run.id}>
          <a
            href={`/runs/${run.id}`}
            class={`cell status-${run.status}`}
            aria-label={`run ${run.id}: ${run.status}`}
            title={`run ${run.id}: ${run.status}, ${localTime(run.scheduledAt)}`}
          />
        </li>
      ))}
    </ol>
  );
}
