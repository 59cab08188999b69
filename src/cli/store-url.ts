import path from 'node:path';

/** The store used when neither a flag, the environment nor the job file names one. */
export const defaultStoreUrl = 'sqlite:./data/cronplane.db';

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
  const url =
    nonEmpty(options.flag) ??
    nonEmpty(options.env['CRONPLANE_STORE']) ??
    nonEmpty(options.fromFile) ??
    defaultStoreUrl;
  const match = /^sqlite:(?!:memory:)(.+)$/.exec(url);
  if (match === null) return url;
  return `sqlite:${path.resolve(options.cwd, match[1] as string)}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** A store URL fit to print: a password in a PostgreSQL URL shows as ***. */
export function redactStoreUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
