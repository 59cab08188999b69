import { useContext, useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { addressWith } from '../parts/address-with.ts';
import { useCursorTrail } from '../parts/cursor-trail.ts';
import { Loading } from '../parts/loading.tsx';
import { Pager } from '../parts/pager.tsx';
import { Problem } from '../parts/problem.tsx';
import { useApiView } from '../parts/use-api-view.ts';
import { When } from '../parts/when.tsx';
import { SessionContext, mayDo } from '../session-context.ts';
import type { AuditEntry } from '../types.ts';

/** The actions the control plane records, for the filter. */
const actions = [
  'job.trigger',
  'job.pause',
  'job.resume',
  'queue.enqueue',
  'run.retry',
  'run.cancel',
  'event.resolve',
  'monitor.pause',
  'monitor.resume',
  'node.drain',
  'token.create',
  'token.revoke',
] as const;

const pageSize = 50;

/** The page an entry's target names, if it names one: a job, a run, an event, a monitor, a node. */
export function targetHref(action: string, target: string): string | undefined {
  const numbered = /^(run|event):(\d+)$/.exec(target);
  if (numbered !== null) return `/${numbered[1]}s/${numbered[2]}`;
  const enc = encodeURIComponent(target);
  if (action.startsWith('job.')) return `/jobs/${enc}`;
  if (action.startsWith('queue.')) return `/queues/${enc}`;
  if (action.startsWith('monitor.')) return `/monitors/${enc}`;
  if (action.startsWith('node.')) return '/nodes';
  return undefined;
}

function detailsText(details: unknown): string {
  if (details === null || details === undefined) return '';
  return typeof details === 'string' ? details : JSON.stringify(details);
}

/** Who did what, when, with which token: the audit log newest first, filtered by actor and action. */
export function AuditPage() {
  const session = useContext(SessionContext);
  const location = useLocation();
  const actor = location.query['actor'] ?? '';
  const action = location.query['action'] ?? '';
  const trail = useCursorTrail('cursor');
  const [actorInput, setActorInput] = useState(actor);
  // The log is for admin tokens of every job (as the API checks); others are told, not refused.
  const mayRead = mayDo(session, 'admin') && session?.jobs.length === 0;
  const { view: page, problem } = useApiView<{ entries: AuditEntry[]; nextCursor: number | null }>(
    mayRead
      ? addressWith(
          '/api/audit',
          { limit: String(pageSize) },
          {
            actor,
            action,
            cursor: trail.cursor === undefined ? null : String(trail.cursor),
          },
        )
      : undefined,
  );
  const entries = page?.entries;

  useEffect(() => setActorInput(actor), [actor]);

  if (!mayRead) {
    return (
      <main>
        <h1>Audit</h1>
        <p class="problem" role="status">
          The audit log is for admin tokens that may act on every job. You are signed in as{' '}
          <strong>{session?.name}</strong> with scope <strong>{session?.scope}</strong>
          {session !== undefined && session.jobs.length > 0 && <> for the jobs {session.jobs.join(', ')}</>};
          ask an administrator, or sign in with such a token.
        </p>
      </main>
    );
  }

  return (
    <main>
      <h1>Audit</h1>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          location.route(addressWith('/audit', {}, { actor: actorInput.trim(), action }));
        }}
      >
        <label class="filter">
          <span>Actor (token name)</span>
          <input
            type="search"
            name="actor"
            value={actorInput}
            onInput={(event) => setActorInput(event.currentTarget.value)}
          />
        </label>
        <label class="filter">
          <span>Action</span>
          <select
            name="action"
            value={action}
            onChange={(event) =>
              location.route(
                addressWith('/audit', {}, { actor: actorInput.trim(), action: event.currentTarget.value }),
              )
            }
          >
            <option value="">any</option>
            {actions.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
        {(actor !== '' || action !== '') && <a href="/audit">Clear</a>}
      </form>
      <Problem text={problem} />
      {entries === undefined ? (
        problem === undefined && <Loading what="the audit log" />
      ) : entries.length === 0 ? (
        <p class="muted">
          {actor === '' && action === '' ? 'Nothing has been changed yet.' : 'No entry matches.'}
        </p>
      ) : (
        <table class="ops audit">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => {
              const href = entry.target === null ? undefined : targetHref(entry.action, entry.target);
              return (
                <tr key={entry.id} data-entry={entry.id} data-action={entry.action}>
                  <td>
                    <When at={entry.at} />
                  </td>
                  <td class="actor">{entry.actor}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>
                    {entry.target === null ? (
                      <span class="muted">—</span>
                    ) : href === undefined ? (
                      entry.target
                    ) : (
                      <a href={href}>{entry.target}</a>
                    )}
                  </td>
                  <td>
                    <code class="payload">{detailsText(entry.details)}</code>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Pager trail={trail} nextCursor={page?.nextCursor} label="pages of the audit log" noun="entries" />
    </main>
  );
}
