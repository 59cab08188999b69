import { coerceError } from '../../errors/index.ts';
import type { ApiContext } from '../api-context.ts';

/** The monitors part of /readyz's summary: which monitors are down (null when the store did not say). */
export interface MonitorSummary {
  readonly monitorsDown: readonly string[] | null;
}

/**
 * Names of the job file's monitors that are down, by name. A summary, not a readiness check:
 * a monitor being down says something about a job elsewhere, not about this node.
 */
export async function monitorSummary(context: Pick<ApiContext, 'store' | 'logger'>): Promise<MonitorSummary> {
  try {
    const monitors = await context.store.listMonitors();
    return {
      monitorsDown: monitors
        .filter((monitor) => monitor.status === 'down' && monitor.removedAt === null)
        .map((monitor) => monitor.name)
        .sort(),
    };
  } catch (thrown) {
    context.logger.debug({ err: coerceError(thrown) }, 'readiness: listing monitors failed');
    return { monitorsDown: null };
  }
}
