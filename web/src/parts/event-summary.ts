import type { EventView } from '../types.ts';

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The one line people were told: the alert's summary, else its title, else the kind. */
export function eventSummary(event: EventView): string {
  const alert = record(record(event.details)['alert']);
  const summary = alert['summary'];
  if (typeof summary === 'string' && summary !== '') return summary;
  const title = alert['title'];
  return typeof title === 'string' && title !== '' ? title : event.kind;
}

/** The facts the raiser recorded (the error, the metric, how late), as name and text; secrets arrive masked. */
export function eventFacts(event: EventView): readonly (readonly [string, string])[] {
  return Object.entries(record(event.details))
    .filter(([name]) => name !== 'alert')
    .map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)] as const);
}
