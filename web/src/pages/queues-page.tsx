import { useState } from 'preact/hooks';
import { humaneDuration } from '../parts/humane-duration.ts';
import { Loading } from '../parts/loading.tsx';
import { Problem } from '../parts/problem.tsx';
import { StatusBadge } from '../parts/status-badge.tsx';
import { useApiView } from '../parts/use-api-view.ts';
import { When } from '../parts/when.tsx';
import type { QueueDetail, QueueSummary } from '../types.ts';

const stuckReasons = {
  unclaimed: 'released, not started',
  'lease-expired': 'lease expired',
  'over-runtime': 'over its runtime',
} as const;

function jobPath(job: string): string {
  return `/queues/${encodeURIComponent(job)}`;
}

/** The totals of one queue job: waiting, released, running, the oldest waiting item, stuck ones. */
function QueueTotals({ queue }: { readonly queue: QueueSummary }) {
  return (
    <dl class="queue-totals">
      <div>
        <dt>Waiting</dt>
        <dd>{queue.waiting}</dd>
      </div>
      <div>
        <dt>Released</dt>
        <dd>{queue.released}</dd>
      </div>
      <div>
        <dt>Running</dt>
        <dd>{queue.running}</dd>
      </div>
      <div>
        <dt>Oldest waiting</dt>
        <dd class="oldest">
          {queue.oldestWaitingAt === null ? (
            <span class="muted">none waits</span>
          ) : (
            <span title={`enqueued ${new Date(queue.oldestWaitingAt).toISOString()}`}>
              {humaneDuration(queue.oldestWaitingAgeMs)}
            </span>
          )}
        </dd>
      </div>
      <div>
        <dt>Stuck</dt>
        <dd class={queue.stuckCount > 0 ? 'stuck-count has-stuck' : 'stuck-count'}>
          {queue.stuckCount > 0 && <span aria-hidden="true">▲ </span>}
          {queue.stuckCount}
        </dd>
      </div>
    </dl>
  );
}

function KeyTable({ queue }: { readonly queue: QueueSummary }) {
  if (queue.keys.length === 0) return <p class="muted">No item is waiting, released or running.</p>;
  return (
    <table class="ops queue-keys">
      <caption class="sr-only">Items of {queue.job} per key</caption>
      <thead>
        <tr>
          <th scope="col">{queue.limits.key === null ? 'Key' : `Key (${queue.limits.key})`}</th>
          <th scope="col">Waiting</th>
          <th scope="col">Released</th>
          <th scope="col">Running</th>
        </tr>
      </thead>
      <tbody>
        {queue.keys.map((key) => (
          <tr key={key.key ?? ''} data-key={key.key ?? ''}>
            <th scope="row">{key.key ?? <span class="muted">no key</span>}</th>
            <td>{key.waiting}</td>
            <td>{key.released}</td>
            <td>{key.running}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Limits({ queue }: { readonly queue: QueueSummary }) {
  const parts = [
    queue.limits.perKey === null ? undefined : `${queue.limits.perKey} in progress per key`,
    queue.limits.maxPerRun === null ? undefined : `${queue.limits.maxPerRun} released per fire`,
  ].filter((part) => part !== undefined);
  return (
    <p class="muted">
      {parts.length === 0 ? 'No limit per key or per fire.' : `At most ${parts.join(', ')}.`} Stuck: released
      and not started within {humaneDuration(queue.stuckAfter.releasedMs)}, a lapsed lease
      {queue.stuckAfter.runningMs === null
        ? ''
        : `, or running over ${humaneDuration(queue.stuckAfter.runningMs)}`}
      .
    </p>
  );
}

/** Every queue job: totals, oldest waiting item, stuck count and a row per key. */
export function QueuesPage() {
  const [version, setVersion] = useState(0);
  const { view, problem } = useApiView<{ queues: QueueSummary[] }>('/api/queues', { version });
  return (
    <main>
      <div class="page-head">
        <h1>Queues</h1>
        <button type="button" onClick={() => setVersion((value) => value + 1)}>
          Refresh
        </button>
      </div>
      <Problem text={problem} />
      {view === undefined ? (
        problem === undefined && <Loading what="queues" />
      ) : view.queues.length === 0 ? (
        <p class="muted">No job you may see has a queue: section.</p>
      ) : (
        view.queues.map((queue) => (
          <section
            key={queue.job}
            class="queue"
            data-queue={queue.job}
            aria-labelledby={`queue-${queue.job}`}
          >
            <h2 id={`queue-${queue.job}`}>
              <a href={jobPath(queue.job)}>{queue.job}</a>
              {queue.paused && <span class="tag">paused: releases nothing</span>}
            </h2>
            <QueueTotals queue={queue} />
            <KeyTable queue={queue} />
          </section>
        ))
      )}
    </main>
  );
}

/** One queue job: totals, keys, the next items to drain and the stuck ones. */
export function QueuePage({ job }: { readonly job: string }) {
  const [version, setVersion] = useState(0);
  const { view, problem } = useApiView<QueueDetail>(`/api/jobs/${encodeURIComponent(job)}/queue`, {
    version,
  });
  return (
    <main>
      <p class="crumbs">
        <a href="/queues">Queues</a>
      </p>
      <div class="page-head">
        <h1>Queue of {job}</h1>
        <button type="button" onClick={() => setVersion((value) => value + 1)}>
          Refresh
        </button>
      </div>
      <Problem text={problem} />
      {view === undefined ? (
        problem === undefined && <Loading what="the queue" />
      ) : (
        <div data-queue={view.job}>
          {view.paused && <p class="tag">paused: releases nothing</p>}
          <QueueTotals queue={view} />
          <Limits queue={view} />
          <h2>Per key</h2>
          <KeyTable queue={view} />
          <h2 id="stuck-items">Stuck items</h2>
          {view.stuck.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <table class="ops stuck-items" aria-labelledby="stuck-items">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Status</th>
                  <th scope="col">Key</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {view.stuck.map((item) => (
                  <tr key={item.run.id} data-run={item.run.id}>
                    <th scope="row">
                      <a href={`/runs/${item.run.id}`}>#{item.run.id}</a>
                    </th>
                    <td>
                      <StatusBadge status={item.run.status} />
                    </td>
                    <td>{item.run.rateKey ?? <span class="muted">no key</span>}</td>
                    <td>
                      <strong>{stuckReasons[item.reason]}</strong>: {item.detail}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2 id="next-items">Next to drain</h2>
          {view.next.length === 0 ? (
            <p class="muted">Nothing waits.</p>
          ) : (
            <table class="ops next-items" aria-labelledby="next-items">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Key</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Enqueued</th>
                  <th scope="col">By</th>
                  <th scope="col">Payload</th>
                </tr>
              </thead>
              <tbody>
                {view.next.map((item) => (
                  <tr key={item.id} data-run={item.id}>
                    <th scope="row">
                      <a href={`/runs/${item.id}`}>#{item.id}</a>
                    </th>
                    <td>{item.rateKey ?? <span class="muted">no key</span>}</td>
                    <td>{item.priority}</td>
                    <td>
                      <When at={item.queuedAt} />
                    </td>
                    <td>{item.requestedBy ?? <span class="muted">—</span>}</td>
                    <td>
                      <code class="payload">{JSON.stringify(item.payload)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {view.next.length >= 50 && (
            <p class="muted">
              The oldest 50 of {view.waiting} waiting items, in the order they are released.
            </p>
          )}
        </div>
      )}
    </main>
  );
}
