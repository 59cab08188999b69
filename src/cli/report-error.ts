import { ConfigError, formatProblem } from '../config/index.ts';
import { CronplaneError, coerceError, formatLocation } from '../errors/index.ts';
import type { CliIo } from './cli-io.ts';
import { ExitCode } from './cli-io.ts';

/** Prints an error the way every command does and gives the exit code that goes with it. */
export function reportError(thrown: unknown, io: CliIo): number {
  if (thrown instanceof ConfigError) {
    for (const problem of thrown.problems) io.err(`error: ${formatProblem(problem)}`);
    io.err(
      `${thrown.problems.length} problem${thrown.problems.length === 1 ? '' : 's'}; nothing was started.`,
    );
    return ExitCode.usage;
  }
  if (thrown instanceof CronplaneError) {
    const place = formatLocation(thrown.location);
    io.err(`error: ${place === '' ? '' : `${place}: `}${thrown.message}`);
    return ExitCode.usage;
  }
  io.err(`error: ${coerceError(thrown).message}`);
  return ExitCode.failure;
}
