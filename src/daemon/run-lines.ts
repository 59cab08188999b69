import type { RunEnd } from '../engine/index.ts';
import type { Logger } from '../logging/index.ts';
import type { RunRecord, RunStatus } from '../store/index.ts';

/** The `event` field of a run line: what `npm start` shows of each run, and how a log reader picks them out. */
export const RunLineEvent = {
  start: 'run:start',
  end: 'run:end',
} as const;
export type RunLineEvent = (typeof RunLineEvent)[keyof typeof RunLineEvent];

/** Ends worth a warning in the log; the rest are information. */
const troubled: ReadonlySet<RunStatus> = new Set(['failed', 'critical', 'timed_out', 'lost']);

/**
 * One log line when this node starts a run and one when a run ends: the job, its fan-out key,
 * the run, the attempt, and at the end the status, exit code (or HTTP status) and duration. The
 * fields are for JSON readers; the message says the same for a person at a terminal (where the
 * logger shows run lines without their fields, see `createLogger`). It keeps no state: the
 * engine's run-start and run-end hooks hand it what the store recorded.
 */
export class RunLines {
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  readonly started = (run: RunRecord): void => {
    this.#logger.info(
      { event: RunLineEvent.start, ...identity(run) },
      `${title(run)} started${run.attempt > 1 ? ` (attempt ${run.attempt})` : ''}`,
    );
  };

  readonly ended = ({ run, willRetry }: RunEnd): void => {
    const durationMs =
      run.startedAt === null || run.finishedAt === null ? null : run.finishedAt - run.startedAt;
    const fields = {
      event: RunLineEvent.end,
      ...identity(run),
      status: run.status,
      exitCode: run.exitCode,
      ...(run.httpStatus === null ? {} : { httpStatus: run.httpStatus }),
      durationMs,
      ...(run.statusReason === null ? {} : { reason: run.statusReason }),
      willRetry,
    };
    const parts = [
      run.exitCode === null ? undefined : `exit ${run.exitCode}`,
      run.httpStatus === null ? undefined : `HTTP ${run.httpStatus}`,
      durationMs === null ? undefined : `in ${seconds(durationMs)}`,
      run.statusReason ?? undefined,
      willRetry ? 'a retry follows' : undefined,
    ].filter((part) => part !== undefined);
    const message = `${title(run)} ${run.status}${parts.length === 0 ? '' : `: ${parts.join(', ')}`}`;
    if (troubled.has(run.status)) this.#logger.warn(fields, message);
    else this.#logger.info(fields, message);
  };
}

function identity(run: RunRecord): Record<string, unknown> {
  return { job: run.job, key: run.fanKey === '' ? null : run.fanKey, run: run.id, attempt: run.attempt };
}

/** `run 12 greet [alice]`: how a person reads which run it is. */
function title(run: RunRecord): string {
  return `run ${run.id} ${run.job}${run.fanKey === '' ? '' : ` [${run.fanKey}]`}`;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms / 1000)} s`;
}
