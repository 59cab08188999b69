import { ControlError } from './control-error.ts';

/** The range a history read covers when none is given: the last 30 days. */
export const defaultHistoryMs = 30 * 24 * 60 * 60 * 1000;

/** A refusal of a query field, as the API names it (`query.points`). */
export function badQuery(field: string, message: string): ControlError {
  const path = `query.${field}`;
  return new ControlError('bad_input', 'api.invalid', `${path}: ${message}`, { path });
}

/** [from, to) of a history read: `to` defaults to now, `from` to 30 days before `to`; `from` must come first. */
export function historyRange(
  query: { readonly from?: number | undefined; readonly to?: number | undefined },
  now: number,
): { readonly from: number; readonly to: number } {
  const to = query.to ?? now;
  const from = query.from ?? to - defaultHistoryMs;
  if (from < 0)
    throw badQuery('from', `expected an instant from 1970 on; found ${new Date(from).toISOString()}`);
  if (to <= from) {
    throw badQuery(
      'to',
      `expected an instant after from (${new Date(from).toISOString()}); found ${new Date(to).toISOString()}`,
    );
  }
  return { from, to };
}
