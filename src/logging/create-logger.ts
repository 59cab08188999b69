import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  readonly level?: string;
  /** Human-readable lines (for a terminal) instead of one JSON object per line. */
  readonly pretty?: boolean;
  /** Where lines go; standard output by default. */
  readonly destination?: DestinationStream;
}

/**
 * Paths that never reach a log line in clear, whatever a caller passes in. Values the job file
 * marks secret are `Secret` objects and print as *** on their own; this catches the rest.
 */
export const redactedPaths = [
  'authorization',
  'headers.authorization',
  'headers.Authorization',
  'token',
  'bearer',
  'password',
  'secret',
  'routing_key',
  'webhook_url',
  'smtp_url',
  '*.token',
  '*.bearer',
  '*.password',
  '*.secret',
];

/** The daemon's logger: structured JSON lines, pretty on a terminal. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: { service: 'cronplane' },
    redact: { paths: redactedPaths, censor: '***' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.pretty === true) {
    return pino(settings, PinoPretty({ colorize: true, destination: options.destination ?? 1, sync: true }));
  }
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
