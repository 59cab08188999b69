import { configSecrets } from './collect-secrets.ts';
import type { ResolvedConfig } from './resolved-config.ts';
import { SecretMask } from './secret-mask.ts';

/**
 * What cronplane never shows, for a job file and the environment it was read in: the file's
 * secrets and `CRONPLANE_TOKEN` (the bootstrap admin token). The daemon masks with it on every
 * channel; the CLI masks what it reads from the store with it.
 */
export function configMask(
  config: ResolvedConfig,
  env: Readonly<Record<string, string | undefined>>,
): SecretMask {
  const token = env['CRONPLANE_TOKEN'];
  const secrets = configSecrets(config);
  return SecretMask.of(token === undefined || token === '' ? secrets : [...secrets, token]);
}
