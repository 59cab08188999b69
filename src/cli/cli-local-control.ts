import { LocalControl, unlimitedActor } from '../control/index.ts';
import type { Control } from '../control/index.ts';
import { systemClock } from '../engine/index.ts';
import { cliResolveIncident } from './cli-resolve-incident.ts';
import type { CliIo } from './cli-io.ts';
import type { LocalStore } from './local-store.ts';
import { localPublicUrl } from './local-public-url.ts';

/** The actor the CLI records on a store without a daemon (audit entries, resolved events). */
export const cliActor = 'cli';

/**
 * The control a command uses on a store without a daemon: the operations carried out in this
 * process as `cli`, the jobs and monitors of the job file (none without one), secrets masked with
 * the job file's and CRONPLANE_TOKEN, ping URLs on the job file's public URL or listen address,
 * and events resolved with the job file's channels told. Running daemons learn of the changes
 * from the store.
 */
export function cliLocalControl(
  local: LocalStore,
  env: CliIo['env'],
  options: { readonly logPollMs?: number } = {},
): Control {
  const { store, config, mask } = local;
  return new LocalControl(
    {
      store,
      clock: systemClock(),
      node: cliActor,
      jobs: () => config?.jobs ?? [],
      monitors: () => config?.monitors ?? [],
      redact: (text) => mask.redact(text),
      publicUrl: () => localPublicUrl(config, env),
      resolveIncident: cliResolveIncident(store, config, local.io),
      through: 'the CLI',
      ...(options.logPollMs === undefined ? {} : { logPollMs: options.logPollMs }),
    },
    unlimitedActor(cliActor),
  );
}
