import { useContext, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { errorText } from '../parts/error-text.ts';
import { eventFacts, eventSummary } from '../parts/event-summary.ts';
import { Facts } from '../parts/facts.tsx';
import { LoadingPage } from '../parts/loading-page.tsx';
import { Problem } from '../parts/problem.tsx';
import { EventState, SeverityBadge } from '../parts/severity-badge.tsx';
import { useApiView } from '../parts/use-api-view.ts';
import { When } from '../parts/when.tsx';
import { SessionContext, mayDo } from '../session-context.ts';
import type { EventView } from '../types.ts';

/** What the event's row says happened, in order: opened, people told, last seen, resolved. */
function timelineOf(event: EventView): { readonly at: string; readonly what: string }[] {
  const steps = [{ at: event.firstSeen, what: 'opened' }];
  if (event.count > 1) steps.push({ at: event.lastSeen, what: `seen again (${event.count} times in all)` });
  if (event.notifiedAt !== null) steps.push({ at: event.notifiedAt, what: 'people last told' });
  if (event.resolvedAt !== null) steps.push({ at: event.resolvedAt, what: 'resolved' });
  return steps.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** One event: every fact it holds, its timeline, and Resolve while it is open (scope trigger). */
export function EventPage({ id }: { readonly id: string }) {
  const session = useContext(SessionContext);
  const [busy, setBusy] = useState(false);
  const path = `/api/events/${encodeURIComponent(id)}`;
  const { view, problem, setView, setProblem } = useApiView<{ event: EventView }>(path);
  const event = view?.event;

  const resolve = async () => {
    setBusy(true);
    try {
      setView(await api.post<{ event: EventView }>(`${path}/resolve`));
      setProblem(undefined);
    } catch (thrown) {
      setProblem(errorText(thrown));
      // Someone else may have resolved it: show what the store holds now (and still say why not).
      await api
        .get<{ event: EventView }>(path)
        .then(setView)
        .catch(() => undefined);
    } finally {
      setBusy(false);
    }
  };

  if (event === undefined) {
    return <LoadingPage title={`Event ${id}`} problem={problem} />;
  }
  const facts = eventFacts(event);
  return (
    <main>
      <div class="page-head">
        <h1>
          Event {event.id}: <code>{event.kind}</code>
          {event.job !== null && <> of {event.job}</>}
        </h1>
        <span class="head-badges">
          <SeverityBadge severity={event.severity} /> <EventState resolvedAt={event.resolvedAt} />
        </span>
        {event.resolvedAt === null && mayDo(session, 'trigger') && (
          <button type="button" disabled={busy} onClick={() => void resolve()}>
            Resolve
          </button>
        )}
      </div>
      <Problem text={problem} />
      <p class="lead">{eventSummary(event)}</p>
      <Facts
        facts={[
          [
            'Job',
            event.job === null ? (
              '—'
            ) : (
              <>
                <a href={`/jobs/${encodeURIComponent(event.job)}`}>{event.job}</a> ·{' '}
                <a href={`/events?job=${encodeURIComponent(event.job)}`}>its events</a>
              </>
            ),
          ],
          ['Run', event.runId === null ? '—' : <a href={`/runs/${event.runId}`}>run {event.runId}</a>],
          ['First seen', <When at={event.firstSeen} />],
          ['Last seen', <When at={event.lastSeen} />],
          ['Count', event.count],
          ['People told', event.notifiedAt === null ? 'nobody' : <When at={event.notifiedAt} />],
          ['Resolved', event.resolvedAt === null ? 'no, still open' : <When at={event.resolvedAt} />],
          ['Incident', <code>{event.dedupKey}</code>],
        ]}
      />
      {facts.length > 0 && (
        <section>
          <h2>Details</h2>
          <Facts facts={facts.map(([name, text]) => [name, <code class="detail">{text}</code>])} />
        </section>
      )}
      <section>
        <h2>Timeline</h2>
        <ol class="timeline">
          {timelineOf(event).map((step) => (
            <li key={step.what}>
              <When at={step.at} /> {step.what}
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}
