import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { coerceError } from '../errors/index.ts';
import { formatDuration } from './format-amount.ts';
import type { LaunchPlan } from './launch-plan.ts';
import type { RunCgroup } from './run-cgroup.ts';
import { watchStop } from './watch-stop.ts';
import type { StopReason } from './watch-stop.ts';

export interface ProcessOptions {
  readonly plan: LaunchPlan;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string | undefined;
  /** Written to the child's stdin, which is then closed; stdin is /dev/null when undefined. */
  readonly stdin: string | undefined;
  readonly onStdout: (chunk: Buffer) => void;
  readonly onStderr: (chunk: Buffer) => void;
  readonly onSystem: (line: string) => void;
  readonly timeoutMs: number | undefined;
  /** Said when the timeout stops the process ("timed out after 10m"). */
  readonly timeoutText: string;
  readonly signal: AbortSignal | undefined;
  readonly killGraceMs: number;
  /** Its processes are signalled with the process group (they may have left the group). */
  readonly cgroup: RunCgroup | undefined;
}

export interface ProcessEnd {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the timeout or the abort signal stopped the process. */
  readonly stoppedBy: StopReason | undefined;
  readonly spawnError: Error | undefined;
}

/** After SIGKILL, how long to wait for the output pipes to close before letting go of them. */
const pipeCloseMs = 1000;

/**
 * Runs one process in its own process group and waits until it has exited and its output pipes
 * have closed. Stopping it (timeout or abort) sends SIGTERM to the whole group (and the run's
 * cgroup), then SIGKILL after the grace. When the process exits by itself, whatever it left
 * running in its group is stopped the same way (as systemd does for a finished service), so a
 * forgotten background child cannot hold the run open.
 */
export function runProcess(options: ProcessOptions): Promise<ProcessEnd> {
  const { plan, cgroup, killGraceMs, onSystem } = options;
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(plan.file, plan.args, {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        ...(plan.uid === undefined ? {} : { uid: plan.uid }),
        ...(plan.gid === undefined ? {} : { gid: plan.gid }),
      });
    } catch (thrown) {
      resolve({ exitCode: null, signal: null, stoppedBy: undefined, spawnError: coerceError(thrown) });
      return;
    }
    const pid = child.pid;
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let spawnError: Error | undefined;
    let finished = false;
    let graceTimer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;

    /** True when some process of the group was there to receive it. */
    const signalGroup = (signal: NodeJS.Signals): boolean => {
      let found = false;
      if (pid !== undefined) {
        try {
          process.kill(-pid, signal);
          found = true;
        } catch {
          // the group is empty
        }
      }
      if (cgroup !== undefined) void cgroup.signalAll(signal).catch(() => undefined);
      return found;
    };
    /** SIGTERM now, SIGKILL after the grace, then stop waiting for the pipes. */
    const terminate = (): boolean => {
      if (graceTimer !== undefined) return false;
      const found = signalGroup('SIGTERM');
      graceTimer = setTimeout(() => {
        if (signalGroup('SIGKILL'))
          onSystem(`still running ${formatDuration(killGraceMs)} after SIGTERM: sent SIGKILL`);
        closeTimer = setTimeout(() => {
          onSystem('the output pipes stayed open (held by a process outside the group): stopped reading');
          finish();
        }, pipeCloseMs);
      }, killGraceMs);
      return found;
    };
    const watch = watchStop(options.timeoutMs, options.signal, (reason) => {
      onSystem(
        reason === 'timeout'
          ? `${options.timeoutText}: sending SIGTERM to the process group`
          : 'cancelled: sending SIGTERM to the process group',
      );
      terminate();
    });
    const finish = () => {
      if (finished) return;
      finished = true;
      watch.dispose();
      clearTimeout(graceTimer);
      clearTimeout(closeTimer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({ exitCode, signal: exitSignal, stoppedBy: watch.reason, spawnError });
    };

    child.stdout?.on('data', options.onStdout);
    child.stderr?.on('data', options.onStderr);
    if (child.stdin !== null) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin);
    }
    child.on('error', (error) => {
      spawnError ??= error;
      if (pid === undefined) finish();
    });
    child.on('exit', (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      watch.dispose();
      if (graceTimer === undefined && terminate()) {
        onSystem('the command exited and left processes running in its group: sent them SIGTERM');
      }
    });
    child.on('close', finish);
  });
}
