import { setTimeout as sleep } from 'node:timers/promises';
import { loadJobFileText, resolveConfig } from '../../src/config/index.ts';
import type { ResolvedConfig } from '../../src/config/index.ts';
import { Engine } from '../../src/engine/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import type { ExecuteInput, RunResult } from '../../src/engine/index.ts';
import type { ManualClock } from '../../src/clock/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import type { RunRecord, Store } from '../../src/store/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

/** A store for one test, and how to get rid of it. */
export type StoreFactory = () => Promise<Store>;

/** Resolves a job file given as text (no env, no files), the way the daemon would. */
export function configOf(yaml: string, env: Record<string, string> = {}): ResolvedConfig {
  return resolveConfig(loadJobFileText(yaml, 'test.yaml', { env, kinds: builtinKinds }));
}

export const silentLogger = createLogger({ level: 'silent' });

/**
 * Work the engine hands out in tests: in-process, like the module executor. Each run waits
 * until the test lets it finish (or its signal aborts), so overlap is under the test's control.
 */
export class ControlledWork {
  readonly started: RunRecord[] = [];
  /** Held runs whose signal aborted, with the reason. */
  readonly stopped: { readonly runId: number; readonly reason: string }[] = [];
  readonly #gates = new Map<number, (result: RunResult) => void>();
  /** What runs that are not held end with. */
  autoResult: RunResult | undefined = { outcome: 'success' };
  /** Results to give, in order, instead of autoResult. */
  readonly script: RunResult[] = [];

  readonly execute = async ({ run, signal, output }: ExecuteInput): Promise<RunResult> => {
    this.started.push(run);
    output('stdout', `run ${run.id} of ${run.job} [${run.fanKey}] attempt ${run.attempt}\n`);
    const scripted = this.script.shift();
    if (scripted !== undefined) return scripted;
    if (this.autoResult !== undefined) return this.autoResult;
    return new Promise<RunResult>((resolve) => {
      this.#gates.set(run.id, resolve);
      signal.addEventListener(
        'abort',
        () => {
          this.stopped.push({ runId: run.id, reason: String(signal.reason) });
          resolve({ outcome: 'cancelled', error: String(signal.reason) });
        },
        {
          once: true,
        },
      );
    });
  };

  /** Lets a held run finish with `result`. */
  finish(runId: number, result: RunResult = { outcome: 'success' }): void {
    const gate = this.#gates.get(runId);
    if (gate === undefined) throw new Error(`run ${runId} is not being held`);
    this.#gates.delete(runId);
    gate(result);
  }

  get held(): number[] {
    return [...this.#gates.keys()];
  }
}

export interface Harness {
  readonly store: Store;
  readonly clock: ManualClock;
  readonly engine: Engine;
  readonly work: ControlledWork;
  /**
   * Moves the clock forward a second at a time, letting the engine's asynchronous work (which
   * re-arms its timers after store calls) catch up between steps.
   */
  advance(ms: number): Promise<void>;
  /** All runs, oldest first. */
  runs(job?: string): Promise<RunRecord[]>;
  release(): Promise<void>;
}

export async function startHarness(
  makeStore: StoreFactory,
  config: ResolvedConfig,
  options: {
    start: number;
    node?: string;
    runLeaseMs?: number;
    work?: ControlledWork;
    beforeStart?: (store: Store) => Promise<void>;
  },
): Promise<Harness> {
  const store = await makeStore();
  const clock = manualClock(options.start);
  const work = options.work ?? new ControlledWork();
  await options.beforeStart?.(store);
  const engine = new Engine({
    store,
    clock,
    node: options.node ?? 'node-a',
    logger: silentLogger,
    execute: work.execute,
    runLeaseMs: options.runLeaseMs ?? 30_000,
    pollMs: 1000,
  });
  await engine.start(config);
  return {
    store,
    clock,
    engine,
    work,
    async advance(ms) {
      const target = clock.now() + ms;
      while (clock.now() < target) {
        clock.advance(Math.min(1000, target - clock.now()));
        await sleep(5);
      }
    },
    async runs(job) {
      const page = await store.listRuns({ ...(job === undefined ? {} : { job }), limit: 1000 });
      return [...page.runs].reverse();
    },
    async release() {
      for (const id of work.held) work.finish(id, { outcome: 'cancelled' });
      await engine.drain(0);
      await store.release();
    },
  };
}

/** Polls until `check` returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (thrown) {
      last = thrown;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
    }
    await sleep(5);
  }
}
