import type { ResolvedJob } from '../config/index.ts';
import type { LogStream, RunRecord, RunStatus } from '../store/index.ts';

/** What an executor reports about one run. */
export interface RunResult {
  readonly outcome: 'success' | 'warning' | 'failure' | 'critical' | 'skip' | 'timed_out' | 'cancelled';
  readonly exitCode?: number | null;
  readonly httpStatus?: number | null;
  readonly error?: string | null;
  readonly metrics?: Readonly<Record<string, number>>;
  readonly truncated?: boolean;
}

export interface ExecuteInput {
  readonly run: RunRecord;
  readonly job: ResolvedJob;
  readonly signal: AbortSignal;
  readonly output: (stream: LogStream, chunk: string, truncated?: boolean) => void;
}

/** Runs one claimed run to its end; never throws for a failure of the work itself. */
export type ExecuteRun = (input: ExecuteInput) => Promise<RunResult>;

/** The run status each executor outcome is recorded as. */
export const statusOfOutcome: { readonly [Outcome in RunResult['outcome']]: RunStatus } = {
  success: 'succeeded',
  warning: 'warning',
  failure: 'failed',
  critical: 'critical',
  skip: 'skipped',
  timed_out: 'timed_out',
  cancelled: 'cancelled',
};
