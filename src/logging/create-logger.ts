import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  readonly level?: string;
  /** Human-readable lines (for a terminal) instead of one JSON object per line. */
  readonly pretty?: boolean;
  /** Where lines go; standard output by default. */
  readonly destination?: DestinationStream;
  /**
   * Masks each finished line (message, fields, error stacks alike) before it is written: the
   * daemon passes its secret mask here, read at each line so a reload's new secrets apply.
   */
  readonly redact?: (line: string) => string;
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

/**
 * Lines for a person: pino-pretty's, except that a line with an `event` field (a run's start or
 * end) is its message alone, on one line: that message says what its fields say.
 */
function prettyLines(sink: DestinationStream): DestinationStream {
  const full = prettyFactory({ colorize: true, ignore: 'pid,hostname,service' });
  const brief = prettyFactory({ colorize: true, ignore: 'pid,hostname,service', hideObject: true });
  return {
    write(line: string) {
      const record = JSON.parse(line) as Record<string, unknown>;
      sink.write((typeof record['event'] === 'string' ? brief : full)(record));
    },
  };
}

/**
 * The daemon's logger: structured JSON lines, pretty on a terminal (a line with an `event` field
 * shows as its message alone). Known secret paths are
 * censored by pino; `redact` (the daemon's secret mask) then masks the whole line, so a secret
 * inside a message or an unexpected field does not get through either.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: { service: 'cronplane' },
    redact: { paths: redactedPaths, censor: '***' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const sink = options.destination ?? pino.destination({ dest: 1, sync: true });
  const destination = options.pretty === true ? prettyLines(sink) : sink;
  const { redact } = options;
  if (redact === undefined) return pino(settings, destination);
  return pino(settings, { write: (line: string) => destination.write(redact(line)) });
}
