/**
 * Runs a `cronplane` command line in the test's own process: the program `bin/cronplane.js` runs
 * (`main`), given the same minimal environment, working folder and output capture as
 * `runCronplane`, and answering the same `CliResult`. A child process costs a Node start and a
 * load of the sources (a second or more of CPU on a busy machine); this costs a few milliseconds.
 * Use it where the test is about what a command does, not about the process boundary (signals,
 * exit on a hung shutdown, the bin's own checks): `runCronplane` stays for those.
 * Not for `cronplane run` and `exec`, which stream a run's output to the process's own stdout.
 */
import { main } from '../../src/cli/main.ts';
import type { CliResult } from './run-cronplane.ts';

export async function runCronplaneInProcess(
  args: readonly string[],
  options: {
    readonly env?: Readonly<Record<string, string>>;
    readonly cwd?: string;
    /** Told what the command printed so far, at each line (to wait for a line, never to sleep). */
    readonly onStdout?: (stdout: string) => void;
  } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io = {
    out: (line: string) => {
      stdout += `${line}\n`;
      options.onStdout?.(stdout);
    },
    err: (line: string) => (stderr += `${line}\n`),
    // As runCronplane gives the child: PATH, HOME, USER and what the test adds.
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      USER: 'tester',
      ...options.env,
    },
    cwd: options.cwd ?? process.cwd(),
    isTty: false,
  };
  try {
    return { code: await main(args, io), stdout, stderr };
  } catch (thrown) {
    // What Node does with an error the bin does not catch: prints it and exits 1.
    const text = thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown);
    return { code: 1, stdout, stderr: `${stderr}${text}\n` };
  }
}
