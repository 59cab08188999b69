import { defaultListen, parseListen, urlOf } from '../api/index.ts';
import type { ResolvedConfig } from '../config/index.ts';
import type { CliIo } from './cli-io.ts';

/**
 * The base of ping URLs shown without a daemon: the job file's `server.public_url`, else where
 * the daemon listens (CRONPLANE_LISTEN, the job file, the default), a wildcard host as loopback.
 */
export function localPublicUrl(config: ResolvedConfig | undefined, env: CliIo['env']): string {
  if (config?.publicUrl !== undefined) return config.publicUrl;
  const setting = parseListen(
    env['CRONPLANE_LISTEN'] ?? config?.listen ?? defaultListen,
    'the listen address',
  );
  const address = setting.kind === 'off' ? parseListen(defaultListen, 'the default') : setting;
  if (address.kind === 'off') return urlOf('127.0.0.1', 7070);
  const host = address.host === '0.0.0.0' || address.host === '::' ? '127.0.0.1' : address.host;
  return urlOf(host, address.port);
}
