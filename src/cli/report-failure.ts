import { ControlError, notJsonCode } from '../control/index.ts';
import { ApiRefusal } from './api-refusal.ts';
import type { CliIo } from './cli-io.ts';
import { ExitCode } from './cli-io.ts';
import { reportError } from './report-error.ts';

/**
 * How a command that reads or changes state ends on an error. A daemon that does not answer or
 * fails itself is a failure (1); a refused request changed nothing (2), whether the daemon's API
 * or the store refused it; anything else as `reportError` prints it.
 */
export function reportFailure(thrown: unknown, io: CliIo): number {
  if (thrown instanceof ApiRefusal) {
    io.err(`error: ${thrown.message}`);
    return thrown.status >= 500 ? ExitCode.failure : ExitCode.usage;
  }
  if (thrown instanceof ControlError) {
    io.err(`error: ${thrown.message}`);
    return thrown.kind === 'unavailable' && thrown.code !== notJsonCode ? ExitCode.failure : ExitCode.usage;
  }
  return reportError(thrown, io);
}
