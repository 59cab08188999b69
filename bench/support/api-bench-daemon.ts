/**
 * The daemon of the API benchmarks: a store, an empty job file's engine and the API on a free
 * loopback port, silent, with one admin token (`benchToken`) that `putApiJobs` sends.
 */
import { Daemon } from '../../src/daemon/index.ts';
import { createLogger } from '../../src/logging/index.ts';

export const benchToken = 'bench-token-0123456789abcdef0123456789';

export async function startApiBenchDaemon(options: {
  readonly configFile: string;
  readonly storeUrl: string;
  readonly node: string;
  readonly slots?: number;
}): Promise<Daemon> {
  return Daemon.start({
    configFile: options.configFile,
    storeUrl: options.storeUrl,
    env: { CRONPLANE_TOKEN: benchToken },
    logger: createLogger({ level: 'silent' }),
    listen: '127.0.0.1:0',
    node: options.node,
    ...(options.slots === undefined ? {} : { slots: options.slots }),
  });
}

/** The daemon's API address; throws when it serves none. */
export function apiUrlOf(daemon: Daemon): string {
  const url = daemon.server?.url;
  if (url === undefined) throw new Error('the daemon has no API');
  return url;
}
