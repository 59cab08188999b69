import type { CliIo } from './cli-io.ts';

/**
 * The daemon whose API a reading command asks instead of the store: --server, else (without
 * --store) CRONPLANE_SERVER; undefined means the store.
 */
export function apiServerOf(
  options: { readonly server?: string; readonly store?: string },
  io: CliIo,
): string | undefined {
  const server = options.server ?? (options.store === undefined ? io.env['CRONPLANE_SERVER'] : undefined);
  return server === undefined || server === '' ? undefined : server;
}
