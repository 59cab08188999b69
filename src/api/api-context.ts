import type { NodeStatus } from '../cluster/index.ts';
import type { LoadedJobFile, ResolvedJob, ResolvedMonitor } from '../config/index.ts';
import type { Clock } from '../clock/index.ts';
import type { Engine } from '../engine/index.ts';
import type { Logger } from '../logging/index.ts';
import type { QueueDrainer } from '../queue/index.ts';
import type { NewPing, RecordPingResult, Store, StoreHealth } from '../store/index.ts';
import type { Authenticator } from './auth/authenticator.ts';
import type { DashboardSessions } from './auth/dashboard-sessions.ts';
import type { LiveStreams } from './limits/live-streams.ts';
import type { LiveLogs } from './live/live-logs.ts';
import type { MetricsRegistry } from './metrics/metrics-registry.ts';
import type { MonitorPauser, ResolveIncident, RunChangeSource, RunPageCache } from '../control/index.ts';

/** Where pings go: the daemon's monitor watch (it reacts to them), or the store alone. */
export interface PingReceiver {
  recordPing(ping: NewPing): Promise<RecordPingResult | undefined>;
}

export type { MonitorPauser, ResolveIncident } from '../control/index.ts';

/** This node as the cluster sees it (the daemon's `NodePresence`). */
export interface NodePresenceView {
  status(): NodeStatus;
}

/** What the API's routes work with: one node's store, engine, clock and queue drainer. */
export interface ApiContext {
  readonly store: Store;
  readonly engine: Engine;
  readonly clock: Clock;
  readonly node: string;
  readonly logger: Logger;
  readonly auth: Authenticator;
  /** The dashboard's signed-in sessions (in this node's memory). */
  readonly sessions: DashboardSessions;
  readonly metrics: MetricsRegistry;
  readonly drainer: QueueDrainer | undefined;
  /** The jobs of the job file in force (they change on reload). */
  readonly jobs: () => readonly ResolvedJob[];
  /** The job file in force as read: jobs written through the API resolve against it. */
  readonly jobFile?: () => LoadedJobFile | undefined;
  /** When the process started (epoch ms), for /healthz. */
  readonly startedAt: number;
  readonly version: string;
  /** False once the daemon is stopping: /readyz answers 503. */
  readonly accepting: () => boolean;
  /** Masks secret values in text that leaves the API (log chunks, answers). */
  readonly redact: (text: string) => string;
  /** Open live-log streams: counted against their limits, ended when the server closes. */
  readonly streams: LiveStreams;
  /** One source per followed run, shared by every stream of that run. */
  readonly liveLogs: LiveLogs;
  /** The one reader of run changes, shared by every stream of them (`GET /api/runs/stream`). */
  readonly runChanges: RunChangeSource;
  /** Pages of runs answered again while the store has not changed (`GET /api/runs`). */
  readonly runPages: RunPageCache;
  /** The monitors of the job file in force. */
  readonly monitors: () => readonly ResolvedMonitor[];
  readonly pings: PingReceiver;
  readonly monitorPauser: MonitorPauser;
  /** The base of ping URLs: `server.public_url` when set, else the API's own URL. */
  readonly publicUrl: () => string;
  /** Whether `publicUrl` is `server.public_url` (not the API's own URL). */
  readonly publicUrlSet: () => boolean;
  /** Manual resolves; without it (no alerting) the event is only closed in the store. */
  readonly resolveIncident: ResolveIncident | undefined;
  /** Whether the store could be written when the node's loops last tried (the daemon's); /readyz reads it. */
  readonly storeHealth: StoreHealth | undefined;
  /** This node's presence in the cluster; undefined for an API without a daemon (tests). */
  readonly presence: NodePresenceView | undefined;
}
