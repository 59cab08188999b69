import { z } from 'zod';
import { nodeNamePattern } from '../../cluster/index.ts';
import { nodeChangeSchema, nodeViewSchema } from '../../control/index.ts';
import { controlOf } from '../http/control-of.ts';
import { authErrors, badInput, errorBodySchema, noBody } from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';

const nodeName = z
  .string()
  .regex(nodeNamePattern, 'expected a node name: letters, digits, ".", "_", "-", ":", "@"')
  .describe('a node name');

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
  async handle({ caller, context }) {
    return json(200, { nodes: await controlOf(context, caller).listNodes() });
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
      schema: nodeChangeSchema,
    },
    ...badInput,
    ...authErrors,
    404: { description: 'no live node of that name', schema: errorBodySchema },
  },
  async handle({ path, caller, context }) {
    return json(200, await controlOf(context, caller).drainNode(path.name));
  },
});

export const nodeRoutes: readonly ApiRoute[] = [listNodes, drainNode];
