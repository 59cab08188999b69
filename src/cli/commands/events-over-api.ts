import type { EventView } from '../../api/index.ts';
import type { CliIo } from '../cli-io.ts';
import { callApi } from '../api-client.ts';
import type { EventsFilter } from './events.ts';

/** `cronplane events` through a daemon's API (scope read): the API's event views. */
export async function listEventsOverApi(
  io: CliIo,
  server: string | undefined,
  filter: EventsFilter,
): Promise<readonly EventView[]> {
  const search = new URLSearchParams({ limit: String(filter.limit) });
  if (filter.job !== undefined) search.set('job', filter.job);
  if (filter.kind !== undefined) search.set('kind', filter.kind);
  if (filter.severities.length > 0) search.set('severity', filter.severities.join(','));
  if (filter.open) search.set('open', 'true');
  const answer = await callApi<{ events: EventView[] }>(io, {
    server,
    method: 'GET',
    path: `/api/events?${search}`,
  });
  return answer.body.events;
}

/** `cronplane events resolve ID` through a daemon's API (scope trigger; audited under the token's name). */
export async function resolveEventOverApi(
  io: CliIo,
  server: string | undefined,
  id: number,
): Promise<EventView> {
  const answer = await callApi<{ event: EventView }>(io, {
    server,
    method: 'POST',
    path: `/api/events/${id}/resolve`,
  });
  return answer.body.event;
}
