import type { ApiContext } from '../api-context.ts';
import type { StorePing } from './ping-store.ts';
import { pingStore } from './ping-store.ts';

/** How late the scheduler's earliest fire may be before the scheduler counts as stalled. */
export const schedulerStallMs = 15_000;

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
}

/**
 * Ready when the store answers and the scheduler is alive: its earliest fire is not long past
 * (the timer went off and moved it), or it ticked recently (a follower node looks every few
 * seconds without moving its fires).
 */
export async function checkReadiness(context: ApiContext): Promise<Readiness> {
  const { engine, clock } = context;
  const store = await pingStore(context.store);
  const now = clock.now();
  let earliest: number | null = null;
  for (const job of context.jobs()) {
    const next = engine.scheduler.nextFireOf(job.name);
    if (next !== null && (earliest === null || next < earliest)) earliest = next;
  }
  const lastTick = engine.scheduler.lastTickAt;
  const overdueMs = earliest === null ? 0 : Math.max(0, now - earliest);
  const ticking = lastTick > 0 && now - lastTick <= schedulerStallMs;
  const schedulerOk = overdueMs <= schedulerStallMs || ticking;
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
  };
}
