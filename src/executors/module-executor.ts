import { pathToFileURL } from 'node:url';
import { CronplaneError, coerceError } from '../errors/index.ts';
import type { ExecutionRequest, ModuleSpec } from './execution-request.ts';
import { defaultKillGraceMs } from './execution-request.ts';
import type { ExecutionOutcome, ExecutionResult } from './execution-result.ts';
import type { Executor } from './executor.ts';
import { extractMetrics, isPlainObject } from './extract-metrics.ts';
import { formatBytes, formatDuration } from './format-amount.ts';
import type { OutputSink, OutputStream } from './output-sink.ts';
import { SecretMask } from '../config/index.ts';
import { abortReason, watchStop } from './watch-stop.ts';
import type { StopReason } from './watch-stop.ts';

/** What a module's function is called with. */
export interface ModuleContext {
  readonly runId: string;
  readonly job: string;
  readonly attempt: number;
  readonly params: Readonly<Record<string, string>>;
  readonly payload: unknown;
  readonly dryRun: boolean;
  /** Aborted on timeout, cancel, replace or shutdown: stop soon after. */
  readonly signal: AbortSignal;
  /** Appends a line to the run's output (stdout), within the capture limit. */
  readonly log: (line: string) => void;
}

/** What a module's function may return (anything else counts as success without metrics). */
export interface ModuleReturn {
  readonly outcome?: 'success' | 'warning' | 'failure' | 'critical' | 'skip';
  /** Why, when the outcome is not success. */
  readonly reason?: string;
  /** Numbers to record for the run; non-numeric fields are ignored. */
  readonly metrics?: Readonly<Record<string, unknown>>;
}

export type ModuleFunction = (context: ModuleContext) => unknown;

/**
 * Calls an exported function of a JavaScript or TypeScript module in this process. The module
 * is imported once per path; a call costs one context object, a result and a promise (an abort
 * signal adds a listener and the function gets it as is; a timeout adds a controller and a timer).
 * A thrown error is a failure with its
 * message. On timeout or abort the function's signal is aborted and it gets the kill grace to
 * settle; then the run ends as timed_out or cancelled even if the function keeps running.
 */
export function createModuleExecutor(): ModuleExecutor {
  return new ModuleExecutor();
}

type Ending = Omit<ExecutionResult, 'durationMs' | 'outputBytes' | 'truncated'>;

export class ModuleExecutor implements Executor<ModuleSpec> {
  readonly #byTarget = new WeakMap<ModuleSpec, ModuleFunction>();
  readonly #byPath = new Map<string, Promise<Record<string, unknown>>>();

  async execute(
    request: ExecutionRequest<ModuleSpec>,
    sink: OutputSink,
    signal?: AbortSignal,
  ): Promise<ExecutionResult> {
    const started = performance.now();
    const context = new RunContext(request, sink);
    let ending: Ending;
    try {
      const fn = this.#byTarget.get(request.target) ?? (await this.#load(request.target));
      if (request.timeoutMs !== undefined || signal?.aborted === true) {
        ending = await callWatched(fn, context, request, sink, signal);
      } else {
        ending =
          signal === undefined
            ? interpretReturn(await fn(context))
            : await callUntilAborted(fn, context, request, sink, signal);
      }
    } catch (thrown) {
      ending = { outcome: 'failure', error: coerceError(thrown).message };
    }
    if (ending.error !== undefined) ending = { ...ending, error: context.masked(ending.error) };
    return {
      ...ending,
      durationMs: performance.now() - started,
      outputBytes: context.outputBytes,
      truncated: context.truncated,
    };
  }

  /** Forgets loaded modules (a later run imports them again only if Node's own cache lets go). */
  release(): void {
    this.#byPath.clear();
  }

  async #load(target: ModuleSpec): Promise<ModuleFunction> {
    let loading = this.#byPath.get(target.path);
    if (loading === undefined) {
      loading = import(pathToFileURL(target.path).href) as Promise<Record<string, unknown>>;
      this.#byPath.set(target.path, loading);
    }
    let namespace: Record<string, unknown>;
    try {
      namespace = await loading;
    } catch (thrown) {
      this.#byPath.delete(target.path);
      throw new CronplaneError(
        'executor.module',
        `cannot load module ${target.path}: ${coerceError(thrown).message}`,
      );
    }
    const fn = namespace[target.exportName];
    if (typeof fn !== 'function') {
      const names = Object.keys(namespace).filter((name) => typeof namespace[name] === 'function');
      throw new CronplaneError(
        'executor.module',
        `module ${target.path} has no function export "${target.exportName}" (its function exports: ${names.length === 0 ? 'none' : names.join(', ')})`,
      );
    }
    this.#byTarget.set(target, fn as ModuleFunction);
    return fn as ModuleFunction;
  }
}

/**
 * A call without a time limit: only the run's abort stops it. The function gets the run's own
 * signal, and the call waits for its end or the abort with one listener (no controller, timer or
 * race of its own: the engine makes one such call per run).
 */
function callUntilAborted(
  fn: ModuleFunction,
  context: RunContext,
  request: ExecutionRequest<ModuleSpec>,
  sink: OutputSink,
  signal: AbortSignal,
): Promise<Ending> {
  context.signal = signal;
  const work = settle(fn, context);
  return new Promise<Ending>((resolve) => {
    const onAbort = (): void => resolve(afterStop('abort', work, request, sink, signal));
    signal.addEventListener('abort', onAbort, { once: true });
    void work.then((settled) => {
      signal.removeEventListener('abort', onAbort);
      resolve(endingOf(settled));
    });
  });
}

/** A call with a time limit (or whose run was aborted before it began). */
async function callWatched(
  fn: ModuleFunction,
  context: RunContext,
  request: ExecutionRequest<ModuleSpec>,
  sink: OutputSink,
  signal: AbortSignal | undefined,
): Promise<Ending> {
  const controller = new AbortController();
  context.signal = controller.signal;
  let onStop: (reason: StopReason) => void = () => undefined;
  const stopped = new Promise<StopReason>((resolve) => (onStop = resolve));
  const watch = watchStop(request.timeoutMs, signal, (reason) => {
    controller.abort(
      reason === 'timeout' ? new DOMException('the run timed out', 'TimeoutError') : signal?.reason,
    );
    onStop(reason);
  });
  const work = settle(fn, context);
  try {
    const first = await Promise.race([work, stopped]);
    return typeof first === 'object' ? endingOf(first) : await afterStop(first, work, request, sink, signal);
  } finally {
    watch.dispose();
  }
}

/** The function called, its return or throw as a value (a synchronous throw included). */
function settle(fn: ModuleFunction, context: RunContext): Promise<Settled> {
  return (async () => fn(context))().then(
    (value): Settled => ({ value, error: undefined }),
    (thrown: unknown): Settled => ({ value: undefined, error: coerceError(thrown) }),
  );
}

function endingOf(settled: Settled): Ending {
  return settled.error === undefined
    ? interpretReturn(settled.value)
    : { outcome: 'failure', error: settled.error.message };
}

/**
 * The function was told to stop (its signal aborted): it gets the kill grace to settle, and the
 * run ends as timed out or cancelled either way.
 */
async function afterStop(
  reason: StopReason,
  work: Promise<Settled>,
  request: ExecutionRequest<ModuleSpec>,
  sink: OutputSink,
  signal: AbortSignal | undefined,
): Promise<Ending> {
  const grace = request.killGraceMs ?? defaultKillGraceMs;
  let timer: NodeJS.Timeout | undefined;
  const settledInTime = await Promise.race([
    work.then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), grace))),
  ]);
  clearTimeout(timer);
  if (!settledInTime) {
    send(
      sink,
      'system',
      `the function did not settle within ${formatDuration(grace)} of the abort: it is left running\n`,
    );
  }
  return reason === 'timeout'
    ? { outcome: 'timed_out', error: `timed out after ${formatDuration(request.timeoutMs ?? 0)}` }
    : { outcome: 'cancelled', error: abortReason(signal) };
}

/** How the function's call ended, when it did. */
interface Settled {
  readonly value: unknown;
  readonly error: Error | undefined;
}

const jobOutcomes: readonly string[] = [
  'success',
  'warning',
  'failure',
  'critical',
  'skip',
] satisfies ExecutionOutcome[];

function interpretReturn(value: unknown): Ending {
  if (!isPlainObject(value)) return { outcome: 'success' };
  const metrics = isPlainObject(value['metrics']) ? extractMetrics(value['metrics']) : undefined;
  const withMetrics = metrics === undefined ? {} : { metrics };
  const outcome = value['outcome'];
  if (outcome === undefined || outcome === 'success') return { outcome: 'success', ...withMetrics };
  if (typeof outcome !== 'string' || !jobOutcomes.includes(outcome)) {
    return {
      outcome: 'failure',
      error: `the function returned the unknown outcome ${JSON.stringify(outcome)}: expected one of ${jobOutcomes.join(', ')}`,
      ...withMetrics,
    };
  }
  const reason = value['reason'];
  return {
    outcome: outcome as ExecutionOutcome,
    error: typeof reason === 'string' ? reason : `the function returned outcome ${outcome}`,
    ...withMetrics,
  };
}

let neverAborted: AbortSignal | undefined;

/** The one object a call allocates: the context, which also counts the run's output. */
class RunContext implements ModuleContext {
  readonly runId: string;
  readonly job: string;
  readonly attempt: number;
  readonly params: Readonly<Record<string, string>>;
  readonly payload: unknown;
  readonly dryRun: boolean;
  signal: AbortSignal;
  outputBytes = 0;
  truncated = false;
  readonly #sink: OutputSink;
  readonly #limit: number;
  /** The run's secret parameter values, masked in what the function logs (line by line). */
  readonly #mask: SecretMask | undefined;
  #log: ((line: string) => void) | undefined;
  #kept = 0;

  constructor(request: ExecutionRequest<ModuleSpec>, sink: OutputSink) {
    this.runId = request.runId;
    this.job = request.job;
    this.attempt = request.attempt;
    this.params = request.params;
    this.payload = request.payload;
    this.dryRun = request.dryRun;
    this.signal = neverAborted ??= new AbortController().signal;
    this.#sink = sink;
    this.#limit = request.captureLimitBytes;
    const secrets = request.secretValues;
    this.#mask = secrets === undefined || secrets.length === 0 ? undefined : SecretMask.of(secrets);
  }

  /** Made on first use only, and bound, so `const { log } = context` works. */
  get log(): (line: string) => void {
    return (this.#log ??= (line: string) => this.#write(line));
  }

  #write(line: string): void {
    const text = line.endsWith('\n') ? line : `${line}\n`;
    const bytes = Buffer.byteLength(text);
    this.outputBytes += bytes;
    if (this.truncated) return;
    if (this.#kept + bytes > this.#limit) {
      this.truncated = true;
      send(
        this.#sink,
        'system',
        `output reached the capture limit of ${formatBytes(this.#limit)}: the rest is counted but not kept\n`,
      );
      return;
    }
    this.#kept += bytes;
    send(this.#sink, 'stdout', this.#mask === undefined ? text : this.#mask.redact(text));
  }

  /** An error message with the run's secret parameter values masked. */
  masked(text: string): string {
    return this.#mask === undefined ? text : this.#mask.redact(text);
  }
}

function send(sink: OutputSink, stream: OutputStream, text: string): void {
  try {
    sink.onOutput(stream, text);
  } catch {
    // A failing sink loses this line; the run goes on.
  }
}
