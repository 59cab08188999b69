import { useContext, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { errorText } from '../parts/error-text.ts';
import { humaneDuration } from '../parts/humane-duration.ts';
import { Loading } from '../parts/loading.tsx';
import { Problem } from '../parts/problem.tsx';
import { useApiView } from '../parts/use-api-view.ts';
import { When } from '../parts/when.tsx';
import { SessionContext, mayDo } from '../session-context.ts';
import type { NodeView } from '../types.ts';

/** The node's state in words: a live node's stored state, "silent" when its heartbeat stopped. */
function stateText(node: NodeView): string {
  if (node.state === 'stopped' || node.live) return node.state;
  return `${node.state}, silent`;
}

/** Whether a drain would change anything: the node runs and is heard from. */
function mayBeDrained(node: NodeView): boolean {
  return node.state === 'running' && node.live;
}

/** Every node sharing the store: state, leases, heartbeat, slots, tags; admins may drain one. */
export function NodesPage() {
  const session = useContext(SessionContext);
  const mayDrain = mayDo(session, 'admin') && session?.jobs.length === 0;
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState<string | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const { view, problem, setProblem } = useApiView<{ nodes: NodeView[] }>('/api/nodes', { version });
  const nodes = view?.nodes;

  const drain = async (name: string) => {
    setConfirming(undefined);
    try {
      const answer = await api.post<{ node: NodeView; changed: boolean }>(
        `/api/nodes/${encodeURIComponent(name)}/drain`,
      );
      setNotice(answer.changed ? `Node ${name} is draining.` : `Node ${name} was draining already.`);
      setVersion((value) => value + 1);
    } catch (thrown) {
      setProblem(errorText(thrown));
    }
  };

  const live = nodes?.filter((node) => node.live).length ?? 0;
  return (
    <main>
      <div class="page-head">
        <h1>Nodes</h1>
        <button type="button" onClick={() => setVersion((value) => value + 1)}>
          Refresh
        </button>
      </div>
      <Problem text={problem} />
      {notice !== undefined && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {nodes === undefined ? (
        problem === undefined && <Loading what="nodes" />
      ) : nodes.length === 0 ? (
        <p class="muted">No node has registered on this store.</p>
      ) : (
        <>
          <p class="muted">
            {live === 1
              ? 'One node shares this store: it fires the schedules and runs every job. That is normal; start more daemons on the same store to share the work.'
              : `${live} live nodes share this store; the leader fires the schedules and releases queue items, every node runs jobs.`}
          </p>
          <table class="ops nodes">
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">State</th>
                <th scope="col">Leads</th>
                <th scope="col">Last heartbeat</th>
                <th scope="col">Slots used</th>
                <th scope="col">Role</th>
                <th scope="col">Tags</th>
                <th scope="col">Version</th>
                {mayDrain && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {nodes.map((node) => (
                <tr key={node.instanceId} data-node={node.name}>
                  <th scope="row">
                    <span class="job-name">{node.name}</span>
                    <span class="description">
                      {node.host}
                      {node.configMatchesLeader === false && ": job file differs from the leader's"}
                    </span>
                  </th>
                  <td>
                    <span class={`node-state node-${node.live ? node.state : 'silent'}`}>
                      {stateText(node)}
                    </span>
                    {node.stateReason !== null && <span class="description">{node.stateReason}</span>}
                  </td>
                  <td>
                    {node.leads.includes('scheduler') ? (
                      <strong class="leader">leader</strong>
                    ) : (
                      <span class="muted">no</span>
                    )}
                    {node.leads.length > 0 && <span class="description">{node.leads.join(', ')}</span>}
                  </td>
                  <td>
                    <When at={node.heartbeatAt} />
                    <span class="description">{humaneDuration(node.heartbeatAgeMs)} ago</span>
                  </td>
                  <td>
                    {node.slots.inUse} / {node.slots.total}
                  </td>
                  <td>{node.role}</td>
                  <td>
                    {node.tags.length === 0 ? (
                      <span class="muted">—</span>
                    ) : (
                      node.tags.map((tag) => (
                        <span key={tag} class="tag">
                          {tag}
                        </span>
                      ))
                    )}
                  </td>
                  <td>{node.version === '' ? <span class="muted">—</span> : node.version}</td>
                  {mayDrain && (
                    <td class="actions">
                      {!mayBeDrained(node) ? null : confirming === node.instanceId ? (
                        <span class="confirm" role="group" aria-label={`Confirm draining ${node.name}`}>
                          <span>
                            Stop {node.name} claiming runs? It finishes what it runs and stays up idle.
                          </span>
                          <button type="button" class="danger" onClick={() => void drain(node.name)}>
                            Drain {node.name}
                          </button>
                          <button type="button" onClick={() => setConfirming(undefined)}>
                            Cancel
                          </button>
                        </span>
                      ) : (
                        <button
                          type="button"
                          aria-label={`Drain ${node.name}…`}
                          onClick={() => setConfirming(node.instanceId)}
                        >
                          Drain…
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
