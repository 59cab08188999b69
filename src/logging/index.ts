export { createLogger, redactedPaths } from './create-logger.ts';
export type { Logger, LoggerOptions } from './create-logger.ts';
