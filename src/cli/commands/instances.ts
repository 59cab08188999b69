import type { InstanceView } from '../../control/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';

export interface InstancesOptions {
  readonly server?: string;
  readonly json?: boolean;
}

/**
 * `cronplane instances TEMPLATE`: the instances of a template in force on the running daemon
 * (through its API, with CRONPLANE_TOKEN of scope read), by key.
 */
export async function runInstances(template: string, options: InstancesOptions, io: CliIo): Promise<number> {
  try {
    const { instances } = await withControl(options, io, { fallback: 'daemon' }, (control) =>
      control.listInstances(template),
    );
    printInstances(template, instances, options.json === true, io);
    return ExitCode.ok;
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

function printInstances(
  template: string,
  instances: readonly InstanceView[],
  asJson: boolean,
  io: CliIo,
): void {
  if (asJson) {
    for (const instance of instances) io.out(JSON.stringify(instance));
    return;
  }
  if (instances.length === 0) {
    io.out(`template ${template} has no instances (create one with PUT /api/jobs/${template}/instances/KEY)`);
    return;
  }
  io.out(['KEY', 'SCHEDULE', 'NEXT FIRE', 'PAUSED', 'VERSION', 'PARAMS'].join('\t'));
  for (const { key, params, job } of instances) {
    io.out(
      [
        key,
        job.schedules.length === 0 ? '-' : job.schedules.join(', '),
        job.enabled ? (job.nextFireAt ?? '-') : 'disabled',
        job.paused ? 'yes' : 'no',
        job.version ?? '-',
        Object.entries(params)
          .map(([name, value]) => `${name}=${value}`)
          .join(' '),
      ].join('\t'),
    );
  }
}
