/**
 * Applies the job file's `retention:`: once a minute after start and then every hour, the node
 * that holds the scheduler lease removes finished runs, runs' output and monitor pings older than
 * their windows, in batches (each a short transaction), for at most `budgetMs` per pass; what is
 * left waits for the next pass. Nodes that do not lead do nothing, so two nodes never race on it.
 */
import type { Retention } from '../config/index.ts';
import type { Clock, TimerHandle } from '../clock/index.ts';
import type { Logger } from '../logging/index.ts';
import type { PruneHistoryInput, Store } from '../store/index.ts';
import { logStoreError } from '../store/index.ts';

export interface HistoryPrunerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Whether this node leads (holds the scheduler lease): only the leader prunes. */
  readonly isLeader: () => boolean;
  /** Between passes; an hour by default. */
  readonly everyMs?: number;
  /** Before the first pass, so start-up is not slowed; a minute by default. */
  readonly firstAfterMs?: number;
  /** Rows of each kind per batch; 1,000 by default. */
  readonly batch?: number;
  /** Time one pass may take before it leaves the rest to the next; 30 s by default. */
  readonly budgetMs?: number;
}

export interface PruneTotals {
  runs: number;
  logs: number;
  pings: number;
}

export class HistoryPruner {
  readonly #options: HistoryPrunerOptions;
  #retention: Retention = {};
  #timer: TimerHandle | undefined;
  #pass: Promise<PruneTotals> | undefined;
  #running = false;
  #released = false;

  constructor(options: HistoryPrunerOptions) {
    this.#options = options;
  }

  start(retention: Retention): void {
    this.#retention = retention;
    this.#running = true;
    this.#arm(this.#options.firstAfterMs ?? 60_000);
  }

  /** The windows of a reloaded job file, from the next pass on. */
  setRetention(retention: Retention): void {
    this.#retention = retention;
  }

  /** One pass now (after one under way); what it removed. Nothing when not leading or nothing is set. */
  prune(): Promise<PruneTotals> {
    const pass = (this.#pass ?? Promise.resolve()).then(() => this.#prune());
    this.#pass = pass.catch(() => ({ runs: 0, logs: 0, pings: 0 }));
    return pass;
  }

  async release(): Promise<void> {
    this.#running = false;
    this.#released = true;
    if (this.#timer !== undefined) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    await this.#pass;
  }

  #arm(ms: number): void {
    if (!this.#running) return;
    this.#timer = this.#options.clock.setTimer(() => {
      this.#timer = undefined;
      void this.prune()
        .catch((thrown: unknown) => {
          logStoreError(this.#options.logger, thrown, {}, 'removing old history failed');
        })
        .finally(() => this.#arm(this.#options.everyMs ?? 3_600_000));
    }, ms);
  }

  async #prune(): Promise<PruneTotals> {
    const { store, clock, logger } = this.#options;
    const totals: PruneTotals = { runs: 0, logs: 0, pings: 0 };
    const { runsMs, logsMs, pingsMs } = this.#retention;
    if (
      (runsMs === undefined && logsMs === undefined && pingsMs === undefined) ||
      !this.#options.isLeader()
    ) {
      return totals;
    }
    const batch = this.#options.batch ?? 1000;
    const now = clock.now();
    const deadline = performance.now() + (this.#options.budgetMs ?? 30_000);
    let input: PruneHistoryInput = {
      ...(runsMs === undefined ? {} : { runsFinishedBefore: now - runsMs }),
      ...(logsMs === undefined ? {} : { logsFinishedBefore: now - logsMs }),
      ...(pingsMs === undefined ? {} : { pingsBefore: now - pingsMs }),
      limit: batch,
    };
    for (;;) {
      const removed = await store.pruneHistory(input);
      totals.runs += removed.runs;
      totals.logs += removed.logs;
      totals.pings += removed.pings;
      // A part that came back short is done; the others go on.
      input = {
        ...(removed.runs < batch ? {} : { runsFinishedBefore: input.runsFinishedBefore }),
        ...(removed.logs < batch ? {} : { logsFinishedBefore: input.logsFinishedBefore }),
        ...(removed.pings < batch ? {} : { pingsBefore: input.pingsBefore }),
        limit: batch,
      };
      const more =
        input.runsFinishedBefore !== undefined ||
        input.logsFinishedBefore !== undefined ||
        input.pingsBefore !== undefined;
      if (!more || this.#released || performance.now() > deadline) break;
    }
    if (totals.runs + totals.logs + totals.pings > 0) {
      logger.info(
        totals,
        `removed old history: ${totals.runs} runs, the output of ${totals.logs} runs, ${totals.pings} pings`,
      );
    }
    return totals;
  }
}
