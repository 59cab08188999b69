import type { ApiContext } from '../api-context.ts';
import type { MonitorSummary } from './monitor-summary.ts';
import { monitorSummary } from './monitor-summary.ts';
import type { EventSummary } from './event-summary.ts';
import { eventSummary } from './event-summary.ts';
import type { StorePing } from './ping-store.ts';
import { pingStore } from './ping-store.ts';
import { schedulerStall } from '../../engine/scheduler-stall.ts';

export interface Readiness {
  readonly ready: boolean;
  readonly status: 'ready' | 'not ready' | 'stopping';
  readonly node: string;
  readonly checks: {
    readonly store: StorePing;
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
  };
  /** What needs people's attention elsewhere; never a reason to be not ready. */
  readonly summary: MonitorSummary & EventSummary;
}

/**
 * Ready when the store answers and the scheduler is alive: its earliest fire is not long past
 * (the timer went off and moved it), or it ticked recently (a follower node looks every few
 * seconds without moving its fires).
 */
export async function checkReadiness(context: ApiContext): Promise<Readiness> {
  const { engine, clock } = context;
  const [store, monitors, events] = await Promise.all([
    pingStore(context.store),
    monitorSummary(context),
    eventSummary(context),
  ]);
  const now = clock.now();
  const stall = schedulerStall(
    engine.scheduler,
    context.jobs().map((job) => job.name),
    now,
  );
  const { earliest, overdueMs } = stall;
  const lastTick = stall.lastTickAt;
  const schedulerOk = !stall.stalled;
  const stopping = !context.accepting();
  const ready = store.ok && schedulerOk && !stopping;
  return {
    ready,
    status: stopping ? 'stopping' : ready ? 'ready' : 'not ready',
    node: context.node,
    checks: {
      store,
      scheduler: {
        ok: schedulerOk,
        leader: engine.scheduler.isLeader,
        lastTickAt: lastTick > 0 ? new Date(lastTick).toISOString() : null,
        nextFireAt: earliest === null ? null : new Date(earliest).toISOString(),
        overdueMs,
        ...(schedulerOk
          ? {}
          : {
              reason: `the earliest fire is ${Math.round(overdueMs / 1000)} s overdue and the scheduler has not ticked since`,
            }),
      },
      worker: { ok: true, running: engine.worker.activeCount },
    },
    summary: { ...monitors, ...events },
  };
}
