import { CronplaneError } from '../errors/index.ts';

/** What a node name may be: a host name or a label of letters, digits and `. _ - : @`, up to 100 characters. */
export const nodeNamePattern = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$/;

/** Throws `node.name` for a name the API could not address (`/api/nodes/{name}/drain`). */
export function assertNodeName(name: string, path = '--node'): string {
  if (nodeNamePattern.test(name)) return name;
  throw new CronplaneError(
    'node.name',
    `${JSON.stringify(name)} is not a node name: use letters, digits and . _ - : @ (up to 100 characters, starting with a letter or digit)`,
    { location: { path } },
  );
}
