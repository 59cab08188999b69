import { leaderLeaseName } from '../engine/index.ts';
import { drainerLeaseName } from '../queue/index.ts';
import type { NodeRecord, Store } from '../store/index.ts';

/** Stopped nodes heard from within this long are still listed. */
export const listStoppedForMs = 3600_000;

/** One node as `cronplane nodes` and `GET /api/nodes` show it. */
export interface NodeListing {
  readonly name: string;
  readonly instanceId: string;
  readonly host: string;
  readonly pid: number;
  readonly version: string;
  readonly state: NodeRecord['state'];
  /** Why the state last changed (a drain, a clean stop, a dead pid), or null. */
  readonly stateReason: string | null;
  /** Not stopped, and heard from within its stale time. */
  readonly live: boolean;
  readonly startedAt: number;
  readonly heartbeatAt: number;
  readonly heartbeatAgeMs: number;
  readonly configHash: string;
  /** Whether its job file is the leader's (null while no live node leads). */
  readonly configMatchesLeader: boolean | null;
  readonly tags: readonly string[];
  readonly slots: number;
  readonly slotsInUse: number;
  readonly role: NodeRecord['role'];
  /** The leases it holds now: `scheduler` (it fires) and `queue-drainer` (it releases queue items). */
  readonly leads: readonly string[];
}

/**
 * Every node not stopped, and those stopped within the last hour, with what they lead (from the
 * leases table) and whether their job file is the leader's. Live nodes first, then by name.
 */
export async function listNodeListings(store: Store, now: number): Promise<readonly NodeListing[]> {
  const [nodes, scheduler, drainer] = await Promise.all([
    store.listNodes({ stoppedSince: now - listStoppedForMs }),
    store.getLease(leaderLeaseName),
    store.getLease(drainerLeaseName),
  ]);
  const isLive = (node: NodeRecord): boolean =>
    node.state !== 'stopped' && node.heartbeatAt + node.staleMs > now;
  const holds = (lease: typeof scheduler, node: NodeRecord): boolean =>
    lease !== undefined && lease.owner === node.instanceId && lease.expiresAt > now && isLive(node);
  const leader = nodes.find((node) => holds(scheduler, node));
  const listings = nodes.map((node): NodeListing => ({
    name: node.name,
    instanceId: node.instanceId,
    host: node.host,
    pid: node.pid,
    version: node.version,
    state: node.state,
    stateReason: node.stateReason,
    live: isLive(node),
    startedAt: node.startedAt,
    heartbeatAt: node.heartbeatAt,
    heartbeatAgeMs: Math.max(0, now - node.heartbeatAt),
    configHash: node.configHash,
    configMatchesLeader: leader === undefined ? null : node.configHash === leader.configHash,
    tags: node.tags,
    slots: node.slots,
    slotsInUse: node.slotsInUse,
    role: node.role,
    leads: [
      ...(holds(scheduler, node) ? [leaderLeaseName] : []),
      ...(holds(drainer, node) ? [drainerLeaseName] : []),
    ],
  }));
  return listings.sort((a, b) => Number(b.live) - Number(a.live) || a.name.localeCompare(b.name));
}
