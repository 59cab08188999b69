import { listNodeListings } from '../../cluster/index.ts';
import type { NodeListing } from '../../cluster/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { callApi, reportFailure } from '../api-client.ts';
import { withLocalStore } from '../local-store.ts';
import type { StoreCommandOptions } from '../local-store.ts';
import { apiServerOf } from '../api-server-of.ts';

export interface NodesOptions extends StoreCommandOptions {
  readonly json?: boolean;
  /** Ask this daemon's API instead of the store (also CRONPLANE_SERVER). */
  readonly server?: string;
}

/** A node as printed: what the store gives and what the API answers have these fields. */
interface NodeLine {
  readonly name: string;
  readonly instanceId: string;
  readonly host: string;
  readonly pid: number;
  readonly version: string;
  readonly state: string;
  readonly live: boolean;
  readonly heartbeatAgeMs: number;
  readonly configHash: string;
  readonly configMatchesLeader: boolean | null;
  readonly tags: readonly string[];
  readonly slots: { readonly inUse: number; readonly total: number };
  readonly role: string;
  readonly leads: readonly string[];
}

/** `cronplane nodes`: over the API with --server (or CRONPLANE_SERVER without --store), else from the store. */
export async function runNodes(options: NodesOptions, io: CliIo): Promise<number> {
  try {
    const server = apiServerOf(options, io);
    if (server !== undefined) {
      const answer = await callApi<{ nodes: NodeLine[] }>(io, { server, method: 'GET', path: '/api/nodes' });
      printNodes(answer.body.nodes, options.json === true, io);
      return ExitCode.ok;
    }
    return await withLocalStore(options, io, async ({ store, io: shown }) => {
      const nodes = await listNodeListings(store, Date.now());
      printNodes(nodes.map(lineOf), options.json === true, shown);
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

function lineOf(node: NodeListing): NodeLine {
  return { ...node, slots: { inUse: node.slotsInUse, total: node.slots } };
}

function printNodes(nodes: readonly NodeLine[], asJson: boolean, io: CliIo): void {
  if (asJson) {
    for (const node of nodes) io.out(JSON.stringify(node));
    return;
  }
  if (nodes.length === 0) {
    io.out('no nodes recorded');
    return;
  }
  io.out(
    [
      'NAME',
      'STATE',
      'ROLE',
      'LEADS',
      'HEARTBEAT',
      'SLOTS',
      'CONFIG',
      'VERSION',
      'HOST',
      'PID',
      'TAGS',
      'INSTANCE',
    ].join('\t'),
  );
  for (const node of nodes) {
    const matches =
      node.configMatchesLeader === null
        ? ''
        : node.configMatchesLeader
          ? " (leader's)"
          : " (DIFFERS from leader's)";
    io.out(
      [
        node.name,
        node.live || node.state === 'stopped' ? node.state : `${node.state} (silent)`,
        node.role,
        node.leads.length === 0 ? '-' : node.leads.join(','),
        `${(node.heartbeatAgeMs / 1000).toFixed(1)}s ago`,
        `${node.slots.inUse}/${node.slots.total}`,
        `${node.configHash}${matches}`,
        node.version,
        node.host,
        node.pid,
        node.tags.length === 0 ? '-' : node.tags.join(','),
        node.instanceId,
      ].join('\t'),
    );
  }
}
