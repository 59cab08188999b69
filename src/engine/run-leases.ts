import { defaultKillGraceMs } from '../executors/index.ts';
import { logStoreError } from '../store/index.ts';
import type { TimerHandle } from '../clock/index.ts';
import { LeaseFence } from './lease-fence.ts';
import { RunPhase } from './tracked-run.ts';
import type { TrackedRun } from './tracked-run.ts';
import type { WorkerOptions } from './worker-options.ts';
import { runLeaseMs } from './worker-options.ts';

/**
 * The leases of the runs a worker holds: renewed every third of the lease while the worker runs
 * or holds runs; runs the store no longer grants (cancelled elsewhere, lease lost) are stopped;
 * runs whose lease could not be renewed are stopped before it expires (fencing).
 */
export class RunLeases {
  readonly #options: WorkerOptions;
  readonly #runs: ReadonlyMap<number, TrackedRun>;
  readonly #abort: (runIds: readonly number[], reason: string) => void;
  readonly #running: () => boolean;
  /** Stops runs whose lease is about to end unrenewed. */
  readonly #fence: LeaseFence;
  #renewTimer: TimerHandle | undefined;

  constructor(input: {
    readonly options: WorkerOptions;
    /** The runs the worker holds, in any phase. */
    readonly runs: ReadonlyMap<number, TrackedRun>;
    /** Stops runs (the worker's `abort`). */
    readonly abort: (runIds: readonly number[], reason: string) => void;
    /** Whether the worker still claims (renewal goes on while it holds runs either way). */
    readonly running: () => boolean;
  }) {
    const { options } = input;
    this.#options = options;
    this.#runs = input.runs;
    this.#abort = input.abort;
    this.#running = input.running;
    this.#fence = new LeaseFence({
      clock: options.clock,
      marginMs: options.fenceMarginMs ?? Math.min(defaultKillGraceMs + 1000, runLeaseMs(options) / 2),
      onExpiring: (runIds) => this.#fenceRuns(runIds),
    });
  }

  /** Starts renewing. */
  start(): void {
    this.#scheduleRenew();
  }

  /** A run was claimed with a lease until `until`. */
  hold(runId: number, until: number): void {
    this.#fence.hold([runId], until);
  }

  /** The run's work is over: no longer fenced. */
  drop(runId: number): void {
    this.#fence.drop(runId);
  }

  release(): void {
    if (this.#renewTimer !== undefined) this.#options.clock.clearTimer(this.#renewTimer);
    this.#renewTimer = undefined;
    this.#fence.release();
  }

  #scheduleRenew(): void {
    const { clock } = this.#options;
    this.#renewTimer = clock.setTimer(
      () => {
        void this.#renew().finally(() => {
          if (this.#running() || this.#runs.size > 0) this.#scheduleRenew();
        });
      },
      runLeaseMs(this.#options) / 3,
    );
  }

  async #renew(): Promise<void> {
    const { store, clock, node, logger } = this.#options;
    const ids = [...this.#runs.keys()];
    if (ids.length === 0) return;
    try {
      const until = clock.now() + runLeaseMs(this.#options);
      const held = new Set(await store.renewLeases(node, ids, until));
      this.#fence.renewed([...held], until);
      const gone = ids.filter((id) => !held.has(id) && this.#runs.get(id)?.phase !== RunPhase.finishing);
      if (gone.length > 0) this.#abort(gone, 'the run was cancelled or its lease was lost');
    } catch (thrown) {
      logStoreError(logger, thrown, {}, 'renewing run leases failed');
    }
  }

  /**
   * Runs whose lease is about to end unrenewed (the store is away): stopped now, their process
   * groups killed, their end left unrecorded; another node's sweep marks them lost once the lease
   * has expired and retries them per their policy.
   */
  #fenceRuns(runIds: readonly number[]): void {
    const { logger, node } = this.#options;
    const stopping: number[] = [];
    for (const id of runIds) {
      const tracked = this.#runs.get(id);
      if (tracked === undefined || tracked.phase === RunPhase.finishing) continue;
      tracked.fenced = true;
      stopping.push(id);
    }
    if (stopping.length === 0) return;
    logger.error(
      { node, runs: stopping },
      `stopping ${stopping.length} run(s): their lease could not be renewed and is about to expire (fencing)`,
    );
    this.#abort(stopping, 'fenced: the lease could not be renewed (the store is unreachable)');
  }
}
