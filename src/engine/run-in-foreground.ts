import type { ResolvedJob } from '../config/index.ts';
import { CronplaneError, coerceError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { LogStream, RunRecord, RunStatus, Store } from '../store/index.ts';
import type { Clock } from '../clock/index.ts';
import { planManualRuns } from './plan-manual-runs.ts';
import { JobLogFiles } from './job-log-files.ts';
import { RunLogBuffer } from './run-log-buffer.ts';
import type { ExecuteRun, RunResult } from './run-result.ts';
import { statusOfOutcome } from './run-result.ts';

export interface ForegroundRunInput {
  readonly store: Store;
  readonly clock: Clock;
  readonly node: string;
  readonly logger: Logger;
  readonly execute: ExecuteRun;
  readonly job: ResolvedJob;
  readonly params?: Readonly<Record<string, string>>;
  readonly dryRun?: boolean;
  readonly requestedBy?: string;
  /** Also shows output as it arrives (the terminal). */
  readonly output?: (run: RunRecord, stream: LogStream, chunk: string) => void;
  readonly signal?: AbortSignal;
  readonly leaseMs?: number;
}

export interface ForegroundRunResult {
  readonly run: RunRecord;
  readonly status: RunStatus;
  readonly result: RunResult;
}

/**
 * `cronplane run JOB`: queues a manual run of each fan-out entry (or the one `fan_key` names)
 * and executes it here, now, in turn, recorded exactly like a run the daemon makes (claimed
 * with a lease, output and status stored). No retries: the person at the terminal decides.
 */
export async function runInForeground(input: ForegroundRunInput): Promise<ForegroundRunResult[]> {
  const { store, clock, job } = input;
  const planned = planManualRuns(job, clock.now(), {
    trigger: 'manual',
    requestedBy: input.requestedBy ?? null,
    ...(input.params === undefined ? {} : { params: input.params }),
    ...(input.dryRun === undefined ? {} : { dryRun: input.dryRun }),
  });
  const { inserted } = await store.insertRuns(planned);
  const results: ForegroundRunResult[] = [];
  for (const queued of inserted) {
    results.push(await runOne(input, queued));
  }
  return results;
}

async function runOne(input: ForegroundRunInput, queued: RunRecord): Promise<ForegroundRunResult> {
  const { store, clock, node, logger, job } = input;
  const leaseMs = input.leaseMs ?? 30_000;
  const [run] = await store.claimRuns({ node, now: clock.now(), limit: 1, leaseMs, runIds: [queued.id] });
  if (run === undefined)
    throw new CronplaneError('engine.claim', `run ${queued.id} was taken by another node`);
  const controller = new AbortController();
  const onAbort = () => controller.abort(input.signal?.reason);
  input.signal?.addEventListener('abort', onAbort, { once: true });
  const renew = setInterval(() => {
    void store.renewLease(run.id, node, clock.now() + leaseMs).catch((thrown: unknown) => {
      logger.error({ err: coerceError(thrown) }, 'renewing the lease failed');
    });
  }, leaseMs / 3);
  const logs = new RunLogBuffer(store, run.id, clock, logger);
  const logFile = new JobLogFiles({ logger, clock }).open(job, run);
  let result: RunResult;
  try {
    result = await input.execute({
      run,
      job,
      signal: controller.signal,
      output: (stream, chunk, truncated) => {
        logs.push(stream, chunk, truncated);
        logFile?.write(stream, chunk, truncated);
        input.output?.(run, stream, chunk);
      },
    });
  } catch (thrown) {
    result = { outcome: 'failure', error: coerceError(thrown).message };
  } finally {
    clearInterval(renew);
    input.signal?.removeEventListener('abort', onAbort);
  }
  await logs.flush();
  await logFile?.end();
  const status = statusOfOutcome[result.outcome];
  const finishedAt = clock.now();
  // The numbers first: whoever sees the run ended sees what it reported.
  if (result.metrics !== undefined && Object.keys(result.metrics).length > 0) {
    await store.recordMetrics(run.id, result.metrics, finishedAt);
  }
  await store.finishRun(run.id, node, {
    status,
    finishedAt,
    exitCode: result.exitCode ?? null,
    httpStatus: result.httpStatus ?? null,
    error: result.error ?? null,
    reason: controller.signal.aborted ? 'interrupted at the terminal' : null,
  });
  return { run: await store.getRunOrThrow(run.id), status, result };
}
