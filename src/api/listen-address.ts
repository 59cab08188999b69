import { isIP } from 'node:net';
import { CronplaneError } from '../errors/index.ts';

/** Where the API listens when nothing says otherwise: loopback only. */
export const defaultListen = '127.0.0.1:7070';

export type ListenSetting =
  { readonly kind: 'off' } | { readonly kind: 'address'; readonly host: string; readonly port: number };

/**
 * Reads a listen setting: `HOST:PORT` (`127.0.0.1:7070`, `[::1]:7070`, `0.0.0.0:7070`),
 * `:PORT` or `PORT` (loopback), or `off` (no API). Port 0 picks a free port.
 */
export function parseListen(text: string, source: string): ListenSetting {
  const value = text.trim();
  if (value === 'off') return { kind: 'off' };
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)?:)?([0-9]{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (match === null || !Number.isInteger(port) || port > 65_535) {
    throw new CronplaneError(
      'api.listen',
      `${source} ${JSON.stringify(text)} is not a listen address: expected HOST:PORT (127.0.0.1:7070), :PORT or off`,
      { location: { path: source } },
    );
  }
  const rawHost = match[1] ?? '127.0.0.1';
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  if (rawHost.startsWith('[') && isIP(host) !== 6) {
    throw new CronplaneError(
      'api.listen',
      `${source} ${JSON.stringify(text)}: ${host} is not an IPv6 address`,
      {
        location: { path: source },
      },
    );
  }
  return { kind: 'address', host, port };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The URL clients use for an address (`http://127.0.0.1:7070`, `http://[::1]:7070`). */
export function urlOf(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
