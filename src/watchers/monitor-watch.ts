import { formatDuration } from '../calendar/index.ts';
import type { Clock } from '../clock/index.ts';
import { Backoff } from '../backoff/index.ts';
import { coerceError } from '../errors/index.ts';
import type { IncidentSink } from '../incidents/index.ts';
import type { Logger } from '../logging/index.ts';
import type { MonitorDeadline, MonitorTiming } from '../monitor/index.ts';
import {
  downIncident,
  isoTime,
  lateAt,
  lateText,
  monitorDeadline,
  monitorDownDedupKey,
  monitorTimingOf,
  monitorTooFastDedupKey,
  monitorTooFastKind,
  bodyTail,
} from '../monitor/index.ts';
import type {
  MonitorRecord,
  NewPing,
  RecordPingResult,
  SetMonitorPausedResult,
  Store,
} from '../store/index.ts';
import { logStoreError } from '../store/index.ts';
import { WatchLoop } from './watch-loop.ts';
import { WatcherFeed } from './watcher.ts';
import type { WatchedConfig, Watcher } from './watcher.ts';

/** Where the watch hands what it notices: the daemon's `Alerter` (records the event and notifies). */
export type MonitorAlerts = IncidentSink;

export interface MonitorWatchOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly alerts: MonitorAlerts;
  /**
   * How often the monitors are re-read from the store even when no deadline is near (another
   * node may have received the ping that brought a monitor up); default 1 minute.
   */
  readonly refreshMs?: number;
}

/**
 * Watches the job file's monitors. One timer is armed at the earliest moment any monitor could
 * go late (not a scan every second); when it fires, the monitors are re-read and each late one
 * is taken down with a compare-and-set (`up`/`new` → `down`), so of several nodes exactly one
 * raises `monitor:down`. Pings go through `recordPing`: a success that brings a monitor up
 * resolves the incident, a failure (`/fail`, a non-zero exit code) raises it at once, a run
 * shorter than `min_duration` raises `monitor:too-fast`.
 *
 * A paused monitor has no deadline and raises nothing: the store refuses to take it down (a
 * pause made on another node is seen at the next re-read, and wins even against a watch that read
 * the monitor just before), its failure pings are stored without moving it, and its too-fast runs
 * are not reported. A success ping still brings it up and resolves its open `monitor:down`.
 */
export class MonitorWatch implements Watcher {
  readonly name = 'monitor';
  readonly feed = WatcherFeed.clock;
  readonly #options: MonitorWatchOptions;
  readonly #loop: WatchLoop<readonly string[]>;
  #timings = new Map<string, MonitorTiming>();
  /** The next deadline of each monitor as last seen. */
  readonly #deadlines = new Map<string, number>();
  /** Waits between looks while the store fails (a deadline already past would otherwise wake it at once). */
  readonly #backoff = new Backoff();
  #retryAt = 0;

  constructor(options: MonitorWatchOptions) {
    this.#options = options;
    this.#loop = new WatchLoop(options.clock, () => this.#look(), []);
  }

  /** Syncs the monitors table with the job file's monitors, then checks them and arms the timer. */
  async start(config: WatchedConfig): Promise<void> {
    this.#loop.start();
    await this.reload(config);
  }

  /**
   * At start and at each reload: adds new monitors, marks removed ones, re-arms. A store that
   * fails the sync refuses the reload, and the watch keeps the monitors it had.
   */
  async reload(config: WatchedConfig): Promise<void> {
    const { monitors } = config;
    const { store, clock, logger } = this.#options;
    const timings = new Map(monitors.map((monitor) => [monitor.name, monitorTimingOf(monitor)]));
    // The store first: when it fails, the watch keeps the monitors it had (the reload is refused).
    const synced = await store.syncMonitors(
      monitors.map((monitor) => monitor.name),
      clock.now(),
    );
    this.#timings = timings;
    if (synced.added.length > 0 || synced.removed.length > 0) {
      logger.info({ added: synced.added, removed: synced.removed }, 'monitors synced with the job file');
    }
    await this.check();
  }

  /** Monitors come from the job file only: a job written through the API changes none. */
  applyJobChanges(): void {}

  /** The ping's monitor, if the id is known: stores it, then reacts to the change it made. */
  async recordPing(ping: NewPing): Promise<RecordPingResult | undefined> {
    const result = await this.#options.store.recordPing(ping);
    if (result === undefined || result.ping.kind === 'ignored') return result;
    try {
      await this.#react(result);
    } catch (thrown) {
      logStoreError(
        this.#options.logger,
        thrown,
        { monitor: result.monitor.name },
        'reacting to a ping failed; the ping is stored',
      );
    }
    return result;
  }

  /**
   * Pauses or resumes a monitor (the API's pause and resume), then re-arms: a paused monitor's
   * deadline is dropped, a resumed one is due a whole period (or scheduled time) and grace after
   * now. Undefined for a monitor the store does not have (or has removed).
   */
  async setMonitorPaused(
    name: string,
    paused: boolean,
    at: number,
  ): Promise<SetMonitorPausedResult | undefined> {
    const result = await this.#options.store.setMonitorPaused(name, paused, at);
    if (result === undefined || !result.changed) return result;
    const { monitor } = result;
    this.#options.logger.info(
      { monitor: name, status: monitor.status },
      paused
        ? `monitor ${name} is paused: it is not taken down and raises no alert until it is resumed`
        : `monitor ${name} is resumed: its lateness counts from now`,
    );
    this.#note(monitor);
    return result;
  }

  /** Takes late monitors down now (after a check under way); returns their names. */
  check(): Promise<readonly string[]> {
    return this.#loop.lookNow();
  }

  release(): Promise<void> {
    return this.#loop.release();
  }

  async #react(result: RecordPingResult): Promise<void> {
    const { alerts, logger } = this.#options;
    const { monitor, ping, previousStatus } = result;
    const timing = this.#timings.get(monitor.name);
    this.#note(monitor);
    const failed = ping.kind === 'fail' || (ping.kind === 'exit' && ping.exitCode !== 0);
    if (monitor.paused && failed && monitor.status !== 'down') {
      logger.info(
        { monitor: monitor.name, exitCode: ping.exitCode },
        `monitor ${monitor.name} is paused: its failure ping is recorded, not alerted on`,
      );
    }
    if (monitor.status === 'down' && previousStatus !== 'down') {
      const what = ping.kind === 'exit' ? `exited with code ${ping.exitCode ?? '?'}` : 'reported a failure';
      logger.warn(
        { monitor: monitor.name, exitCode: ping.exitCode },
        `monitor ${monitor.name} is down: ${what}`,
      );
      await alerts.raise({
        ...downIncident(monitor.name),
        title: `${monitor.name} is down: the job ${what}`,
        summary: ping.body === null || ping.body === '' ? `ping at ${isoTime(ping.at)}` : bodyTail(ping.body),
        details: {
          reason: ping.kind === 'exit' ? 'exit code' : 'failure ping',
          ...(ping.exitCode === null ? {} : { exit_code: ping.exitCode }),
          ping_at: isoTime(ping.at),
          ...(ping.durationMs === null ? {} : { duration: formatDuration(Math.round(ping.durationMs)) }),
        },
      });
    } else if (monitor.status === 'up' && previousStatus === 'down') {
      logger.info({ monitor: monitor.name }, `monitor ${monitor.name} is up again`);
      await alerts.resolve({
        dedupKey: monitorDownDedupKey(monitor.name),
        notifyKey: 'down',
        job: monitor.name,
        monitor: true,
        title: `${monitor.name} is up again`,
        summary: `a ${ping.kind === 'exit' ? 'exit 0' : 'success'} ping at ${isoTime(ping.at)}`,
      });
    }
    const succeeded = ping.kind === 'success' || (ping.kind === 'exit' && ping.exitCode === 0);
    const minimum = timing?.minDurationMs;
    if (
      succeeded &&
      !monitor.paused &&
      minimum !== undefined &&
      ping.durationMs !== null &&
      ping.durationMs < minimum
    ) {
      logger.warn(
        { monitor: monitor.name, durationMs: ping.durationMs, minDurationMs: minimum },
        `monitor ${monitor.name}: the run took less than its min_duration`,
      );
      await alerts.raise({
        kind: monitorTooFastKind,
        notifyKey: 'warning',
        severity: 'warning',
        dedupKey: monitorTooFastDedupKey(monitor.name),
        job: monitor.name,
        monitor: true,
        title: `${monitor.name} finished suspiciously fast`,
        summary: `the run took ${formatDuration(Math.round(ping.durationMs))}, less than its min_duration of ${formatDuration(minimum)}`,
        details: {
          duration_ms: ping.durationMs,
          min_duration_ms: minimum,
          ping_at: isoTime(ping.at),
        },
      });
    }
  }

  async #look(): Promise<readonly string[]> {
    const { store, clock, logger, alerts } = this.#options;
    const down: string[] = [];
    try {
      const now = clock.now();
      const monitors = await store.listMonitors();
      this.#deadlines.clear();
      for (const monitor of monitors) {
        const timing = this.#timings.get(monitor.name);
        if (timing === undefined) continue;
        const late = lateAt(timing, monitor, now);
        if (late === null) {
          const deadline = monitorDeadline(timing, monitor);
          if (deadline !== null) this.#deadlines.set(monitor.name, deadline.at);
          continue;
        }
        if (!(await store.setMonitorStatus(monitor.name, monitor.status, 'down', now))) continue;
        down.push(monitor.name);
        const text = lateText(timing, monitor, late);
        logger.warn(
          { monitor: monitor.name, reason: late.reason },
          `monitor ${monitor.name} is down: ${text}`,
        );
        try {
          await alerts.raise({
            ...downIncident(monitor.name),
            title: `${monitor.name} is down: ${text}`,
            summary: `last ping ${monitor.lastPingAt === null ? 'never' : isoTime(monitor.lastPingAt)}; expected by ${isoTime(late.dueAt)}${timing.graceMs > 0 ? ` (grace ${formatDuration(timing.graceMs)})` : ''}`,
            details: {
              reason: late.reason,
              last_ping: monitor.lastPingAt === null ? 'never' : isoTime(monitor.lastPingAt),
              last_success: monitor.lastSuccessAt === null ? 'never' : isoTime(monitor.lastSuccessAt),
              due_at: isoTime(late.dueAt),
            },
          });
        } catch (thrown) {
          logger.error({ err: coerceError(thrown), monitor: monitor.name }, 'raising monitor:down failed');
        }
      }
      this.#backoff.reset();
      this.#retryAt = 0;
    } catch (thrown) {
      logStoreError(logger, thrown, {}, 'checking monitors failed; checking again after a back-off');
      this.#retryAt = clock.now() + this.#backoff.next();
    }
    this.#arm();
    return down;
  }

  /** Remembers a monitor's next deadline and arms the timer earlier if it needs to. */
  #note(monitor: MonitorRecord, timing = this.#timings.get(monitor.name)): void {
    const deadline: MonitorDeadline | null = timing === undefined ? null : monitorDeadline(timing, monitor);
    if (deadline === null) this.#deadlines.delete(monitor.name);
    else this.#deadlines.set(monitor.name, deadline.at);
    if (deadline !== null && deadline.at + 1 < this.#loop.armedAt) this.#arm();
  }

  /** Arms the one timer at the earliest deadline, a refresh or the back-off's retry (nothing once released). */
  #arm(): void {
    let at = this.#options.clock.now() + (this.#options.refreshMs ?? 60_000);
    // Late means strictly after the deadline: look one millisecond after it.
    for (const deadline of this.#deadlines.values()) at = Math.min(at, deadline + 1);
    this.#loop.lookAt(Math.max(at, this.#retryAt));
  }
}
