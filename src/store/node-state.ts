/**
 * The state of a node (one daemon process): a stored union. `running` fires, claims and leads as
 * its role allows; `draining` (asked through `cronplane drain`) claims nothing new, holds no
 * scheduler or drainer lease and finishes what it runs; `stopped` is final: the process ended
 * cleanly, or was found gone (its heartbeat stopped, or its pid is dead on the same host). Every
 * change is a compare-and-set in the store.
 */
import { CronplaneError } from '../errors/index.ts';

export const NodeState = {
  running: 'running',
  draining: 'draining',
  stopped: 'stopped',
} as const;
export type NodeState = keyof typeof NodeState;

/** Which state may follow which. `stopped` is terminal: a restarted process is a new instance. */
export const nodeStateTransitions: { readonly [From in NodeState]: readonly NodeState[] } = {
  running: ['draining', 'stopped'],
  draining: ['stopped'],
  stopped: [],
};

/** What a node may do besides serving the API: lead (fire, release queue items) and claim runs. */
export const NodeRole = {
  /** Leads when it holds the leases, and claims runs. */
  all: 'all',
  /** May take the scheduler and queue-drainer leases; never claims runs. */
  scheduler: 'scheduler',
  /** Claims runs; never takes the scheduler or queue-drainer lease. */
  worker: 'worker',
} as const;
export type NodeRole = keyof typeof NodeRole;

export function isNodeState(value: unknown): value is NodeState {
  return typeof value === 'string' && Object.hasOwn(NodeState, value);
}

export function isNodeRole(value: unknown): value is NodeRole {
  return typeof value === 'string' && Object.hasOwn(NodeRole, value);
}

export function assertNodeState(value: unknown, path = 'state'): NodeState {
  if (isNodeState(value)) return value;
  throw new CronplaneError(
    'store.node-state',
    `Unknown node state ${JSON.stringify(value)}; expected one of: ${Object.keys(NodeState).join(', ')}.`,
    { location: { path } },
  );
}

/** Throws `cli.role`-style input errors listing the roles, for `--role`. */
export function assertNodeRole(value: unknown, path = 'role'): NodeRole {
  if (isNodeRole(value)) return value;
  throw new CronplaneError(
    'node.role',
    `Unknown node role ${JSON.stringify(value)}; expected one of: ${Object.keys(NodeRole).join(', ')}.`,
    { location: { path } },
  );
}

/** Whether a node in this role may take the scheduler and queue-drainer leases. */
export function roleMayLead(role: NodeRole): boolean {
  switch (role) {
    case 'all':
    case 'scheduler':
      return true;
    case 'worker':
      return false;
  }
}

/** Whether a node in this role may claim runs. */
export function roleMayClaim(role: NodeRole): boolean {
  switch (role) {
    case 'all':
    case 'worker':
      return true;
    case 'scheduler':
      return false;
  }
}
