import { CronplaneError } from '../errors/index.ts';

/** `--param NAME=VALUE` pairs as an object; a pair without `=` or with a bad name is a usage error. */
export function parseParams(pairs: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (match === null) {
      throw new CronplaneError('cli.param', `--param ${JSON.stringify(pair)}: expected NAME=VALUE`);
    }
    params[match[1] as string] = match[2] as string;
  }
  return params;
}
