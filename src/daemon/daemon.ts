import { checkAfterApiJobs, configMask, jobFileHash, readConfig, resolveJobEntry } from '../config/index.ts';
import type { SecretMask } from '../config/index.ts';
import { HistoryPruner } from './history-pruner.ts';
import { JobFileWatch } from './job-file-watch.ts';
import { collectBetweenLoadSteps, returnFreeMemoryAfterLoad } from './return-free-memory.ts';
import { daemonReadOptions } from './daemon-read-options.ts';
import { RunLines } from './run-lines.ts';
import type { ResolvedConfig } from '../config/index.ts';
import { coerceError } from '../errors/index.ts';
import { ApiJobFeed, Engine, jobsInForce, leaderLeaseName } from '../engine/index.ts';
import { NodePresence, nodeIdentity } from '../cluster/index.ts';
import type { NodeIdentity } from '../cluster/index.ts';
import type { Clock } from '../clock/index.ts';
import { systemClock } from '../clock/index.ts';
import { createExecuteRun } from '../engine/index.ts';
import { ApiServer, createDaemonMetrics, cronplaneVersion, instrumentStore } from '../api/index.ts';
import type {
  AuthFailureLimit,
  DaemonMetrics,
  ListenSetting,
  LiveStreamLimit,
  RateLimit,
} from '../api/index.ts';
import type { Logger } from '../logging/index.ts';
import { bootstrapTokenOf, defaultSettings, listenOf } from '../settings/index.ts';
import { Alerter, NotificationGrouper } from '../alerts/index.ts';
import { GuardWatch, JobWatch, MonitorWatch, RunWatch, StuckWatch, WatcherFeed } from '../watchers/index.ts';
import type { Watcher } from '../watchers/index.ts';
import { Outbox, channelsOf } from '../notify/index.ts';
import type { Channel, DeliverOptions } from '../notify/index.ts';
import { QueueDrainer } from '../queue/index.ts';
import { StoreHealth, openStore, watchStoreHealth } from '../store/index.ts';
import type { NodeRole, Store } from '../store/index.ts';
import { builtinKinds } from '../kinds/index.ts';

export interface DaemonOptions {
  readonly configFile: string;
  /**
   * The job file as already read from `configFile` (start reads it once, to resolve its
   * settings); read here when absent. Reloads read `configFile` again.
   */
  readonly config?: ResolvedConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly storeUrl: string;
  readonly logger: Logger;
  /** This node's name (a label; one live process per name); the host name by default. */
  readonly node?: string;
  readonly nodeTags?: readonly string[];
  /** What this node does: `all` (default), `scheduler` (leads, never claims) or `worker` (claims, never leads). */
  readonly role?: NodeRole;
  /** How often this node writes its heartbeat; 1 s by default. */
  readonly heartbeatMs?: number;
  /** How long a silent node counts as alive (then its leases are taken at once); 5 s by default. */
  readonly nodeStaleMs?: number;
  readonly clock?: Clock;
  readonly slots?: number;
  readonly runLeaseMs?: number;
  /** The scheduler leader lease (default 1,500 ms), renewed every third of it. */
  readonly leaderLeaseMs?: number;
  /** How often a follower tries to take the leader lease (default 250 ms). */
  readonly leaderPollMs?: number;
  /** Re-read the job file when it changes on disk (edits, replaces, deletes, re-creates). */
  readonly watch?: boolean;
  /** How long the job file's folder must be quiet before a change is applied; 200 ms by default. */
  readonly watchSettleMs?: number;
  /**
   * Where the API listens: resolved by the settings, or `HOST:PORT`, `:PORT` or `off`; else the
   * job file's `server.listen`, else 127.0.0.1:7070.
   */
  readonly listen?: string | ListenSetting;
  /** An admin token for the API; CRONPLANE_TOKEN of `env` when absent. */
  readonly bootstrapToken?: string;
  /** Requests per token per window (default 6,000 a minute). */
  readonly apiRateLimit?: RateLimit;
  /** Pings per source address per window (default 1,200 a minute). */
  readonly pingRateLimit?: RateLimit;
  /** How often the node looks for API jobs written on other nodes without a signal (default 500 ms). */
  readonly apiJobPollMs?: number;
  /** How often a followed run's output is looked for (tests make it quick). */
  readonly ssePollMs?: number;
  /** How long a dashboard session lasts from sign-in (default 12 hours; tests make it short). */
  readonly sessionTtlMs?: number;
  /** Where the built dashboard is (the package's web/dist/ unless said otherwise). */
  readonly dashboardDir?: string;
  /** Failed authentications per client address (default 20 in a burst, then one every 10 s). */
  readonly authFailureLimit?: AuthFailureLimit;
  /** Live-log streams open at once (default 10 per token, 200 in all). */
  readonly liveStreamLimit?: LiveStreamLimit;
  /** How deliveries are tried (tests shorten the retries); the default policy otherwise. */
  readonly delivery?: Pick<DeliverOptions, 'policy' | 'sleep' | 'fetch'>;
  /** How often the job watch looks (expect_success_within, reminders, the scheduler); 30 s by default. */
  readonly watchEveryMs?: number;
  /** How long stopping waits for notifications under way, after the engine drained; 10 s by default. */
  readonly notifyGraceMs?: number;
}

/**
 * One cronplane node: the job file, the store, the engine, and reloading. `stop()` drains.
 */
export class Daemon {
  readonly options: DaemonOptions;
  readonly store: Store;
  readonly engine: Engine;
  /** Keeps the jobs defined through the API (on any node) in this node's engine. */
  readonly apiJobs: ApiJobFeed;
  readonly node: string;
  readonly clock: Clock;
  readonly metrics: DaemonMetrics;
  readonly drainer: QueueDrainer;
  readonly stuckWatch: StuckWatch;
  /** Deliveries of notifications: never blocks, drained with a grace on stop. */
  readonly outbox: Outbox;
  /** Incidents → events → notifications; the watchers (and guards, monitors) raise through it. */
  readonly alerter: Alerter;
  /** Between the alerter and the outbox: what is told in one `alerts.group_window` goes out as one message. */
  readonly grouper: NotificationGrouper;
  /** Run outcomes; more run-end checks (metric guards) join with `runWatch.addCheck`. */
  readonly runWatch: RunWatch;
  /** Metric guards, judged after each run's end as a `RunWatch` check. */
  readonly guardWatch: GuardWatch;
  readonly jobWatch: JobWatch;
  readonly historyPruner: HistoryPruner;
  readonly monitorWatch: MonitorWatch;
  /**
   * Every watcher, in the order they start and reload: the monitor watch first, since its store
   * sync may refuse a reloaded file before anything else took it.
   */
  readonly watchers: readonly Watcher[];
  /** Whether the store can be written, as every loop of this node finds it (logs away/back once; /readyz). */
  readonly storeHealth: StoreHealth;
  /** This process in the nodes table: heartbeat, drain, role and job-file gates. */
  readonly presence: NodePresence;
  #server: ApiServer | undefined;
  #config: ResolvedConfig;
  /** The job file API jobs resolve against: the one in force, or the one a reload is applying. */
  #apiJobBase: ResolvedConfig;
  /** The job file's hash as the cluster compares it, computed once per load (100,000 jobs take tens of ms). */
  #configHash: string;
  #mask: SecretMask;
  #fileWatch: JobFileWatch | undefined;
  #reloads: Promise<unknown> = Promise.resolve();
  #stopping = false;
  /** The channels of the job file in force (the grouper asks which track incidents). */
  #channels: ReadonlyMap<string, Channel> = new Map();
  #stopped = false;

  private constructor(
    options: DaemonOptions,
    config: ResolvedConfig,
    store: Store,
    identity: NodeIdentity,
    metrics: DaemonMetrics,
    storeHealth: StoreHealth,
  ) {
    const node = identity.name;
    this.options = options;
    this.storeHealth = storeHealth;
    this.#config = config;
    this.#apiJobBase = config;
    this.#configHash = jobFileHash(config.jobs);
    this.#mask = configMask(config, options.env);
    this.store = store;
    this.node = node;
    this.metrics = metrics;
    const clock = options.clock ?? systemClock();
    this.clock = clock;
    const slots = options.slots ?? defaultSettings.slots;
    this.presence = new NodePresence({
      store,
      clock,
      logger: options.logger,
      identity,
      version: cronplaneVersion(),
      role: options.role ?? 'all',
      tags: options.nodeTags ?? [],
      slots,
      leaderLease: leaderLeaseName,
      configHash: () => this.#configHash,
      slotsInUse: () => this.engine.worker.activeCount,
      onStepDown: async () => {
        await this.engine.scheduler.stepDown();
        await this.drainer.stepDown();
      },
      onResume: () => this.engine.worker.wake(),
      ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
      ...(options.nodeStaleMs === undefined ? {} : { staleMs: options.nodeStaleMs }),
    });
    const presence = this.presence;
    const channels = channelsOfConfig(config);
    this.outbox = new Outbox({
      channels,
      ...options.delivery,
      logger: options.logger,
      onReport: (report) => this.alerter.onDeliveryReport(report),
    });
    this.grouper = new NotificationGrouper({
      outbox: this.outbox,
      clock,
      windowMs: config.alerts.groupWindowMs,
      waitMs: config.alerts.groupWaitMs,
      groups: (name) => this.#channels.get(name)?.definition.tracksIncidents !== true,
    });
    this.#channels = channels;
    this.alerter = new Alerter({
      store,
      clock,
      logger: options.logger,
      outbox: this.grouper,
      mask: () => this.#mask,
    });
    this.alerter.setConfig(config, channels);
    this.guardWatch = new GuardWatch({ store, clock, incidents: this.alerter, logger: options.logger });
    this.runWatch = new RunWatch({
      store,
      alerter: this.alerter,
      logger: options.logger,
      checks: [this.guardWatch.onRunEnded],
    });
    // A line per run start and end in the log: what `npm start` shows as runs happen.
    const runLines = new RunLines(options.logger);
    this.engine = new Engine({
      incidents: this.alerter,
      onRunStarted: runLines.started,
      onRunEnded: async (end) => {
        runLines.ended(end);
        await this.runWatch.onRunEnded(end);
      },
      store,
      clock,
      node,
      logger: options.logger,
      execute: createExecuteRun({ mask: () => this.#mask }),
      instanceId: identity.instanceId,
      mayLead: () => presence.mayLead(),
      onLead: () => presence.beat(),
      mayClaim: () => presence.mayClaim(),
      maySyncJobs: () => presence.maySyncJobs(),
      // A job written through the API is alerted on, watched and drained like one of the file.
      onApiJobsApplied: (changed, removed) => {
        this.alerter.applyJobChanges(changed, removed);
        this.drainer.applyJobChanges(changed, removed);
        for (const watcher of this.watchers) watcher.applyJobChanges(changed, removed);
      },
      slots,
      ...(options.runLeaseMs === undefined ? {} : { runLeaseMs: options.runLeaseMs }),
      ...(options.leaderLeaseMs === undefined ? {} : { leaderLeaseMs: options.leaderLeaseMs }),
      ...(options.leaderPollMs === undefined ? {} : { leaderPollMs: options.leaderPollMs }),
      ...(options.nodeTags === undefined ? {} : { nodeTags: options.nodeTags }),
    });
    this.apiJobs = new ApiJobFeed({
      store,
      clock,
      logger: options.logger,
      resolve: (name, entry) => {
        const base = this.#apiJobBase.loaded;
        if (base === undefined) throw new Error('the job file in force was not read from a file');
        return resolveJobEntry(base, name, entry);
      },
      apply: (upserts, removes) => this.engine.applyApiJobs(upserts, removes),
      versionHeld: (name) => this.engine.apiJobVersion(name),
      ...(options.apiJobPollMs === undefined ? {} : { pollMs: options.apiJobPollMs }),
    });
    this.drainer = new QueueDrainer({
      store,
      clock,
      node: identity.instanceId,
      mayLead: () => presence.mayLead(),
      logger: options.logger,
      onReleased: () => void this.engine.worker.runsQueued(),
    });
    this.stuckWatch = new StuckWatch({ store, clock, node, logger: options.logger, incidents: this.alerter });
    this.historyPruner = new HistoryPruner({
      store,
      clock,
      logger: options.logger,
      isLeader: () => this.engine.scheduler.isLeader,
    });
    this.jobWatch = new JobWatch({
      store,
      clock,
      node,
      logger: options.logger,
      alerter: this.alerter,
      scheduler: this.engine.scheduler,
      ...(options.watchEveryMs === undefined ? {} : { everyMs: options.watchEveryMs }),
    });
    this.monitorWatch = new MonitorWatch({ store, clock, logger: options.logger, alerts: this.alerter });
    this.watchers = [this.monitorWatch, this.stuckWatch, this.jobWatch, this.runWatch, this.guardWatch];
  }

  get config(): ResolvedConfig {
    return this.#config;
  }

  /**
   * What this daemon masks everywhere (API answers, run output and errors, events, alerts, ping
   * bodies, its log lines): the secrets of the job file in force and CRONPLANE_TOKEN.
   */
  get secretMask(): SecretMask {
    return this.#mask;
  }

  /** The API server, unless it was turned off (`--listen off`). */
  get server(): ApiServer | undefined {
    return this.#server;
  }

  /**
   * Reads the job file (throws its ConfigError), opens and migrates the store, starts the engine,
   * the queue drainer, the stuck-run watch and the API.
   */
  static async start(options: DaemonOptions): Promise<Daemon> {
    const config =
      options.config ??
      readConfig(options.configFile, { env: options.env, kinds: builtinKinds }, daemonReadOptions);
    const listen =
      typeof options.listen === 'object'
        ? options.listen
        : listenOf({ flag: options.listen, fromFile: config.listen }).value;
    const metrics = createDaemonMetrics();
    const clock = options.clock ?? systemClock();
    const storeHealth = new StoreHealth({ logger: options.logger, now: () => clock.now() });
    // Every call of every loop (and of the API) tells the store health how it went.
    const store = watchStoreHealth(
      instrumentStore(await openStore(options.storeUrl), metrics.instruments),
      storeHealth,
    );
    const identity = nodeIdentity(options.node);
    const node = identity.name;
    const daemon = new Daemon({ ...options, clock }, config, store, identity, metrics, storeHealth);
    try {
      // Refused (node.name-taken) while another live process has this name; learns the leader's file.
      await daemon.presence.register();
      daemon.presence.start();
      // Lists the open incidents first, so resolves of keys that are not open cost no query.
      await daemon.alerter.remind();
      const apiJobs = await daemon.apiJobs.load();
      // A file job may run after an API job: known only now that the store is open.
      checkAfterApiJobs(config, jobsInForce(config.jobs, apiJobs));
      daemon.engine.setApiJobs(apiJobs);
      await daemon.engine.start(config);
      // The jobs in force from here on: the file's and those defined through the API.
      const jobs = daemon.engine.jobs;
      daemon.alerter.setConfig(config, daemon.#channels, jobs);
      await daemon.apiJobs.start();
      await daemon.drainer.start(jobs);
      for (const watcher of daemon.watchers) await watcher.start({ jobs, monitors: config.monitors });
      daemon.historyPruner.start(config.retention);
      if (listen.kind === 'address') await daemon.#startServer(listen);
    } catch (thrown) {
      await daemon.#shutDown(0);
      throw thrown;
    }
    if (options.watch === true) daemon.#watchFile();
    // A large job file's parse (or 100,000 API jobs resolved) leaves pooled heap pages behind:
    // give them back before idling.
    returnFreeMemoryAfterLoad(daemon.engine.jobs.length + config.monitors.length);
    options.logger.info(
      { node, jobs: config.jobs.length, config: options.configFile, api: daemon.#server?.url ?? 'off' },
      `cronplane started: ${config.jobs.length} jobs`,
    );
    return daemon;
  }

  async #startServer(listen: Extract<ListenSetting, { kind: 'address' }>): Promise<void> {
    const { options } = this;
    const bootstrapToken = options.bootstrapToken ?? bootstrapTokenOf(options.env);
    this.#server = await ApiServer.create({
      store: this.store,
      engine: this.engine,
      clock: this.clock,
      node: this.node,
      logger: options.logger,
      metrics: this.metrics.registry,
      drainer: this.drainer,
      jobs: () => this.engine.jobs,
      jobFile: () => this.#config.loaded,
      mask: () => this.#mask,
      ...(bootstrapToken === undefined ? {} : { bootstrapToken }),
      version: cronplaneVersion(),
      accepting: () => !this.#stopping,
      ...(options.apiRateLimit === undefined ? {} : { rateLimit: options.apiRateLimit }),
      ...(options.ssePollMs === undefined ? {} : { ssePollMs: options.ssePollMs }),
      ...(options.sessionTtlMs === undefined ? {} : { sessionTtlMs: options.sessionTtlMs }),
      ...(options.dashboardDir === undefined ? {} : { dashboardDir: options.dashboardDir }),
      monitors: () => this.#config.monitors,
      pings: this.monitorWatch,
      monitorPauser: this.monitorWatch,
      publicUrl: () => this.#config.publicUrl,
      resolveIncident: async (event, by) => this.alerter.resolveByHand(event, by),
      storeHealth: this.storeHealth,
      presence: this.presence,
      ...(options.pingRateLimit === undefined ? {} : { pingRateLimit: options.pingRateLimit }),
      ...(options.authFailureLimit === undefined ? {} : { authFailureLimit: options.authFailureLimit }),
      ...(options.liveStreamLimit === undefined ? {} : { liveStreamLimit: options.liveStreamLimit }),
    });
    await this.#server.listen(listen);
  }

  /**
   * Re-reads the job file (SIGHUP); on a problem keeps the running configuration and says why.
   * With --watch, also watches the file's folder anew (a folder made again, a failed watch).
   */
  async reload(): Promise<boolean> {
    this.#fileWatch?.arm();
    return this.#queueReload();
  }

  /** Reloads one at a time: a change on disk and a SIGHUP never interleave. */
  #queueReload(): Promise<boolean> {
    const reloaded = this.#reloads.then(() => this.#reloadNow());
    this.#reloads = reloaded;
    return reloaded;
  }

  async #reloadNow(): Promise<boolean> {
    const { logger } = this.options;
    if (this.#stopping) return false;
    try {
      const config = readConfig(
        this.options.configFile,
        { env: this.options.env, kinds: builtinKinds },
        daemonReadOptions,
      );
      // The file in force is still held while the new one loads: what resolving left is collected
      // before the engine takes more (at a start, with nothing else held, that costs more than it saves).
      collectBetweenLoadSteps(config.jobs.length + config.monitors.length);
      // The API jobs resolve against the new file (its defaults, channels) and stay in force.
      this.#apiJobBase = config;
      let apiJobs: Awaited<ReturnType<ApiJobFeed['reload']>>;
      try {
        apiJobs = await this.apiJobs.reload();
        const jobs = jobsInForce(config.jobs, apiJobs);
        checkAfterApiJobs(config, jobs);
        // The watchers first (the monitors' store sync leads them): a store that fails it leaves
        // the previous file in force everywhere, not in half of the daemon.
        for (const watcher of this.watchers) await watcher.reload({ jobs, monitors: config.monitors });
      } catch (thrown) {
        this.#apiJobBase = this.#config;
        throw thrown;
      }
      this.engine.setApiJobs(apiJobs);
      await this.engine.reload(config);
      this.drainer.setJobs(this.engine.jobs);
      this.historyPruner.setRetention(config.retention);
      const channels = channelsOfConfig(config);
      this.outbox.setChannels(channels);
      this.#channels = channels;
      this.grouper.setWindow(config.alerts.groupWindowMs, config.alerts.groupWaitMs);
      this.alerter.setConfig(config, channels, this.engine.jobs);
      this.#config = config;
      this.#configHash = jobFileHash(config.jobs);
      this.#mask = configMask(config, this.options.env);
      // The new hash is compared with the leader's at once (a node whose file now matches resumes).
      await this.presence.beat();
      returnFreeMemoryAfterLoad(config.jobs.length + config.monitors.length);
      logger.info({ jobs: config.jobs.length }, 'job file reloaded');
      return true;
    } catch (thrown) {
      logger.error({ err: coerceError(thrown) }, 'job file not reloaded; the previous one stays in force');
      return false;
    }
  }

  /**
   * Closes the API (live streams end), stops firing, releasing and claiming, lets running work end
   * within `deadlineMs`, closes the store.
   */
  async stop(deadlineMs = 30_000): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#fileWatch?.release();
    await this.#reloads;
    await this.#shutDown(deadlineMs);
    this.options.logger.info('cronplane stopped');
  }

  async #shutDown(deadlineMs: number): Promise<void> {
    this.#stopping = true;
    try {
      await this.#server?.close();
      await this.drainer.release();
      await this.apiJobs.release();
      await this.#releaseWatchers(WatcherFeed.clock);
      await this.historyPruner.release();
      await this.engine.drain(deadlineMs);
      await this.presence.release();
      // The run ends of the drain have been watched: the watchers they feed let go now.
      await this.#releaseWatchers(WatcherFeed.runEnds);
      // What the group window still holds goes out now.
      this.grouper.release();
      // The last runs' alerts go out (or are given up after the grace) before the store closes.
      await this.outbox.release({ graceMs: this.options.notifyGraceMs ?? 10_000 });
    } finally {
      await this.store.release();
    }
  }

  async #releaseWatchers(feed: WatcherFeed): Promise<void> {
    for (const watcher of this.watchers) if (watcher.feed === feed) await watcher.release();
  }

  #watchFile(): void {
    this.#fileWatch = new JobFileWatch({
      file: this.options.configFile,
      logger: this.options.logger,
      apply: () => this.#queueReload(),
      ...(this.options.watchSettleMs === undefined ? {} : { settleMs: this.options.watchSettleMs }),
    });
    this.#fileWatch.arm();
  }
}

function channelsOfConfig(config: ResolvedConfig): ReadonlyMap<string, Channel> {
  return channelsOf(config.channels, { timezone: config.timezone });
}
