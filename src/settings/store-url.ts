import path from 'node:path';
import { defaultSettings } from './default-settings.ts';
import type { Layered } from './pick-layer.ts';
import { pickLayer } from './pick-layer.ts';

/**
 * Which store to open: `--store URL`, else `CRONPLANE_STORE`, else the job file's `store:`,
 * else the embedded default. A relative SQLite path is taken from the working directory.
 */
export function resolveStoreUrl(options: {
  readonly flag?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fromFile?: string | undefined;
  readonly cwd: string;
}): string {
  return layeredStoreUrl(options).value;
}

/** `resolveStoreUrl` with the layer the URL came from. */
export function layeredStoreUrl(options: {
  readonly flag?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fromFile?: string | undefined;
  readonly cwd: string;
}): Layered<string> {
  const picked = pickLayer(
    [
      ['--store', options.flag],
      ['CRONPLANE_STORE', options.env['CRONPLANE_STORE']],
      ['store', options.fromFile],
    ],
    defaultSettings.storeUrl,
  );
  const match = /^sqlite:(?!:memory:)(.+)$/.exec(picked.value);
  if (match === null) return picked;
  return { value: `sqlite:${path.resolve(options.cwd, match[1] as string)}`, source: picked.source };
}

/** A store URL fit to print: a password in a PostgreSQL URL shows as ***. */
export function redactStoreUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
