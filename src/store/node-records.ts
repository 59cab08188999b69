/** The records of the `nodes` table: one row per daemon process (instance), as the store keeps it. */
import type { NodeRole, NodeState } from './node-state.ts';

/** A process starting: registered `running`, its heartbeat at `startedAt`. */
export interface NewNode {
  /** Generated per process (a random UUID): the owner of the leases it takes. */
  readonly instanceId: string;
  /** The label people use (`--node`, default the host name); one live process per name. */
  readonly name: string;
  readonly host: string;
  /**
   * Where `pid` means something: the host name and the process's pid namespace. A process in the
   * same scope can tell whether the pid still lives.
   */
  readonly processScope: string;
  readonly pid: number;
  readonly version: string;
  readonly startedAt: number;
  /** After this long without a heartbeat the node counts as gone (its leases may be taken). */
  readonly staleMs: number;
  /** The hash of the whole resolved job file (`jobFileHash`). */
  readonly configHash: string;
  readonly tags: readonly string[];
  readonly slots: number;
  readonly role: NodeRole;
}

export interface NodeRecord extends NewNode {
  readonly heartbeatAt: number;
  readonly slotsInUse: number;
  readonly state: NodeState;
  readonly stateChangedAt: number;
  /** Why the state last changed (`drained through the API by ops`, `its pid is dead`). */
  readonly stateReason: string | null;
}

/** A registration: done, or refused because a live process already has the name. */
export type RegisterNodeResult =
  | { readonly registered: true; readonly node: NodeRecord }
  | { readonly registered: false; readonly holder: NodeRecord };

export interface HeartbeatInput {
  readonly at: number;
  readonly slotsInUse: number;
  readonly configHash: string;
  /** The lease whose holder is the cluster's leader (`scheduler`): its node is returned. */
  readonly leaderLease: string;
}

/** What a heartbeat learns: this node's state (a drain asked elsewhere) and the live leader. */
export interface HeartbeatResult {
  readonly state: NodeState;
  /** The live holder of the leader lease (this node included), or null when none is live. */
  readonly leader: {
    readonly instanceId: string;
    readonly name: string;
    readonly configHash: string;
  } | null;
}

export interface DrainNodeResult {
  readonly node: NodeRecord;
  /** False when it was draining already. */
  readonly changed: boolean;
}
