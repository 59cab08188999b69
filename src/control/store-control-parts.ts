import type { ResolvedConfig } from '../config/index.ts';
import { systemClock } from '../clock/index.ts';
import type { Store } from '../store/index.ts';
import type { ControlParts, ResolveIncident } from './control-parts.ts';
import type { ApiJobInForce } from './resolve-api-jobs.ts';

/** The base of ping URLs when the job file sets no `server.public_url`: the API's default address. */
export const defaultPublicUrl = 'http://127.0.0.1:7070';

export interface StoreControlInput {
  readonly store: Store;
  /** The job file, when one could be read: without it there are no jobs or monitors to act on. */
  readonly config: ResolvedConfig | undefined;
  /** Masks secret values of the job file in output and audit details. */
  readonly redact: (text: string) => string;
  /** Tells the channels of a resolved event (the CLI's own alerter); the store alone by default. */
  readonly resolveIncident?: ResolveIncident;
  /** Recorded on the changes made (a cancel's transition); `cli` by default. */
  readonly node?: string;
  /** The jobs defined through the API, resolved against the job file (`resolveApiJobs`); none by default. */
  readonly apiJobs?: readonly ApiJobInForce[];
}

/**
 * The parts of a `LocalControl` on a store alone, with no daemon in this process (the CLI): the
 * system clock, the job file's jobs and monitors (and the API's jobs given), changes described as
 * made through the CLI.
 * Running daemons learn of them through the store's signals.
 */
export function storeControlParts(input: StoreControlInput): ControlParts {
  const { config } = input;
  const apiJobs = input.apiJobs ?? [];
  const versions = new Map(apiJobs.map((entry) => [entry.job.name, entry.version]));
  const jobs = [...(config?.jobs ?? []), ...apiJobs.map((entry) => entry.job)];
  return {
    store: input.store,
    clock: systemClock(),
    node: input.node ?? 'cli',
    jobs: () => jobs,
    apiJobVersion: (name) => versions.get(name),
    jobFile: () => config?.loaded,
    monitors: () => config?.monitors ?? [],
    redact: input.redact,
    publicUrl: () => config?.publicUrl ?? defaultPublicUrl,
    publicUrlSet: () => config?.publicUrl !== undefined,
    through: 'the CLI',
    ...(input.resolveIncident === undefined ? {} : { resolveIncident: input.resolveIncident }),
  };
}
