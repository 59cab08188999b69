import type { ApiContext } from '../api-context.ts';
import type { MonitorSummary } from './monitor-summary.ts';
import { monitorSummary } from './monitor-summary.ts';
import type { EventSummary } from './event-summary.ts';
import { eventSummary } from './event-summary.ts';
import type { StorePing } from './ping-store.ts';
import { pingStore, storePingTimeoutMs } from './ping-store.ts';
import { schedulerStall } from '../../engine/index.ts';

/** The store check: the probe now, and what the node's loops last found. */
export interface StoreCheck extends StorePing {
  /** While the store cannot be written: since when (ISO 8601) and how many calls failed. */
  readonly unavailableSince?: string;
  readonly failedAttempts?: number;
}

export interface Readiness {
  readonly ready: boolean;
  readonly status: 'ready' | 'not ready' | 'stopping';
  readonly node: string;
  /** Why the node is not ready, one sentence each (empty when ready). */
  readonly reasons: readonly string[];
  readonly checks: {
    readonly store: StoreCheck;
    readonly scheduler: {
      readonly ok: boolean;
      readonly leader: boolean;
      readonly lastTickAt: string | null;
      readonly nextFireAt: string | null;
      /** How far past its time the earliest fire is (0 when it is in the future). */
      readonly overdueMs: number;
      readonly reason?: string;
    };
    readonly worker: { readonly ok: boolean; readonly running: number };
    /** This node in the cluster: drained, job file unlike the leader's, or found gone. */
    readonly node?: {
      readonly ok: boolean;
      readonly instanceId: string;
      readonly role: string;
      readonly state: string;
      readonly configHash: string;
      readonly leaderConfigHash: string | null;
      readonly reason?: string;
    };
  };
  /** What needs people's attention elsewhere; never a reason to be not ready. */
  readonly summary: MonitorSummary & EventSummary;
}

/**
 * Ready when the store can be written and the scheduler is alive: its earliest fire is not long
 * past (the timer went off and moved it), or it ticked recently (a follower node looks every few
 * seconds without moving its fires). The store counts as writable when its probe answers within
 * 500 ms and the node's loops did not last find it failing (the store health, which the probe's
 * own outcome updates). Never waits longer than that for the store: the summaries give up too.
 */
export async function checkReadiness(context: ApiContext): Promise<Readiness> {
  const { engine, clock } = context;
  const [probe, monitors, events] = await Promise.all([
    pingStore(context.store),
    withinProbeTime(monitorSummary(context), { monitorsDown: null }),
    withinProbeTime(eventSummary(context), { openEvents: null, openCritical: null }),
  ]);
  const health = context.storeHealth?.state;
  const unavailable = health?.status === 'unavailable' ? health : undefined;
  const healthReason = context.storeHealth?.describe();
  const store: StoreCheck = {
    ...probe,
    ok: probe.ok && unavailable === undefined,
    ...(unavailable === undefined
      ? {}
      : {
          error: probe.error ?? unavailable.reason,
          unavailableSince: new Date(unavailable.since).toISOString(),
          failedAttempts: unavailable.attempts,
        }),
  };
  const now = clock.now();
  const stall = schedulerStall(engine.scheduler, now);
  const { earliest, overdueMs } = stall;
  const lastTick = stall.lastTickAt;
  const schedulerOk = !stall.stalled;
  const stopping = !context.accepting();
  const presence = context.presence?.status();
  const nodeReason =
    presence === undefined
      ? undefined
      : (presence.fenced ??
        presence.drift ??
        (presence.state === 'running' ? undefined : `this node is ${presence.state}: it claims no new runs`));
  const ready = store.ok && schedulerOk && !stopping && nodeReason === undefined;
  const schedulerReason = `the earliest fire is ${Math.round(overdueMs / 1000)} s overdue and the scheduler has not ticked since`;
  const reasons = [
    ...(stopping ? ['the daemon is stopping'] : []),
    ...(healthReason !== undefined
      ? [healthReason]
      : probe.ok
        ? []
        : [`store did not answer its probe: ${probe.error ?? 'unknown error'}`]),
    ...(schedulerOk ? [] : [`scheduler stalled: ${schedulerReason}`]),
    ...(nodeReason === undefined ? [] : [nodeReason]),
  ];
  return {
    ready,
    status: stopping ? 'stopping' : ready ? 'ready' : 'not ready',
    node: context.node,
    reasons,
    checks: {
      store,
      scheduler: {
        ok: schedulerOk,
        leader: engine.scheduler.isLeader,
        lastTickAt: lastTick > 0 ? new Date(lastTick).toISOString() : null,
        nextFireAt: earliest === null ? null : new Date(earliest).toISOString(),
        overdueMs,
        ...(schedulerOk ? {} : { reason: schedulerReason }),
      },
      worker: { ok: true, running: engine.worker.activeCount },
      ...(presence === undefined
        ? {}
        : {
            node: {
              ok: nodeReason === undefined,
              instanceId: presence.instanceId,
              role: presence.role,
              state: presence.state,
              configHash: presence.configHash,
              leaderConfigHash: presence.leaderConfigHash,
              ...(nodeReason === undefined ? {} : { reason: nodeReason }),
            },
          }),
    },
    summary: { ...monitors, ...events },
  };
}

/** A summary that does not come within the probe's time is left out (its fallback), not waited for. */
async function withinProbeTime<T>(summary: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), storePingTimeoutMs);
  });
  try {
    return await Promise.race([summary, late]);
  } finally {
    clearTimeout(timer);
  }
}
