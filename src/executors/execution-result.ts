/** How a run ended, as every executor reports it. */
export const ExecutionOutcome = {
  success: 'success',
  warning: 'warning',
  failure: 'failure',
  critical: 'critical',
  /** Nothing to do: a skip condition said so, an exit code means it, or a dry run did not send. */
  skip: 'skip',
  /** The run's timeout elapsed and the work was stopped. */
  timed_out: 'timed_out',
  /** The caller aborted the run (cancel, replace, shutdown) and the work was stopped. */
  cancelled: 'cancelled',
} as const;
export type ExecutionOutcome = keyof typeof ExecutionOutcome;

export interface ExecutionResult {
  readonly outcome: ExecutionOutcome;
  /** The process's exit code, when it exited (not when a signal ended it). */
  readonly exitCode?: number;
  /** The signal that ended the process, when one did (`SIGKILL`, ...). */
  readonly signal?: string;
  readonly httpStatus?: number;
  /** Why the run did not succeed, in words; never holds a secret. */
  readonly error?: string;
  readonly durationMs: number;
  /** Bytes of output the work produced (stdout and stderr, or the response body), kept or not. */
  readonly outputBytes: number;
  /** True when part of the output was dropped at the capture limit. */
  readonly truncated: boolean;
  /** Numbers the run reported (a JSON line on stdout, a response field, a module's return). */
  readonly metrics?: Readonly<Record<string, number>>;
}
