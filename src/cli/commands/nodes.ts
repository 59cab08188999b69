import type { NodeView } from '../../control/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';
import type { ControlCommandOptions } from '../with-control.ts';

export interface NodesOptions extends ControlCommandOptions {
  readonly json?: boolean;
}

/** `cronplane nodes`: over the API with --server (or CRONPLANE_SERVER without --store), else from the store. */
export async function runNodes(options: NodesOptions, io: CliIo): Promise<number> {
  try {
    return await withControl(options, io, { fallback: 'store' }, async (control, shown) => {
      printNodes(await control.listNodes(), options.json === true, shown);
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

function printNodes(nodes: readonly NodeView[], asJson: boolean, io: CliIo): void {
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
