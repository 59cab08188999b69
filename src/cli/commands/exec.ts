import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { nameSchema } from '../../config/index.ts';
import { coerceError } from '../../errors/index.ts';
import type { CliIo } from '../cli-io.ts';
import { withControl } from '../with-control.ts';
import { OutputTail } from '../output-tail.ts';
import { defaultPingTimeoutMs, sendPing } from '../ping-client.ts';

export interface ExecOptions {
  readonly monitor: string;
  /** The monitor's ping URL; else CRONPLANE_PING_URL; else asked of the daemon. */
  readonly pingUrl?: string;
  readonly server?: string;
  /** Milliseconds allowed per ping (default 5 s). */
  readonly pingTimeout?: number;
}

/** Output sent with the end ping: the last 10 KiB of stdout and stderr together. */
export const execTailBytes = 10 * 1024;

/** Where the command's output goes besides the tail (the terminal; tests pass their own). */
export interface ExecStreams {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/**
 * `cronplane exec --monitor NAME -- CMD [ARGS...]`: wraps a crontab command. Pings the monitor's
 * `/start?rid=`, runs the command without a shell (its output passes through and the last 10 KiB
 * are kept), pings `/<exit-code>?rid=` with that tail, and exits with the command's code (a signal
 * n gives 128+n). A ping that fails is a warning: it never stops the command or changes its code.
 */
export async function runExec(
  argv: readonly string[],
  options: ExecOptions,
  io: CliIo,
  streams: ExecStreams = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const timeoutMs = options.pingTimeout ?? defaultPingTimeoutMs;
  const base = await findPingUrl(options, io, timeoutMs);
  const rid = randomUUID();
  if (base !== undefined) await sendPing(io, `${base}/start?rid=${rid}`, undefined, timeoutMs);
  const tail = new OutputTail(execTailBytes);
  const code = await runCommand(argv, tail, streams, io);
  if (base !== undefined) {
    const { text, cut } = tail.read();
    await sendPing(io, `${base}/${code}?rid=${rid}`, cut ? `…${text}` : text, timeoutMs);
  }
  return code;
}

/** --ping-url, CRONPLANE_PING_URL, or the daemon's answer; undefined (with a warning) when none. */
async function findPingUrl(options: ExecOptions, io: CliIo, timeoutMs: number): Promise<string | undefined> {
  const given = options.pingUrl ?? io.env['CRONPLANE_PING_URL'];
  if (given !== undefined && given !== '') return given.replace(/\/+$/, '');
  const name = nameSchema.safeParse(options.monitor);
  if (!name.success) {
    io.err(
      `cronplane exec: warning: --monitor ${JSON.stringify(options.monitor)} is not a monitor name; running the command without pings`,
    );
    return undefined;
  }
  try {
    const monitor = await withControl(options, io, { fallback: 'daemon', timeoutMs }, (control) =>
      control.getMonitor(options.monitor),
    );
    return monitor.pingUrl.replace(/\/+$/, '');
  } catch (thrown) {
    io.err(
      `cronplane exec: warning: cannot find the ping URL of monitor "${options.monitor}": ${coerceError(thrown).message}; running the command without pings (pass --ping-url or set CRONPLANE_PING_URL to skip the look-up)`,
    );
    return undefined;
  }
}

/** Runs the command with its output passed through and kept; resolves to its exit code. */
function runCommand(
  argv: readonly string[],
  tail: OutputTail,
  streams: ExecStreams,
  io: CliIo,
): Promise<number> {
  const [command, ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(command as string, args, {
      stdio: ['inherit', 'pipe', 'pipe'],
      env: { ...io.env },
      cwd: io.cwd,
    });
    // The terminal's Ctrl-C reaches the command itself; a SIGTERM or SIGHUP sent to cronplane is passed on.
    const forward = (signal: NodeJS.Signals) => () => {
      child.kill(signal);
    };
    const handlers = [
      ['SIGTERM', forward('SIGTERM')],
      ['SIGHUP', forward('SIGHUP')],
      ['SIGINT', () => undefined],
    ] as const;
    for (const [signal, handler] of handlers) process.on(signal, handler);
    let finished = false;
    const done = (code: number) => {
      if (finished) return;
      finished = true;
      for (const [signal, handler] of handlers) process.off(signal, handler);
      resolve(code);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      tail.push(chunk);
      streams.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      tail.push(chunk);
      streams.stderr.write(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      // The command could not be started: 127 when it does not exist, 126 otherwise (as shells say).
      const code = error.code === 'ENOENT' ? 127 : 126;
      const message = `cronplane exec: cannot run ${JSON.stringify(command)}: ${error.code === 'ENOENT' ? 'command not found' : error.message}`;
      io.err(message);
      tail.push(Buffer.from(`${message}\n`));
      done(code);
    });
    child.on('close', (code, signal) => {
      if (code !== null) done(code);
      else done(128 + (signal === null ? 0 : (constants.signals[signal] ?? 0)));
    });
  });
}
