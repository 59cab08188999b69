import type { CliIo } from './cli-io.ts';

/** The daemon the CLI talks to when neither --server nor CRONPLANE_SERVER names one. */
export const defaultServerUrl = 'http://127.0.0.1:7070';

/** `host:port` or a URL (--server, else CRONPLANE_SERVER, else the default), as a base URL without a trailing slash. */
export function serverUrlOf(flag: string | undefined, env: CliIo['env']): string {
  const given = flag ?? env['CRONPLANE_SERVER'];
  const url = given === undefined || given === '' ? defaultServerUrl : given;
  return (/^https?:\/\//.test(url) ? url : `http://${url}`).replace(/\/+$/, '');
}
