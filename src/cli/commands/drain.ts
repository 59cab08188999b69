import { assertNodeName } from '../../cluster/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';

/**
 * `cronplane drain NODE`: through a daemon's API (CRONPLANE_TOKEN of scope admin; audited). The
 * node stops claiming at its next heartbeat, hands its leases over, finishes its runs, stays up.
 */
export async function runDrain(
  node: string,
  options: { readonly server?: string },
  io: CliIo,
): Promise<number> {
  try {
    assertNodeName(node, 'NODE');
    const { node: drained, changed } = await withControl(options, io, { fallback: 'daemon' }, (control) =>
      control.drainNode(node),
    );
    const { name, slots } = drained;
    io.out(
      changed
        ? `draining ${name}: it claims no new runs and hands its leases over within a second; ` +
            `${slots.inUse} run(s) under way finish; restart it to bring it back`
        : `${name} is draining already (${slots.inUse} run(s) under way)`,
    );
    return ExitCode.ok;
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}
