import { z } from 'zod';
import type { EventRecord } from '../../store/index.ts';
import { EventSeverity } from '../../store/index.ts';
import { iso } from './run-view.ts';

const instant = z.string().describe('ISO 8601 instant, UTC');

export const eventViewSchema = z
  .object({
    id: z.int(),
    kind: z
      .string()
      .describe('what happened: run:failed, run:stuck, schedule:missed, guard:NAME, monitor:down...'),
    severity: z.enum(Object.keys(EventSeverity) as [EventSeverity, ...EventSeverity[]]),
    job: z.string().nullable(),
    runId: z.int().nullable().describe('the run it is about (the latest, for a repeat), or null'),
    dedupKey: z.string().describe('one incident while open: a repeat counts on the same event'),
    firstSeen: instant,
    lastSeen: instant,
    count: z.int().describe('how many times it happened while open'),
    resolvedAt: instant.nullable().describe('null while open'),
    notifiedAt: instant.nullable().describe('when people were last told (its opening or a reminder)'),
    details: z.unknown().describe('what the raiser recorded (secret values as ***)'),
  })
  .describe('an event');

export type EventView = z.output<typeof eventViewSchema>;

export const eventPageSchema = z.object({ events: z.array(eventViewSchema), nextCursor: z.int().nullable() });
export type EventPage = z.output<typeof eventPageSchema>;

/** An event as the API shows it; secrets in `details` are masked by the answer filter. */
export function eventView(event: EventRecord): EventView {
  return {
    id: event.id,
    kind: event.kind,
    severity: event.severity,
    job: event.job,
    runId: event.runId,
    dedupKey: event.dedupKey,
    firstSeen: iso(event.firstSeen) as string,
    lastSeen: iso(event.lastSeen) as string,
    count: event.count,
    resolvedAt: iso(event.resolvedAt),
    notifiedAt: iso(event.notifiedAt),
    details: event.details,
  };
}
