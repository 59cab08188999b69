import type { ResolvedJob } from '../config/index.ts';
import type { Clock, Engine } from '../engine/index.ts';
import type { Logger } from '../logging/index.ts';
import type { QueueDrainer } from '../queue/index.ts';
import type { Store } from '../store/index.ts';
import type { Authenticator } from './auth/authenticator.ts';
import type { LiveStreams } from './http/live-streams.ts';
import type { MetricsRegistry } from './metrics/metrics-registry.ts';

/** What the API's routes work with: one node's store, engine, clock and queue drainer. */
export interface ApiContext {
  readonly store: Store;
  readonly engine: Engine;
  readonly clock: Clock;
  readonly node: string;
  readonly logger: Logger;
  readonly auth: Authenticator;
  readonly metrics: MetricsRegistry;
  readonly drainer: QueueDrainer | undefined;
  /** The jobs of the job file in force (they change on reload). */
  readonly jobs: () => readonly ResolvedJob[];
  /** When the process started (epoch ms), for /healthz. */
  readonly startedAt: number;
  readonly version: string;
  /** False once the daemon is stopping: /readyz answers 503. */
  readonly accepting: () => boolean;
  /** Masks secret values in text that leaves the API (log chunks, answers). */
  readonly redact: (text: string) => string;
  /** Open live-log streams, ended when the server closes. */
  readonly streams: LiveStreams;
  /** How often a live-log stream looks for new output, in ms. */
  readonly ssePollMs: number;
}
