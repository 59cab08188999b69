import { defaultAuthFailureLimit, defaultLiveStreamLimit } from '../../api/index.ts';
import { configMask, findConfigFile, readConfig } from '../../config/index.ts';
import { assertNodeName } from '../../cluster/index.ts';
import { Daemon } from '../../daemon/index.ts';
import { assertNodeRole } from '../../store/index.ts';
import { createLogger } from '../../logging/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportError } from '../report-error.ts';
import { redactStoreUrl, resolveStoreUrl } from '../store-url.ts';
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
    const role = options.role === undefined ? undefined : assertNodeRole(options.role, '--role');
    if (options.node !== undefined) assertNodeName(options.node);
    const configFile = findConfigFile({ flag: options.config, env: io.env, cwd: io.cwd });
    // Read once here so a broken file exits 2 before anything opens.
    const config = readConfig(configFile, { env: io.env, kinds: builtinKinds });
    const storeUrl = resolveStoreUrl({
      flag: options.store,
      env: io.env,
      fromFile: config.store,
      cwd: io.cwd,
    });
    // Until the daemon holds its own mask (it follows reloads), the file as read here says what to mask.
    const firstMask = configMask(config, io.env);
    const masking = { current: () => firstMask };
    const logger = createLogger({
      pretty: io.isTty,
      level: io.env['CRONPLANE_LOG_LEVEL'] ?? 'info',
      redact: (line) => masking.current().redact(line),
    });
    const daemon = await Daemon.start({
      configFile,
      env: io.env,
      storeUrl,
      logger,
      ...(options.node === undefined ? {} : { node: options.node }),
      ...(role === undefined ? {} : { role }),
      ...(options.heartbeat === undefined ? {} : { heartbeatMs: options.heartbeat }),
      ...(options.nodeStale === undefined ? {} : { nodeStaleMs: options.nodeStale }),
      ...(options.tag === undefined ? {} : { nodeTags: options.tag }),
      ...(options.slots === undefined ? {} : { slots: options.slots }),
      ...(options.lease === undefined ? {} : { runLeaseMs: options.lease }),
      ...(options.leaderLease === undefined ? {} : { leaderLeaseMs: options.leaderLease }),
      ...(options.leaderPoll === undefined ? {} : { leaderPollMs: options.leaderPoll }),
      watch: options.watch === true,
      ...listenOption(options, io),
      ...(options.apiRateLimit === undefined
        ? {}
        : { apiRateLimit: { max: options.apiRateLimit, windowMs: 60_000 } }),
      ...(options.authFailureLimit === undefined
        ? {}
        : { authFailureLimit: { ...defaultAuthFailureLimit, burst: options.authFailureLimit } }),
      ...(options.streamLimit === undefined && options.streamLimitTotal === undefined
        ? {}
        : {
            liveStreamLimit: {
              perToken: options.streamLimit ?? defaultLiveStreamLimit.perToken,
              total: options.streamLimitTotal ?? defaultLiveStreamLimit.total,
            },
          }),
    });
    masking.current = () => daemon.secretMask;
    io.err(
      `cronplane: node ${daemon.node} (${daemon.presence.instanceId}, role ${role ?? 'all'}), job file ${configFile}, store ${redactStoreUrl(storeUrl)}`,
    );
    io.err(`cronplane: API ${daemon.server === undefined ? 'off' : `on ${daemon.server.url ?? ''}`}`);
    io.err(
      'cronplane: logs go to standard output as JSON lines; stop with Ctrl-C or SIGTERM, reload with SIGHUP',
    );
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'stopping: draining running work');
        process.off('SIGTERM', onTerm);
        process.off('SIGINT', onInt);
        process.off('SIGHUP', onHup);
        // A watchdog explains a shutdown that hangs instead of hanging silently.
        const watchdog = setTimeout(
          () => {
            io.err(
              'cronplane: shutdown is taking too long; exiting with runs possibly left running (they will be marked lost)',
            );
            process.exit(1);
          },
          (options.shutdownTimeout ?? 30_000) + 15_000,
        );
        watchdog.unref();
        void daemon.stop(options.shutdownTimeout ?? 30_000).finally(() => resolve());
      };
      const onTerm = () => stop('SIGTERM');
      const onInt = () => stop('SIGINT');
      const onHup = () => void daemon.reload();
      process.on('SIGTERM', onTerm);
      process.on('SIGINT', onInt);
      process.on('SIGHUP', onHup);
    });
    return ExitCode.ok;
  } catch (thrown) {
    return reportError(thrown, io);
  }
}

/** --listen, else CRONPLANE_LISTEN; the daemon falls back to the job file, then loopback. */
function listenOption(options: StartOptions, io: CliIo): { listen?: string } {
  const listen = options.listen ?? io.env['CRONPLANE_LISTEN'];
  return listen === undefined || listen === '' ? {} : { listen };
}
