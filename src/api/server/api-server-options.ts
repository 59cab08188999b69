import type { LoadedJobFile, ResolvedJob, ResolvedMonitor, SecretMask } from '../../config/index.ts';
import type { Clock } from '../../clock/index.ts';
import type { Engine } from '../../engine/index.ts';
import type { Logger } from '../../logging/index.ts';
import type { QueueDrainer } from '../../queue/index.ts';
import type { Store, StoreHealth } from '../../store/index.ts';
import type { MonitorPauser, NodePresenceView, PingReceiver, ResolveIncident } from '../api-context.ts';
import type { AuthFailureLimit } from '../limits/auth-failure-limiter.ts';
import type { LiveStreamLimit } from '../limits/live-streams.ts';
import type { MetricsRegistry } from '../metrics/metrics-registry.ts';

/** Largest request body accepted (a queue item's payload is the largest thing sent). */
export const defaultBodyLimit = 1024 * 1024;

export interface RateLimit {
  /** Requests one token may make per window. */
  readonly max: number;
  readonly windowMs: number;
}

export const defaultRateLimit: RateLimit = { max: 6000, windowMs: 60_000 };
/** Pings one source address may send per window (a host running many monitored crontab lines). */
export const defaultPingRateLimit: RateLimit = { max: 1200, windowMs: 60_000 };

/** What an API server is made of: one node's parts, and its limits. */
export interface ApiServerOptions {
  readonly store: Store;
  readonly engine: Engine;
  readonly clock: Clock;
  readonly node: string;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly drainer?: QueueDrainer;
  readonly jobs: () => readonly ResolvedJob[];
  /** The job file in force as read: jobs written through the API resolve against it; none, none are written. */
  readonly jobFile?: () => LoadedJobFile | undefined;
  /**
   * The daemon's mask (the secrets of the job file in force and CRONPLANE_TOKEN): applied to
   * every answer, live-log event and ping body.
   */
  readonly mask: () => SecretMask;
  /** CRONPLANE_TOKEN, an admin token from the environment. */
  readonly bootstrapToken?: string;
  readonly version: string;
  readonly accepting?: () => boolean;
  readonly rateLimit?: RateLimit;
  readonly bodyLimit?: number;
  readonly ssePollMs?: number;
  /** The monitors of the job file in force (they change on reload). */
  readonly monitors?: () => readonly ResolvedMonitor[];
  /** Where pings go (the daemon's monitor watch); the store alone by default. */
  readonly pings?: PingReceiver;
  /** Where monitor pauses go (the daemon's monitor watch); the store alone by default. */
  readonly monitorPauser?: MonitorPauser;
  /** `server.public_url` of the job file in force, the base of ping URLs. */
  readonly publicUrl?: () => string | undefined;
  /** Pings per source address per window (default 1,200 a minute). */
  readonly pingRateLimit?: RateLimit;
  /** Manual resolves through the daemon's Alerter (so channels hear of them). */
  readonly resolveIncident?: ResolveIncident;
  /** Failed authentications per client address (default 20 in a burst, then one every 10 s). */
  readonly authFailureLimit?: AuthFailureLimit;
  /** Live-log streams open at once (default 10 per token, 200 in all). */
  readonly liveStreamLimit?: LiveStreamLimit;
  /** The daemon's store health: /readyz is not ready while the store cannot be written. */
  readonly storeHealth?: StoreHealth;
  /** This node in the cluster (drain, drift): /readyz and the nodes view read it. */
  readonly presence?: NodePresenceView;
  /** How long a dashboard session lasts from sign-in (default 12 hours). */
  readonly sessionTtlMs?: number;
  /** Where the built dashboard is (web/dist/ of the package unless said otherwise). */
  readonly dashboardDir?: string;
}
