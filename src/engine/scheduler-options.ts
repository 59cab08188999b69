import type { IncidentSink } from '../incidents/index.ts';
import type { Logger } from '../logging/index.ts';
import type { Store } from '../store/index.ts';
import type { Clock } from '../clock/index.ts';

export interface SchedulerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly node: string;
  readonly logger: Logger;
  /** Called after runs were queued, so local workers look at once. */
  readonly onRunsQueued?: () => void;
  /** Called with the ids of runs the `replace` policy cancelled, so their workers stop them. */
  readonly onRunsCancelled?: (runIds: readonly number[]) => void;
  /** Where missed fires go (`schedule:missed`, notify key `missed`); recorded only, by default. */
  readonly incidents?: IncidentSink;
  /** The leader lease (default 1,500 ms), renewed every third of it. */
  readonly leaseMs?: number;
  /** How often a follower tries to take the leader lease (default 250 ms). */
  readonly pollMs?: number;
  /**
   * Record fires of jobs with `concurrency: allow` this long ahead of their scheduled time
   * (default 1,500 ms; 0 records every fire at its instant). Their runs wait in the store until
   * due, so only a claim stands between the fire and the start.
   */
  readonly lookAheadMs?: number;
  /** For the jitter of the back-off while the store fails; Math.random by default. */
  readonly random?: () => number;
  /** Who holds the leader lease: this process's instance id (default `node`). */
  readonly leaseOwner?: string;
  /** Asked before taking or renewing the lease: false (a drain, a worker role) gives it up. */
  readonly mayLead?: () => boolean;
  /** Called once each time this node becomes the leader, before it fires. */
  readonly onLead?: () => Promise<void>;
}
