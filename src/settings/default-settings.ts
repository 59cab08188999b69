import {
  defaultAuthFailureLimit,
  defaultListen,
  defaultLiveStreamLimit,
  defaultRateLimit,
} from '../api/index.ts';
import { defaultHeartbeatMs, defaultNodeStaleMs } from '../cluster/index.ts';
import { defaultLeaderLeaseMs, defaultLeaderPollMs, defaultRunLeaseMs } from '../engine/index.ts';

/**
 * What a node uses when no flag, variable or job-file key says otherwise. A default owned by a
 * part (the heartbeat by the cluster, the leases by the engine, the limits by the API) is named
 * by that part and gathered here; the rest are declared here.
 */
export const defaultSettings = Object.freeze({
  storeUrl: 'sqlite:./data/cronplane.db',
  listen: defaultListen,
  logLevel: 'info',
  role: 'all',
  tags: Object.freeze([]) as readonly string[],
  slots: 8,
  heartbeatMs: defaultHeartbeatMs,
  nodeStaleMs: defaultNodeStaleMs,
  runLeaseMs: defaultRunLeaseMs,
  leaderLeaseMs: defaultLeaderLeaseMs,
  leaderPollMs: defaultLeaderPollMs,
  shutdownTimeoutMs: 30_000,
  watch: false,
  apiRateLimit: defaultRateLimit,
  authFailureLimit: defaultAuthFailureLimit,
  liveStreamLimit: defaultLiveStreamLimit,
} as const);
