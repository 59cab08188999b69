import { existsSync } from 'node:fs';
import { SecretMask, configMask } from '../config/index.ts';
import type { ResolvedConfig } from '../config/index.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/index.ts';
import type { CliIo } from './cli-io.ts';
import { resolveStoreUrl } from '../settings/index.ts';
import { readCliConfig } from './read-cli-config.ts';

export interface StoreCommandOptions {
  readonly config?: string;
  readonly store?: string;
}

/**
 * The job file for a command that can do without one: the file `--config` names (its problems
 * are errors), else the one found nearby (undefined when there is none or it cannot be read).
 * These commands run no job, so a `${VAR}` that is not set is left as written, unusable, instead
 * of refusing the file: `token create` does not demand the file's secrets.
 */
export function readCommandConfig(options: StoreCommandOptions, io: CliIo): ResolvedConfig | undefined {
  try {
    return readCliConfig(options.config, io, 'leave');
  } catch (thrown) {
    if (options.config !== undefined) throw thrown;
    return undefined;
  }
}

/**
 * Opens the store named by --store, CRONPLANE_STORE, the job file (when there is one), or the
 * default. A command that has read the job file already passes it as `loaded`, so it is not read
 * twice.
 */
export async function openCommandStore(
  options: StoreCommandOptions,
  io: CliIo,
  loaded?: { readonly config: ResolvedConfig | undefined },
): Promise<Store> {
  let fromFile: string | undefined;
  if (options.store === undefined && io.env['CRONPLANE_STORE'] === undefined) {
    fromFile = (loaded === undefined ? readCommandConfig(options, io) : loaded.config)?.store;
  }
  return openStore(resolveStoreUrl({ flag: options.store, env: io.env, fromFile, cwd: io.cwd }));
}

/**
 * Whether the store a command would open is a SQLite file that does not exist yet: opening it
 * would create it, and it holds nothing.
 */
export function storeIsAbsent(
  options: StoreCommandOptions,
  io: CliIo,
  config: ResolvedConfig | undefined,
): boolean {
  const url = resolveStoreUrl({ flag: options.store, env: io.env, fromFile: config?.store, cwd: io.cwd });
  const file = /^sqlite:(?!:memory:)(.+)$/.exec(url)?.[1];
  return file !== undefined && !existsSync(file);
}

/** The store opened by a reading command, and what it prints through. */
export interface LocalStore {
  readonly store: Store;
  /** The job file, when one could be read. */
  readonly config: ResolvedConfig | undefined;
  /** The secrets of the job file (when one could be read) and CRONPLANE_TOKEN. */
  readonly mask: SecretMask;
  /** The command's io with every line masked as the daemon's API would mask it. */
  readonly io: CliIo;
}

/**
 * Opens the store for a command that works on it directly (the CLI's local control) and masks
 * every line it prints with the secrets of the job file (when one can be read) and
 * `CRONPLANE_TOKEN`: what the store holds is shown as the API shows it.
 */
export async function withLocalStore<T>(
  options: StoreCommandOptions,
  io: CliIo,
  body: (local: LocalStore) => Promise<T>,
): Promise<T> {
  const config = readCommandConfig(options, io);
  const mask =
    config === undefined
      ? SecretMask.of(io.env['CRONPLANE_TOKEN'] === undefined ? [] : [io.env['CRONPLANE_TOKEN']])
      : configMask(config, io.env);
  const store = await openCommandStore(options, io, { config });
  try {
    return await body({ store, config, mask, io: maskedIo(io, mask) });
  } finally {
    await store.release();
  }
}

/** `io` with its output lines masked. */
export function maskedIo(io: CliIo, mask: SecretMask): CliIo {
  if (mask.empty) return io;
  return {
    ...io,
    out: (line) => io.out(mask.redact(line)),
    err: (line) => io.err(mask.redact(line)),
  };
}
