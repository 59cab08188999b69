import { hostname } from 'node:os';
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readConfig } from '../config/index.ts';
import type { ResolvedConfig } from '../config/index.ts';
import { coerceError } from '../errors/index.ts';
import { Engine } from '../engine/index.ts';
import type { Clock } from '../engine/index.ts';
import { systemClock } from '../engine/index.ts';
import { createExecuteRun } from '../engine/execute-run.ts';
import type { Logger } from '../logging/index.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/index.ts';

export interface DaemonOptions {
  readonly configFile: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly storeUrl: string;
  readonly logger: Logger;
  readonly node?: string;
  readonly nodeTags?: readonly string[];
  readonly clock?: Clock;
  readonly slots?: number;
  readonly runLeaseMs?: number;
  /** Re-read the job file when it changes on disk. */
  readonly watch?: boolean;
}

/**
 * One cronplane node: the job file, the store, the engine, and reloading. `stop()` drains.
 */
export class Daemon {
  readonly options: DaemonOptions;
  readonly store: Store;
  readonly engine: Engine;
  readonly node: string;
  #config: ResolvedConfig;
  #watcher: FSWatcher | undefined;
  #reloadTimer: NodeJS.Timeout | undefined;
  #stopped = false;

  private constructor(options: DaemonOptions, config: ResolvedConfig, store: Store, node: string) {
    this.options = options;
    this.#config = config;
    this.store = store;
    this.node = node;
    this.engine = new Engine({
      store,
      clock: options.clock ?? systemClock(),
      node,
      logger: options.logger,
      execute: createExecuteRun(),
      ...(options.slots === undefined ? {} : { slots: options.slots }),
      ...(options.runLeaseMs === undefined ? {} : { runLeaseMs: options.runLeaseMs }),
      ...(options.nodeTags === undefined ? {} : { nodeTags: options.nodeTags }),
    });
  }

  get config(): ResolvedConfig {
    return this.#config;
  }

  /** Reads the job file (throws its ConfigError), opens and migrates the store, starts the engine. */
  static async start(options: DaemonOptions): Promise<Daemon> {
    const config = readConfig(options.configFile, { env: options.env });
    const store = await openStore(options.storeUrl);
    const node = options.node ?? `${hostname()}:${process.pid}`;
    const daemon = new Daemon(options, config, store, node);
    try {
      await daemon.engine.start(config);
    } catch (thrown) {
      await store.release();
      throw thrown;
    }
    if (options.watch === true) daemon.#watch();
    options.logger.info(
      { node, jobs: config.jobs.length, config: options.configFile },
      `cronplane started: ${config.jobs.length} jobs`,
    );
    return daemon;
  }

  /** Re-reads the job file; on a problem keeps the running configuration and says why. */
  async reload(): Promise<boolean> {
    const { logger } = this.options;
    try {
      const config = readConfig(this.options.configFile, { env: this.options.env });
      await this.engine.reload(config);
      this.#config = config;
      logger.info({ jobs: config.jobs.length }, 'job file reloaded');
      return true;
    } catch (thrown) {
      logger.error({ err: coerceError(thrown) }, 'job file not reloaded; the previous one stays in force');
      return false;
    }
  }

  /** Stops firing and claiming, lets running work end within `deadlineMs`, closes the store. */
  async stop(deadlineMs = 30_000): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#watcher?.close();
    if (this.#reloadTimer !== undefined) clearTimeout(this.#reloadTimer);
    await this.engine.drain(deadlineMs);
    await this.store.release();
    this.options.logger.info('cronplane stopped');
  }

  #watch(): void {
    this.#watcher = watch(this.options.configFile, () => {
      if (this.#reloadTimer !== undefined) clearTimeout(this.#reloadTimer);
      this.#reloadTimer = setTimeout(() => {
        void this.reload();
      }, 200);
    });
  }
}
