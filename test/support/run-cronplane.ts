/**
 * Runs the real `cronplane` command (bin/cronplane.js) as a child process on the test's Node,
 * with a minimal environment, and answers its exit code and output (never throws on a non-zero
 * exit: the code is what the tests assert).
 */
import { execFile, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './engine-harness.ts';

export const repositoryRoot = path.resolve(import.meta.dirname, '../..');
export const cronplaneBin = path.join(repositoryRoot, 'bin/cronplane.js');

/**
 * Node's on-disk compile cache for the child: each `cronplane` process loads (and strips the types
 * of) the same few hundred source files, and a cached compile roughly halves that start-up CPU.
 * The cache is keyed by file content and Node version, so a stale entry is never used.
 */
const compileCache = { NODE_COMPILE_CACHE: path.join(tmpdir(), 'node-compile-cache') };

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCronplane(
  args: readonly string[],
  options: { readonly env?: Readonly<Record<string, string>>; readonly cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cronplaneBin, ...args],
      {
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? '/tmp',
          USER: 'tester',
          ...compileCache,
          ...options.env,
        },
      },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : Number((error as { code?: number }).code ?? 1),
          stdout,
          stderr,
        });
      },
    );
  });
}

/** `cronplane start` as a child process on a free loopback port. */
export interface DaemonProcess {
  /** The API's base URL, as the daemon printed it. */
  readonly server: string;
  /** Everything it wrote so far, both streams. */
  output(): string;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
  /** Sends a signal (SIGKILL, SIGHUP, SIGTERM) without waiting. */
  signal(signal: NodeJS.Signals): void;
  /** Settles with the time (Date.now) at which the process exited. */
  readonly exited: Promise<number>;
}

export async function startDaemonProcess(
  args: readonly string[],
  options: {
    readonly cwd?: string;
    readonly env?: Readonly<Record<string, string>>;
    /** How long it may take to print its API address (default 15 s). */
    readonly readyWithinMs?: number;
  } = {},
): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [cronplaneBin, 'start', ...args, '--listen', '127.0.0.1:0'], {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      ...compileCache,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.once('exit', () => resolve(Date.now())));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  const signal = (name: NodeJS.Signals): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
  };
  try {
    const found: { address: string } | { exitedWith: number | string | null } = await waitFor(
      'the API address',
      () => {
        const address = /API on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
        if (address !== undefined) return { address } as const;
        // A process that exited (a refused start) will never print it: no need to wait 15 s.
        if (child.exitCode !== null || child.signalCode !== null)
          return { exitedWith: child.exitCode ?? child.signalCode };
        return undefined;
      },
      options.readyWithinMs ?? 15_000,
    );
    if (!('address' in found)) throw new Error(`it exited (${String(found.exitedWith)})`);
    const server = found.address;
    return { server, output: () => output, stop, signal, exited };
  } catch (thrown) {
    await stop();
    throw new Error(`cronplane start did not print its API address:\n${output}`, { cause: thrown });
  }
}
