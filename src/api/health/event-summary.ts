import { coerceError } from '../../errors/index.ts';
import type { EventSeverity } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';

/** How many open critical events /readyz names. */
export const criticalShown = 5;

export interface OpenCriticalEvent {
  readonly id: number;
  readonly kind: string;
  readonly job: string | null;
  /** When it was first seen (ISO 8601). */
  readonly since: string;
}

/** The events part of /readyz's summary (nulls when the store did not say). */
export interface EventSummary {
  /** Open (unresolved) events per severity, every severity present. */
  readonly openEvents: Readonly<Record<EventSeverity, number>> | null;
  /** The newest few open critical events. */
  readonly openCritical: readonly OpenCriticalEvent[] | null;
}

/**
 * Unresolved events by severity and the newest critical ones. A summary, not a readiness check:
 * an open incident says something about a job, not about whether this node can work.
 */
export async function eventSummary(context: Pick<ApiContext, 'store' | 'logger'>): Promise<EventSummary> {
  try {
    const [counts, critical] = await Promise.all([
      context.store.countOpenEvents(),
      context.store.listEvents({ open: true, severities: ['critical'], limit: criticalShown }),
    ]);
    return {
      openEvents: {
        info: counts.info ?? 0,
        warning: counts.warning ?? 0,
        failure: counts.failure ?? 0,
        critical: counts.critical ?? 0,
      },
      openCritical: critical.events.map((event) => ({
        id: event.id,
        kind: event.kind,
        job: event.job,
        since: new Date(event.firstSeen).toISOString(),
      })),
    };
  } catch (thrown) {
    context.logger.debug({ err: coerceError(thrown) }, 'readiness: counting open events failed');
    return { openEvents: null, openCritical: null };
  }
}
