/** Where a command writes and what it reads of its surroundings; tests pass their own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** True when standard output is a terminal (colours, pretty logs). */
  readonly isTty: boolean;
}

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
    isTty: process.stdout.isTTY,
  };
}

/** Exit codes of the `cronplane` command. */
export const ExitCode = {
  ok: 0,
  /** The thing asked about failed: a run failed, an expression was invalid. */
  failure: 1,
  /** The request itself was wrong: bad usage, a job file with problems. Nothing was started. */
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
