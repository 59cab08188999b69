import { LocalControl, resolveApiJobs, storeControlParts, unlimitedActor } from '../control/index.ts';
import type { Control } from '../control/index.ts';
import { cliResolveIncident } from './cli-resolve-incident.ts';
import type { CliIo } from './cli-io.ts';
import type { LocalStore } from './local-store.ts';
import { localPublicUrl } from './local-public-url.ts';

/** The actor the CLI records on a store without a daemon (audit entries, resolved events). */
export const cliActor = 'cli';

/**
 * The control a command uses on a store without a daemon: the operations carried out in this
 * process as `cli`, on the jobs and monitors of the job file (none without one) and the jobs
 * defined through the API, resolved against the file as a daemon on it resolves them (one read of
 * the store; those that do not resolve are left out, as the daemon leaves them), secrets masked
 * with the job file's and CRONPLANE_TOKEN, ping URLs on the job file's public URL or where the
 * daemon listens, and events resolved with the job file's channels told. Running daemons learn
 * of the changes from the store.
 */
export async function cliLocalControl(
  local: LocalStore,
  env: CliIo['env'],
  options: { readonly logPollMs?: number } = {},
): Promise<Control> {
  const { store, config, mask } = local;
  const stored = await store.listApiJobs();
  const parts = storeControlParts({
    store,
    config,
    apiJobs: resolveApiJobs(stored, config?.loaded, config?.jobs ?? []).inForce,
    redact: (text) => mask.redact(text),
    resolveIncident: cliResolveIncident(store, config, local.io),
    node: cliActor,
  });
  return new LocalControl(
    {
      ...parts,
      publicUrl: () => localPublicUrl(config, env),
      ...(options.logPollMs === undefined ? {} : { logPollMs: options.logPollMs }),
    },
    unlimitedActor(cliActor),
  );
}
