import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.ts';

/** What a ping keeps of its body: 100 KiB. More is read and dropped, and the ping says so. */
export const pingBodyCap = 100 * 1024;
/** A ping body longer than this is refused (413) rather than read to its end. */
export const pingBodyLimit = 10 * 1024 * 1024;

/** The body of a ping as the route sees it: any content type, kept as text up to the cap. */
export interface PingBody {
  readonly text: string;
  readonly truncated: boolean;
}

/**
 * Reads a ping's body whatever its content type: the first `cap` bytes as UTF-8 text, the rest
 * read and dropped (a job's whole log may be sent), a body over `limit` refused with a 413.
 */
export function readPingBody(
  payload: IncomingMessage,
  cap = pingBodyCap,
  limit = pingBodyLimit,
): Promise<PingBody> {
  return new Promise((resolve, reject) => {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let total = 0;
    let done = false;
    payload.on('data', (chunk: Buffer) => {
      if (done) return;
      total += chunk.length;
      if (total > limit) {
        done = true;
        payload.resume();
        reject(
          new ApiError(
            413,
            'api.body-too-large',
            `a ping body may be at most ${limit} bytes; ${cap} are kept`,
            {
              path: 'body',
            },
          ),
        );
        return;
      }
      if (keptBytes < cap) {
        const part = chunk.subarray(0, cap - keptBytes);
        kept.push(part);
        keptBytes += part.length;
      }
    });
    payload.on('end', () => {
      if (done) return;
      done = true;
      resolve({ text: new TextDecoder().decode(Buffer.concat(kept)), truncated: total > keptBytes });
    });
    payload.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}
