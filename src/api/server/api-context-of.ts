import { RunChangeFeed, RunPageCache } from '../../control/index.ts';
import type { Logger } from '../../logging/index.ts';
import type { ApiContext } from '../api-context.ts';
import { Authenticator } from '../auth/authenticator.ts';
import { DashboardSessions } from '../auth/dashboard-sessions.ts';
import { AuthFailureLimiter, defaultAuthFailureLimit } from '../limits/auth-failure-limiter.ts';
import { LiveStreams, defaultLiveStreamLimit } from '../limits/live-streams.ts';
import { LiveLogs } from '../live/live-logs.ts';
import type { ApiServerOptions } from './api-server-options.ts';

/** Where the server's own URL is kept once it listens (the base of ping URLs until then: the default). */
export interface OwnUrl {
  url: string | undefined;
}

/** The base of ping URLs before the server listens (an in-process server that never does). */
const defaultOwnUrl = 'http://127.0.0.1:7070';

/** What the routes work with, made from the server's options, its logger and its own URL. */
export function apiContextOf(options: ApiServerOptions, logger: Logger, ownUrl: OwnUrl): ApiContext {
  const redact = (text: string): string => options.mask().redact(text);
  return {
    store: options.store,
    engine: options.engine,
    clock: options.clock,
    node: options.node,
    logger,
    auth: new Authenticator({
      store: options.store,
      clock: options.clock,
      logger,
      bootstrapToken: options.bootstrapToken,
      failures: new AuthFailureLimiter(options.authFailureLimit ?? defaultAuthFailureLimit, () =>
        options.clock.now(),
      ),
    }),
    sessions: new DashboardSessions(options.clock, options.sessionTtlMs),
    metrics: options.metrics,
    drainer: options.drainer,
    jobs: options.jobs,
    ...(options.jobFile === undefined ? {} : { jobFile: options.jobFile }),
    startedAt: Date.now(),
    version: options.version,
    accepting: options.accepting ?? (() => true),
    redact,
    streams: new LiveStreams(options.liveStreamLimit ?? defaultLiveStreamLimit),
    liveLogs: new LiveLogs({
      store: options.store,
      pollMs: options.ssePollMs ?? 200,
      redact,
      logger,
    }),
    runChanges: new RunChangeFeed({
      store: options.store,
      pollMs: options.ssePollMs ?? 200,
      onError: (error) => logger.warn({ err: error }, 'reading run changes failed; trying again'),
    }),
    runPages: new RunPageCache(),
    monitors: options.monitors ?? (() => []),
    pings: options.pings ?? options.store,
    monitorPauser: options.monitorPauser ?? options.store,
    publicUrl: () => options.publicUrl?.() ?? ownUrl.url ?? defaultOwnUrl,
    publicUrlSet: () => options.publicUrl?.() !== undefined,
    resolveIncident: options.resolveIncident,
    storeHealth: options.storeHealth,
    presence: options.presence,
  };
}
