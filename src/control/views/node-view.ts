import { z } from 'zod';
import type { NodeListing } from '../../cluster/index.ts';
import { NodeRole, NodeState } from '../../store/index.ts';
import { iso } from './run-view.ts';

export const nodeViewSchema = z.object({
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
export type NodeView = z.output<typeof nodeViewSchema>;

/** A node after a drain. */
export const nodeChangeSchema = z.object({ node: nodeViewSchema, changed: z.boolean() });
export type NodeChange = z.output<typeof nodeChangeSchema>;

/** A node as the API shows it: times as ISO 8601. */
export function nodeView(node: NodeListing): NodeView {
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
