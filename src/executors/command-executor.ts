import { stat } from 'node:fs/promises';
import { SecretMask } from '../config/index.ts';
import { CronplaneError, coerceError } from '../errors/index.ts';
import { quoteForShell } from '../placeholders/index.ts';
import { buildCommandEnvironment } from './command-environment.ts';
import { commandLine } from './command-line.ts';
import type { CommandLine } from './command-line.ts';
import type { BaseEnvironment } from './command-environment.ts';
import type { CommandSpec, ExecutionRequest, PreStep, SkipCondition } from './execution-request.ts';
import { defaultKillGraceMs } from './execution-request.ts';
import type { ExecutionOutcome, ExecutionResult } from './execution-result.ts';
import type { Executor } from './executor.ts';
import { extractMetrics } from './extract-metrics.ts';
import { formatBytes, formatDuration } from './format-amount.ts';
import { LastJsonLine } from './last-json-line.ts';
import { buildLaunchPlan } from './launch-plan.ts';
import type { LaunchPlan } from './launch-plan.ts';
import { detectLimitSupport } from './limit-support.ts';
import type { LimitSupport } from './limit-support.ts';
import { OutputCapture } from './output-capture.ts';
import type { OutputSink } from './output-sink.ts';
import { planLimits } from './plan-limits.ts';
import type { LimitPlan } from './plan-limits.ts';
import { resolveIdentity } from './resolve-identity.ts';
import type { Identity } from './resolve-identity.ts';
import { createRunCgroup, runCgroupName, sweepStaleRunCgroups } from './run-cgroup.ts';
import type { RunCgroup } from './run-cgroup.ts';
import { runProcess } from './run-process.ts';
import type { ProcessEnd } from './run-process.ts';
import { TailLine } from './tail-line.ts';
import { abortReason } from './watch-stop.ts';

export interface CommandExecutorOptions {
  /** What a command's environment starts from; `minimal` (the default) or the daemon's whole environment. */
  readonly baseEnvironment?: BaseEnvironment;
  /** The daemon's environment (the base is taken from it); `process.env` by default. */
  readonly daemonEnv?: NodeJS.ProcessEnv;
  /** What the machine offers for limits; detected on first use when absent. */
  readonly limitSupport?: LimitSupport;
}

/**
 * Runs a job's command as a child process: no shell unless asked, its own process group, the
 * job's user, environment, limits and skip condition; output streamed and capped; the exit code
 * read through the job's `exitCodes`.
 */
export function createCommandExecutor(options: CommandExecutorOptions = {}): Executor<CommandSpec> {
  return new CommandExecutor(options);
}

interface Prepared {
  readonly identity: Identity;
  readonly env: Readonly<Record<string, string>>;
  readonly capture: OutputCapture;
  /** The job's secret env values, as given to this run: masked in its output and its error. */
  readonly mask: SecretMask;
  readonly limits: LimitPlan;
  readonly support: LimitSupport;
  readonly cgroup: RunCgroup | undefined;
}

class CommandExecutor implements Executor<CommandSpec> {
  readonly #options: CommandExecutorOptions;
  #support: Promise<LimitSupport> | undefined;
  #sequence = 0;

  constructor(options: CommandExecutorOptions) {
    this.#options = options;
  }

  async execute(
    request: ExecutionRequest<CommandSpec>,
    sink: OutputSink,
    signal?: AbortSignal,
  ): Promise<ExecutionResult> {
    const started = performance.now();
    const spec = request.target;
    const elapsed = () => performance.now() - started;
    if (signal?.aborted === true) {
      return {
        outcome: 'cancelled',
        error: abortReason(signal),
        durationMs: 0,
        outputBytes: 0,
        truncated: false,
      };
    }
    let prepared: Prepared;
    try {
      prepared = await this.#prepare(request, sink);
    } catch (thrown) {
      return {
        outcome: 'failure',
        error: coerceError(thrown).message,
        durationMs: elapsed(),
        outputBytes: 0,
        truncated: false,
      };
    }
    const { capture, cgroup } = prepared;
    const remaining = () =>
      request.timeoutMs === undefined ? undefined : Math.max(0, request.timeoutMs - elapsed());
    let ending: Omit<ExecutionResult, 'durationMs' | 'outputBytes' | 'truncated'> | undefined;
    try {
      ending =
        spec.condition === undefined
          ? undefined
          : await this.#checkCondition(request, spec.condition, prepared, remaining(), signal);
      for (const [index, step] of spec.pre.entries()) {
        ending ??= await this.#runPre(request, step, index, prepared, remaining(), signal);
      }
      ending ??= await this.#runMain(request, prepared, remaining(), signal);
    } catch (thrown) {
      ending = { outcome: 'failure', error: coerceError(thrown).message };
    } finally {
      capture.finish();
      await cgroup?.release();
    }
    return {
      ...ending,
      ...(ending.error === undefined ? {} : { error: prepared.mask.redact(ending.error) }),
      durationMs: elapsed(),
      outputBytes: capture.bytes,
      truncated: capture.truncated,
    };
  }

  async #prepare(request: ExecutionRequest<CommandSpec>, sink: OutputSink): Promise<Prepared> {
    const spec = request.target;
    const identity = await resolveIdentity(spec.user, spec.group);
    const { env, secrets } = await buildCommandEnvironment(
      request,
      identity,
      this.#options.baseEnvironment ?? 'minimal',
      this.#options.daemonEnv,
    );
    if (spec.cwd !== undefined) await checkDirectory(spec.cwd);
    const mask = SecretMask.of([...secrets, ...(request.secretValues ?? [])]);
    const capture = new OutputCapture(sink, request.captureLimitBytes, mask);
    const support = await this.#limitSupport();
    let limits = planLimits(spec.limits, support, identity);
    let cgroup: RunCgroup | undefined;
    if (limits.cgroup !== undefined && support.cgroup !== undefined) {
      try {
        cgroup = await createRunCgroup(support.cgroup, this.#cgroupName(request.runId), limits.cgroup);
      } catch (thrown) {
        const problem = `making the run's cgroup failed: ${coerceError(thrown).message}`;
        limits = planLimits(spec.limits, { ...support, cgroup: undefined, cgroupProblem: problem }, identity);
      }
    }
    for (const note of [...(cgroup?.applied ?? []), ...limits.notes]) capture.system(`limit: ${note}`);
    return { identity, env, capture, mask, limits, support, cgroup };
  }

  async #checkCondition(
    request: ExecutionRequest<CommandSpec>,
    condition: SkipCondition,
    prepared: Prepared,
    remainingMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Omit<ExecutionResult, 'durationMs' | 'outputBytes' | 'truncated'> | undefined> {
    const { capture } = prepared;
    const line = commandLine(condition.argv, condition.shell, request.params);
    const ownTimeout =
      condition.timeoutMs !== undefined && (remainingMs === undefined || condition.timeoutMs < remainingMs);
    const timeoutMs = ownTimeout ? condition.timeoutMs : remainingMs;
    const timeoutText = ownTimeout
      ? `the skip condition timed out after ${formatDuration(condition.timeoutMs ?? 0)}`
      : `timed out after ${formatDuration(request.timeoutMs ?? 0)} in the skip condition`;
    capture.system(`skip condition: ${describe(line.command)}`);
    const { end, tail } = await this.#runStep(request, prepared, line, signal, timeoutMs, timeoutText);
    if (end.spawnError !== undefined) {
      return { outcome: 'failure', error: `the skip condition could not start: ${end.spawnError.message}` };
    }
    if (end.stoppedBy === 'timeout') return { outcome: 'timed_out', error: timeoutText };
    if (end.stoppedBy === 'abort') return { outcome: 'cancelled', error: abortReason(signal) };
    if (end.signal !== null) {
      return {
        outcome: 'failure',
        signal: end.signal,
        error: `the skip condition was killed by ${end.signal}`,
      };
    }
    const code = end.exitCode ?? 255;
    if (code === 0) {
      capture.system('skip condition exited 0: running the job');
      return undefined;
    }
    if (code === 255) {
      return {
        outcome: 'failure',
        error: 'the skip condition exited 255 (a failure, as systemd ExecCondition=)',
      };
    }
    const reason = tail.value;
    capture.system(`skip condition exited ${code}: nothing to do, the job is skipped`);
    return {
      outcome: 'skip',
      error: `skip condition exited ${code}${reason === undefined ? '' : `: ${reason}`}`,
    };
  }

  /** One `pre:` command; undefined when it exits 0, else how the run ends (the main command does not start). */
  async #runPre(
    request: ExecutionRequest<CommandSpec>,
    step: PreStep,
    index: number,
    prepared: Prepared,
    remainingMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Omit<ExecutionResult, 'durationMs' | 'outputBytes' | 'truncated'> | undefined> {
    const { capture } = prepared;
    if (signal?.aborted === true) return { outcome: 'cancelled', error: abortReason(signal) };
    const line = commandLine(step.argv, step.shell, request.params);
    const name = `pre step ${index + 1}`;
    const timeoutText = `timed out after ${formatDuration(request.timeoutMs ?? 0)} in ${name}`;
    capture.system(`${name}: ${describe(line.command)}`);
    const { end, tail } = await this.#runStep(request, prepared, line, signal, remainingMs, timeoutText);
    const last = tail.value === undefined ? '' : `: ${tail.value}`;
    if (end.spawnError !== undefined) {
      return { outcome: 'failure', error: `${name} could not start: ${end.spawnError.message}` };
    }
    if (end.stoppedBy === 'timeout') return { outcome: 'timed_out', error: timeoutText };
    if (end.stoppedBy === 'abort') return { outcome: 'cancelled', error: abortReason(signal) };
    if (end.signal !== null) {
      return { outcome: 'failure', signal: end.signal, error: `${name} was killed by ${end.signal}${last}` };
    }
    const code = end.exitCode ?? 255;
    if (code === 0) return undefined;
    capture.system(`${name} exited ${code}: the command does not run`);
    return { outcome: 'failure', error: `${name} exited ${code}${last}` };
  }

  /** A step before the main command (the skip condition, a pre: step): no stdin, output kept, its last line remembered. */
  async #runStep(
    request: ExecutionRequest<CommandSpec>,
    prepared: Prepared,
    line: ReturnType<typeof commandLine>,
    signal: AbortSignal | undefined,
    timeoutMs: number | undefined,
    timeoutText: string,
  ) {
    const { capture } = prepared;
    const tail = new TailLine();
    const end = await runProcess({
      ...this.#processOptions(request, prepared, line, signal),
      stdin: undefined,
      onStdout: (chunk) => {
        capture.write('stdout', chunk);
        tail.push(chunk);
      },
      onStderr: (chunk) => {
        capture.write('stderr', chunk);
        tail.push(chunk);
      },
      timeoutMs,
      timeoutText,
    });
    return { end, tail };
  }

  async #runMain(
    request: ExecutionRequest<CommandSpec>,
    prepared: Prepared,
    remainingMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Omit<ExecutionResult, 'durationMs' | 'outputBytes' | 'truncated'>> {
    const spec = request.target;
    const { capture, cgroup } = prepared;
    if (signal?.aborted === true) return { outcome: 'cancelled', error: abortReason(signal) };
    const metrics = spec.metricsFromStdout ? new LastJsonLine() : undefined;
    const line = commandLine(spec.argv, spec.shell, request.params);
    const end = await runProcess({
      ...this.#processOptions(request, prepared, line, signal),
      stdin: request.payload === undefined ? undefined : JSON.stringify(request.payload),
      onStdout: (chunk) => {
        capture.write('stdout', chunk);
        metrics?.push(chunk);
      },
      onStderr: (chunk) => capture.write('stderr', chunk),
      timeoutMs: remainingMs,
      timeoutText: `timed out after ${formatDuration(request.timeoutMs ?? 0)}`,
    });
    metrics?.end();
    const reported = metrics === undefined ? undefined : extractMetrics(metrics.value);
    const withMetrics = reported === undefined ? {} : { metrics: reported };
    const oomKills = cgroup === undefined ? 0 : await cgroup.oomKills();
    const oom =
      oomKills === 0 || spec.limits.memoryBytes === undefined
        ? ''
        : `; the kernel OOM killer stopped it at the memory limit of ${formatBytes(spec.limits.memoryBytes)}`;
    return { ...interpretEnd(end, spec, line.command, request.timeoutMs, signal, oom), ...withMetrics };
  }

  #processOptions(
    request: ExecutionRequest<CommandSpec>,
    prepared: Prepared,
    line: CommandLine,
    signal: AbortSignal | undefined,
  ) {
    const { capture, cgroup, limits, support, identity } = prepared;
    const plan: LaunchPlan = buildLaunchPlan(line.command, {
      identity,
      support,
      rlimits: limits.rlimits,
      systemdProperties: limits.systemdProperties,
      cgroupProcs: cgroup?.procsFiles ?? [],
    });
    for (const note of plan.notes) capture.system(`limit: ${note}`);
    return {
      plan,
      env: { ...prepared.env, ...line.env },
      cwd: request.target.cwd,
      signal,
      killGraceMs: request.killGraceMs ?? defaultKillGraceMs,
      cgroup,
      onSystem: (line: string) => capture.system(line),
    };
  }

  #limitSupport(): Promise<LimitSupport> {
    const given = this.#options.limitSupport;
    if (given !== undefined) return Promise.resolve(given);
    return (this.#support ??= detectAndSweep());
  }

  #cgroupName(runId: string): string {
    this.#sequence++;
    return runCgroupName(runId, this.#sequence);
  }
}

async function detectAndSweep(): Promise<LimitSupport> {
  const support = await detectLimitSupport();
  if (support.cgroup !== undefined) await sweepStaleRunCgroups(support.cgroup).catch(() => undefined);
  return support;
}

function describe(command: readonly string[]): string {
  return command.map((word) => quoteForShell(word)).join(' ');
}

function interpretEnd(
  end: ProcessEnd,
  spec: CommandSpec,
  command: readonly string[],
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
  oom: string,
): Omit<ExecutionResult, 'durationMs' | 'outputBytes' | 'truncated'> {
  const how = {
    ...(end.exitCode === null ? {} : { exitCode: end.exitCode }),
    ...(end.signal === null ? {} : { signal: end.signal }),
  };
  if (end.spawnError !== undefined) {
    return { outcome: 'failure', error: `cannot start ${command[0] ?? ''}: ${end.spawnError.message}` };
  }
  if (end.stoppedBy === 'timeout') {
    return { outcome: 'timed_out', ...how, error: `timed out after ${formatDuration(timeoutMs ?? 0)}` };
  }
  if (end.stoppedBy === 'abort') return { outcome: 'cancelled', ...how, error: abortReason(signal) };
  if (end.signal !== null) return { outcome: 'failure', ...how, error: `killed by ${end.signal}${oom}` };
  const code = end.exitCode ?? 0;
  const outcome: ExecutionOutcome = spec.exitCodes.get(code) ?? (code === 0 ? 'success' : 'failure');
  if (outcome === 'success') return { outcome, ...how };
  return { outcome, ...how, error: `exit code ${code}${oom}` };
}

async function checkDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info?.isDirectory() !== true) {
    throw new CronplaneError(
      'executor.cwd',
      `the working directory ${dir} does not exist or is not a directory`,
    );
  }
}
