import { Fragment } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { ApiFailure, api } from '../api.ts';
import { eventFacts, eventSummary } from '../parts/event-summary.ts';
import { EventState, SeverityBadge } from '../parts/severity-badge.tsx';
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
  const [event, setEvent] = useState<EventView | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setEvent(undefined);
    setProblem(undefined);
    api
      .get<{ event: EventView }>(`/api/events/${encodeURIComponent(id)}`)
      .then((answer) => setEvent(answer.event))
      .catch((thrown: unknown) => setProblem(thrown instanceof ApiFailure ? thrown.message : String(thrown)));
  }, [id]);

  const resolve = async () => {
    setBusy(true);
    try {
      const answer = await api.post<{ event: EventView }>(`/api/events/${encodeURIComponent(id)}/resolve`);
      setEvent(answer.event);
      setProblem(undefined);
    } catch (thrown) {
      setProblem(thrown instanceof ApiFailure ? thrown.message : String(thrown));
      // Someone else may have resolved it: show what the store holds now.
      await api
        .get<{ event: EventView }>(`/api/events/${encodeURIComponent(id)}`)
        .then((answer) => setEvent(answer.event))
        .catch(() => undefined);
    } finally {
      setBusy(false);
    }
  };

  const problemLine = problem !== undefined && (
    <p class="problem" role="alert">
      {problem}
    </p>
  );
  if (event === undefined) {
    return (
      <main>
        <h1>Event {id}</h1>
        {problemLine || <p class="muted">Loading…</p>}
      </main>
    );
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
      {problemLine}
      <p class="lead">{eventSummary(event)}</p>
      <dl class="facts">
        <dt>Job</dt>
        <dd>
          {event.job === null ? (
            '—'
          ) : (
            <>
              <a href={`/jobs/${encodeURIComponent(event.job)}`}>{event.job}</a> ·{' '}
              <a href={`/events?job=${encodeURIComponent(event.job)}`}>its events</a>
            </>
          )}
        </dd>
        <dt>Run</dt>
        <dd>{event.runId === null ? '—' : <a href={`/runs/${event.runId}`}>run {event.runId}</a>}</dd>
        <dt>First seen</dt>
        <dd>
          <When at={event.firstSeen} />
        </dd>
        <dt>Last seen</dt>
        <dd>
          <When at={event.lastSeen} />
        </dd>
        <dt>Count</dt>
        <dd>{event.count}</dd>
        <dt>People told</dt>
        <dd>{event.notifiedAt === null ? 'nobody' : <When at={event.notifiedAt} />}</dd>
        <dt>Resolved</dt>
        <dd>{event.resolvedAt === null ? 'no, still open' : <When at={event.resolvedAt} />}</dd>
        <dt>Incident</dt>
        <dd>
          <code>{event.dedupKey}</code>
        </dd>
      </dl>
      {facts.length > 0 && (
        <section>
          <h2>Details</h2>
          <dl class="facts">
            {facts.map(([name, text]) => (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd>
                  <code class="detail">{text}</code>
                </dd>
              </Fragment>
            ))}
          </dl>
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
