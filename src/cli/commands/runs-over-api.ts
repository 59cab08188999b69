import type { CliIo } from '../cli-io.ts';
import { callApi } from '../api-client.ts';

/** A run as the API answers it (the fields the CLI prints). */
interface RunAnswer {
  readonly id: number;
  readonly job: string;
  readonly fanKey: string;
  readonly trigger: string;
  readonly attempt: number;
  readonly status: string;
  readonly scheduledAt: string;
  readonly durationMs: number | null;
  readonly exitCode: number | null;
  readonly httpStatus: number | null;
}

/** `cronplane runs` through a daemon's API: the same lines as on the store. */
export async function listRunsOverApi(
  io: CliIo,
  server: string | undefined,
  query: {
    readonly job?: string;
    readonly statuses: readonly string[];
    readonly limit: number;
    readonly json: boolean;
  },
): Promise<void> {
  const search = new URLSearchParams({ limit: String(Math.min(query.limit, 1000)) });
  if (query.job !== undefined) search.set('job', query.job);
  if (query.statuses.length > 0) search.set('status', query.statuses.join(','));
  const answer = await callApi<{ runs: RunAnswer[] }>(io, {
    server,
    method: 'GET',
    path: `/api/runs?${search}`,
  });
  const { runs } = answer.body;
  if (query.json) {
    for (const run of runs) io.out(JSON.stringify(run));
    return;
  }
  if (runs.length === 0) {
    io.out('no runs recorded');
    return;
  }
  io.out(
    ['ID', 'JOB', 'KEY', 'TRIGGER', 'ATTEMPT', 'STATUS', 'SCHEDULED (UTC)', 'DURATION', 'EXIT'].join('\t'),
  );
  for (const run of runs) {
    io.out(
      [
        run.id,
        run.job,
        run.fanKey === '' ? '-' : run.fanKey,
        run.trigger,
        run.attempt,
        run.status,
        run.scheduledAt,
        run.durationMs === null ? '-' : `${(run.durationMs / 1000).toFixed(3)}s`,
        run.exitCode ?? run.httpStatus ?? '-',
      ].join('\t'),
    );
  }
}
