import { CronplaneError } from '../errors/index.ts';
import type { Clock, TimerHandle } from '../clock/index.ts';
import type { Logger } from '../logging/index.ts';
import type { NodeRecord, NodeRole, NodeState, Store } from '../store/index.ts';
import { logStoreError, roleMayClaim, roleMayLead } from '../store/index.ts';
import type { NodeIdentity } from './node-identity.ts';
import { isProcessAlive } from './node-identity.ts';

/** How often a node writes its heartbeat. */
export const defaultHeartbeatMs = 1000;
/** A node not heard from for this long is gone: its leases are taken at once, its name is free. */
export const defaultNodeStaleMs = 5000;

export interface NodePresenceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly identity: NodeIdentity;
  readonly version: string;
  readonly role: NodeRole;
  readonly tags: readonly string[];
  readonly slots: number;
  /** The lease whose holder leads the cluster (its job file is the cluster's). */
  readonly leaderLease: string;
  /** The hash of the job file in force on this node (`jobFileHash`). */
  readonly configHash: () => string;
  /** Runs this node holds now. */
  readonly slotsInUse: () => number;
  /** Called when this node stops leading and claiming (a drain): give the leases up now. */
  readonly onStepDown: () => Promise<void>;
  /** Called when this node may claim again (its job file matches the leader's once more). */
  readonly onResume: () => void;
  readonly heartbeatMs?: number;
  readonly staleMs?: number;
  /** Whether a pid on this host lives (`process.kill(pid, 0)` by default). */
  readonly isAlive?: (pid: number) => boolean;
}

/** Why this node neither leads nor claims, as /readyz and the nodes view tell it. */
export interface NodeStatus {
  readonly instanceId: string;
  readonly name: string;
  readonly role: NodeRole;
  readonly state: NodeState;
  readonly configHash: string;
  /** The live leader's job-file hash (null while no node leads). */
  readonly leaderConfigHash: string | null;
  readonly leaderName: string | null;
  /** Set while this node's job file differs from the leader's. */
  readonly drift: string | undefined;
  /** Set once the cluster marked this node stopped (its heartbeat was late): it must be restarted. */
  readonly fenced: string | undefined;
}

/**
 * One process's presence in the nodes table: it registers at start (refused while a live process
 * has the name), writes a heartbeat every second (one UPDATE that answers its state and the
 * leader's job-file hash), and keeps three gates the engine asks: may lead, may claim, may write
 * the jobs table. It closes them while the node drains, while its job file differs from the
 * leader's, and for good if the cluster found it gone; it marks itself stopped on a clean stop.
 */
export class NodePresence {
  readonly #options: NodePresenceOptions;
  #state: NodeState = 'running';
  #leader: { readonly instanceId: string; readonly name: string; readonly configHash: string } | null = null;
  #fenced: string | undefined;
  #drifting = false;
  #timer: TimerHandle | undefined;
  #beating: Promise<void> | undefined;
  #running = false;
  #registered = false;

  constructor(options: NodePresenceOptions) {
    this.#options = options;
  }

  get instanceId(): string {
    return this.#options.identity.instanceId;
  }

  /**
   * Marks rows of this host whose process is dead stopped (their leases are free at once), then
   * registers this process and learns the leader. Throws `node.name-taken` when a live process has
   * the name.
   */
  async register(): Promise<void> {
    const { store, clock, identity } = this.#options;
    await this.#stopDeadNeighbours();
    const result = await store.registerNode({
      ...identity,
      version: this.#options.version,
      startedAt: clock.now(),
      staleMs: this.#staleMs(),
      configHash: this.#options.configHash(),
      tags: this.#options.tags,
      slots: this.#options.slots,
      role: this.#options.role,
    });
    if (!result.registered) throw nameTaken(identity.name, result.holder, clock.now());
    this.#registered = true;
    await this.#beat();
  }

  /** Starts the heartbeat. */
  start(): void {
    this.#running = true;
    this.#arm();
  }

  mayLead(): boolean {
    return roleMayLead(this.#options.role) && this.#open();
  }

  mayClaim(): boolean {
    return roleMayClaim(this.#options.role) && this.#open();
  }

  /** The leader's file is the cluster's: this node writes the jobs table when no other live node leads. */
  maySyncJobs(): boolean {
    return this.#leader === null || this.#leader.instanceId === this.instanceId;
  }

  status(): NodeStatus {
    const { identity, role } = this.#options;
    return {
      instanceId: identity.instanceId,
      name: identity.name,
      role,
      state: this.#state,
      configHash: this.#options.configHash(),
      leaderConfigHash: this.#leader?.configHash ?? null,
      leaderName: this.#leader?.name ?? null,
      drift: this.#drifting ? this.#driftMessage() : undefined,
      fenced: this.#fenced,
    };
  }

  /** Beats now (after a reload, so the new hash is compared at once). */
  async beat(): Promise<void> {
    await this.#beating;
    this.#beating = this.#beat();
    await this.#beating;
  }

  /** Stops the heartbeat and marks this node stopped (its remaining leases are free at once). */
  async release(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    await this.#beating;
    if (!this.#registered) return;
    this.#registered = false;
    const { store, clock, logger } = this.#options;
    await store.stopNode(this.instanceId, clock.now(), 'stopped cleanly').catch((thrown: unknown) => {
      logStoreError(logger, thrown, {}, 'marking this node stopped failed; it counts as gone once silent');
    });
  }

  #open(): boolean {
    return this.#state === 'running' && this.#fenced === undefined && !this.#drifting;
  }

  #heartbeatMs(): number {
    return this.#options.heartbeatMs ?? defaultHeartbeatMs;
  }

  #staleMs(): number {
    return this.#options.staleMs ?? defaultNodeStaleMs;
  }

  #arm(): void {
    if (!this.#running) return;
    this.#timer = this.#options.clock.setTimer(() => {
      this.#timer = undefined;
      this.#beating = this.#beat().finally(() => {
        this.#beating = undefined;
        this.#arm();
      });
    }, this.#heartbeatMs());
  }

  async #beat(): Promise<void> {
    const { store, clock, logger, identity } = this.#options;
    if (this.#fenced !== undefined) return;
    const wasOpen = this.#open();
    const configHash = this.#options.configHash();
    let answer;
    try {
      answer = await store.heartbeatNode(this.instanceId, {
        at: clock.now(),
        slotsInUse: this.#options.slotsInUse(),
        configHash,
        leaderLease: this.#options.leaderLease,
      });
    } catch (thrown) {
      logStoreError(logger, thrown, { node: identity.name }, 'writing the node heartbeat failed');
      return;
    }
    if (answer === undefined) {
      this.#fenced =
        'the cluster marked this node stopped (its heartbeat was late or its record was removed); ' +
        'it neither leads nor claims until it is restarted';
      logger.error({ node: identity.name, instance: this.instanceId }, this.#fenced);
    } else {
      if (answer.state !== this.#state && answer.state === 'draining') {
        logger.warn(
          { node: identity.name, running: this.#options.slotsInUse() },
          'draining: no new runs are claimed, the scheduler and queue leases are given up; running work finishes',
        );
      }
      this.#state = answer.state;
      this.#leader = answer.leader;
      const drifting = answer.leader !== null && answer.leader.configHash !== configHash;
      if (drifting && !this.#drifting) logger.error({ node: identity.name }, this.#driftMessage());
      if (!drifting && this.#drifting) {
        logger.info(
          { node: identity.name, configHash },
          "the job file matches the leader's again: claiming runs",
        );
      }
      this.#drifting = drifting;
    }
    const open = this.#open();
    if (wasOpen && !open) await this.#options.onStepDown();
    if (!wasOpen && open) this.#options.onResume();
  }

  #driftMessage(): string {
    const leader = this.#leader;
    return (
      `this node's job file (hash ${this.#options.configHash()}) differs from the leader's ` +
      `(node ${leader?.name ?? '?'}, hash ${leader?.configHash ?? '?'}): it neither fires nor claims runs ` +
      'until they match; give every node the same job file and reload (SIGHUP)'
    );
  }

  /** Live rows of this host and pid namespace whose process is dead: stopped, so their leases are free. */
  async #stopDeadNeighbours(): Promise<void> {
    const { store, clock, identity } = this.#options;
    const alive = this.#options.isAlive ?? isProcessAlive;
    const now = clock.now();
    for (const node of await store.listNodes({ stoppedSince: now })) {
      if (node.state === 'stopped' || node.processScope !== identity.processScope) continue;
      if (node.pid === identity.pid || alive(node.pid)) continue;
      await store.stopNode(node.instanceId, now, `its process (pid ${node.pid}) is dead`);
    }
  }
}

function nameTaken(name: string, holder: NodeRecord, now: number): CronplaneError {
  const age = Math.max(0, Math.round((now - holder.heartbeatAt) / 100) / 10);
  return new CronplaneError(
    'node.name-taken',
    `another live cronplane process is named "${name}": instance ${holder.instanceId} on host ` +
      `${holder.host}, pid ${holder.pid}, last heartbeat ${age} s ago. Stop it, or give this one ` +
      `another name with --node (a process silent for ${Math.round(holder.staleMs / 1000)} s counts as gone).`,
    { location: { path: '--node' } },
  );
}
