export { CronplaneError, coerceError, formatLocation } from './cronplane-error.ts';
export type { ErrorLocation, CronplaneErrorOptions } from './cronplane-error.ts';
