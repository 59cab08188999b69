import { z } from 'zod';
import { listNodeListings, nodeNamePattern } from '../../cluster/index.ts';
import type { NodeListing } from '../../cluster/index.ts';
import { NodeRole, NodeState } from '../../store/index.ts';
import { audit, checkUnlimited } from '../http/access.ts';
import { ApiError } from '../http/api-error.ts';
import { authErrors, badInput, errorBodySchema, noBody } from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { iso } from '../views/run-view.ts';

const nodeName = z
  .string()
  .regex(nodeNamePattern, 'expected a node name: letters, digits, ".", "_", "-", ":", "@"')
  .describe('a node name');

const nodeViewSchema = z.object({
  name: z.string(),
  instanceId: z.string().describe('generated at each start; the owner of the leases the node holds'),
  host: z.string(),
  pid: z.int(),
  version: z.string(),
  state: z.enum(Object.keys(NodeState) as [NodeState, ...NodeState[]]),
  stateReason: z.string().nullable(),
  live: z.boolean().describe('not stopped, and heard from within its stale time'),
  startedAt: z.string(),
  heartbeatAt: z.string(),
  heartbeatAgeMs: z.int(),
  configHash: z.string().describe('the hash of its job file'),
  configMatchesLeader: z
    .boolean()
    .nullable()
    .describe("whether it is the leader's; null while no node leads"),
  tags: z.array(z.string()),
  slots: z.object({ inUse: z.int(), total: z.int() }),
  role: z.enum(Object.keys(NodeRole) as [NodeRole, ...NodeRole[]]),
  leads: z.array(z.string()).describe('leases it holds: scheduler (it fires), queue-drainer'),
});

/** A node as the API shows it: times as ISO 8601. */
export function nodeView(node: NodeListing): z.output<typeof nodeViewSchema> {
  const { slots, slotsInUse, ...rest } = node;
  return {
    ...rest,
    startedAt: iso(node.startedAt) as string,
    heartbeatAt: iso(node.heartbeatAt) as string,
    tags: [...node.tags],
    slots: { inUse: slotsInUse, total: slots },
    leads: [...node.leads],
  };
}

export const listNodes = defineRoute({
  method: 'GET',
  url: '/api/nodes',
  operationId: 'listNodes',
  tag: 'nodes',
  summary: 'Every node on this store: heartbeat, version, job-file hash, tags, slots, role and what it leads',
  description:
    'Nodes not stopped, and those stopped within the last hour; live nodes first, then by name. ' +
    "`configMatchesLeader` is false for a node whose job file differs from the scheduler leader's: it claims nothing.",
  access: 'read',
  responses: {
    200: { description: 'the nodes', schema: z.object({ nodes: z.array(nodeViewSchema) }) },
    ...badInput,
    ...authErrors,
  },
  async handle({ context }) {
    const nodes = await listNodeListings(context.store, context.clock.now());
    return json(200, { nodes: nodes.map(nodeView) });
  },
});

export const drainNode = defineRoute({
  method: 'POST',
  url: '/api/nodes/:name/drain',
  operationId: 'drainNode',
  tag: 'nodes',
  summary:
    'Drain a node: it claims no new runs, hands its leases over, finishes running work and stays up idle',
  description:
    'The node sees it at its next heartbeat (within a second). Draining a node that drains already answers ' +
    '200 with `changed: false`. A drained node comes back by being restarted.',
  access: 'admin',
  path: z.strictObject({ name: nodeName }),
  body: noBody,
  responses: {
    200: {
      description: 'the node, now draining',
      schema: z.object({ node: nodeViewSchema, changed: z.boolean() }),
    },
    ...badInput,
    ...authErrors,
    404: { description: 'no live node of that name', schema: errorBodySchema },
  },
  async handle({ path, caller, context }) {
    checkUnlimited(caller);
    const now = context.clock.now();
    const result = await context.store.drainNode(path.name, now, `drained through the API by ${caller.name}`);
    if (result === undefined) {
      throw new ApiError(404, 'api.unknown-node', `no live node named "${path.name}"`, { path: 'path.name' });
    }
    if (result.changed) await audit(context, caller, 'node.drain', path.name);
    const listed = (await listNodeListings(context.store, now)).find(
      (node) => node.instanceId === result.node.instanceId,
    );
    if (listed === undefined)
      throw new ApiError(404, 'api.unknown-node', `no live node named "${path.name}"`);
    return json(200, { node: nodeView(listed), changed: result.changed });
  },
});

export const nodeRoutes: readonly ApiRoute[] = [listNodes, drainNode];
