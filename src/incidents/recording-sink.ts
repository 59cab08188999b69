import type { Clock } from '../clock/index.ts';
import type { Store } from '../store/index.ts';
import { eventOf } from './event-of.ts';
import type { IncidentSink } from './incident-sink.ts';

/** Records incidents as events and resolves them, telling nobody. */
export function recordingSink(store: Store, clock: Clock): IncidentSink {
  return {
    async raise(incident) {
      await store.recordEvent(eventOf(incident, clock.now()));
    },
    async resolve(recovery) {
      await store.resolveEvent(recovery.dedupKey, clock.now());
    },
  };
}
