import { configMask, findConfigFile, readConfig } from '../../config/index.ts';
import { Daemon, daemonReadOptions } from '../../daemon/index.ts';
import type { DaemonOptions } from '../../daemon/index.ts';
import { createLogger } from '../../logging/index.ts';
import { checkSettingFlags, redactStoreUrl, resolveSettings } from '../../settings/index.ts';
import type { Settings } from '../../settings/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportError } from '../report-error.ts';
import { builtinKinds } from '../../kinds/index.ts';

export interface StartOptions {
  readonly config?: string;
  readonly store?: string;
  readonly node?: string;
  /** all, scheduler or worker. */
  readonly role?: string;
  readonly heartbeat?: number;
  readonly nodeStale?: number;
  readonly tag?: readonly string[];
  readonly watch?: boolean;
  readonly slots?: number;
  readonly lease?: number;
  /** The scheduler leader lease, ms. */
  readonly leaderLease?: number;
  /** How often a follower tries to take the leader lease, ms. */
  readonly leaderPoll?: number;
  readonly shutdownTimeout?: number;
  /** HOST:PORT, :PORT or off. */
  readonly listen?: string;
  /** Requests per token per minute. */
  readonly apiRateLimit?: number;
  /** Failed authentications per client address in a burst (then one per 10 s). */
  readonly authFailureLimit?: number;
  /** Live-log streams per token. */
  readonly streamLimit?: number;
  /** Live-log streams in all. */
  readonly streamLimitTotal?: number;
}

/**
 * `cronplane start`: the daemon. Runs until SIGTERM or SIGINT, then drains (running work may
 * finish within --shutdown-timeout, then it is stopped and recorded as such). SIGHUP re-reads
 * the job file; so does a change on disk with --watch.
 */
export async function runStart(options: StartOptions, io: CliIo): Promise<number> {
  try {
    checkSettingFlags(options);
    // The job file is read once, here: a broken file exits 2 before anything opens, and the
    // daemon starts from this reading.
    const configFile = findConfigFile({ flag: options.config, env: io.env, cwd: io.cwd });
    const config = readConfig(configFile, { env: io.env, kinds: builtinKinds }, daemonReadOptions);
    const settings = resolveSettings({
      flags: options,
      env: io.env,
      file: { path: configFile, settings: config },
      cwd: io.cwd,
    });
    // Until the daemon holds its own mask (it follows reloads), the file as read here says what to mask.
    const firstMask = configMask(config, io.env);
    const masking = { current: () => firstMask };
    const logger = createLogger({
      pretty: io.isTty,
      destination: { write: (line: string) => io.out(line.replace(/\n$/, '')) },
      level: settings.logLevel,
      redact: (line) => masking.current().redact(line),
    });
    // SIGTERM, SIGINT and SIGHUP are ours from before the daemon starts: one that arrives while it
    // starts (its engine may already be running work) is kept and acted on once it has started,
    // instead of killing the process (Node's default for each) with runs left running. A SIGHUP
    // then reloads the file, which may have changed since it was read above.
    let requestStop = (signal: string) => void (early ??= signal);
    let early: string | undefined;
    let requestReload = () => void (reloadEarly = true);
    let reloadEarly = false;
    const onTerm = () => requestStop('SIGTERM');
    const onInt = () => requestStop('SIGINT');
    const onHup = () => requestReload();
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
    process.on('SIGHUP', onHup);
    let daemon: Daemon;
    try {
      daemon = await Daemon.start({ ...daemonOptionsOf(settings), config, env: io.env, logger });
    } catch (thrown) {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      process.off('SIGHUP', onHup);
      throw thrown;
    }
    requestReload = () => void daemon.reload();
    if (reloadEarly) requestReload();
    masking.current = () => daemon.secretMask;
    io.err(
      `cronplane: node ${daemon.node} (${daemon.presence.instanceId}, role ${settings.role}), job file ${configFile}, store ${redactStoreUrl(settings.storeUrl)}`,
    );
    io.err(`cronplane: API ${daemon.server === undefined ? 'off' : `on ${daemon.server.url ?? ''}`}`);
    io.err(
      `cronplane: a line per run start and end and the logs go to standard output${io.isTty ? '' : ' as JSON lines'}; stop with Ctrl-C or SIGTERM, reload with SIGHUP`,
    );
    await new Promise<void>((resolve) => {
      requestStop = (signal: string) => {
        logger.info({ signal }, 'stopping: draining running work');
        process.off('SIGTERM', onTerm);
        process.off('SIGINT', onInt);
        process.off('SIGHUP', onHup);
        // A watchdog explains a shutdown that hangs instead of hanging silently.
        const watchdog = setTimeout(() => {
          io.err(
            'cronplane: shutdown is taking too long; exiting with runs possibly left running (they will be marked lost)',
          );
          process.exit(1);
        }, settings.shutdownTimeoutMs + 15_000);
        watchdog.unref();
        void daemon.stop(settings.shutdownTimeoutMs).finally(() => resolve());
      };
      if (early !== undefined) requestStop(early);
    });
    return ExitCode.ok;
  } catch (thrown) {
    return reportError(thrown, io);
  }
}

/** What the daemon is started with, every value taken from the resolved settings. */
function daemonOptionsOf(settings: Settings): Omit<DaemonOptions, 'env' | 'logger'> {
  return {
    configFile: settings.configFile,
    storeUrl: settings.storeUrl,
    ...(settings.node === undefined ? {} : { node: settings.node }),
    role: settings.role,
    heartbeatMs: settings.heartbeatMs,
    nodeStaleMs: settings.nodeStaleMs,
    nodeTags: settings.tags,
    slots: settings.slots,
    runLeaseMs: settings.runLeaseMs,
    leaderLeaseMs: settings.leaderLeaseMs,
    leaderPollMs: settings.leaderPollMs,
    watch: settings.watch,
    listen: settings.listen,
    ...(settings.bootstrapToken === undefined ? {} : { bootstrapToken: settings.bootstrapToken }),
    apiRateLimit: settings.apiRateLimit,
    authFailureLimit: settings.authFailureLimit,
    liveStreamLimit: settings.liveStreamLimit,
  };
}
