import { coerceError } from '../../errors/index.ts';
import type { Logger } from '../../logging/index.ts';
import { isStoreFault } from './store-fault.ts';

/**
 * How a loop logs what went wrong in a pass: an error line, unless the store could not be
 * reached or written. The store health says that once for every loop (one line when the store
 * goes away, one when it is back), so the loop's own line drops to debug instead of repeating
 * at every attempt of the outage.
 */
export function logStoreError(
  logger: Logger,
  thrown: unknown,
  fields: Readonly<Record<string, unknown>>,
  message: string,
): void {
  const err = coerceError(thrown);
  if (isStoreFault(thrown)) logger.debug({ ...fields, err }, message);
  else logger.error({ ...fields, err }, message);
}
