/**
 * A Server-Sent Events answer: a stream slot taken under the limits (past them the caller gets an
 * ordinary JSON 429, before anything is sent), the response hijacked with the event-stream
 * headers, and one signal that says the stream is over — the client went away, the server took
 * the stream back, too much output waits unsent for a slow client, or the route ended it.
 */
import type { FastifyReply } from 'fastify';
import type { LiveStreams } from '../limits/live-streams.ts';
import type { Caller } from '../http/caller.ts';

export interface EventStream {
  /** Writes event-stream text; ends the stream when more than the cap waits unsent. */
  readonly write: (text: string) => void;
  /** Aborted when the stream is over, for whatever reason. */
  readonly signal: AbortSignal;
  /** Ends the stream (the route is done with it). */
  readonly stop: () => void;
  /** Resolves when the stream is over. */
  readonly over: Promise<void>;
  /** Gives the slot back and ends the response; call once, last. */
  readonly close: () => void;
}

export function openEventStream(
  streams: LiveStreams,
  caller: Caller,
  reply: FastifyReply,
  preamble: string,
  unsentCap: number,
): EventStream {
  const slot = streams.open(caller);
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write(preamble);
  const ended = new AbortController();
  const stop = (): void => ended.abort();
  const over = new Promise<void>((resolve) =>
    ended.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  raw.on('close', stop);
  slot.signal.addEventListener('abort', stop, { once: true });
  if (slot.signal.aborted) stop();
  return {
    write: (text) => {
      if (raw.destroyed || ended.signal.aborted) return;
      raw.write(text);
      // A client that does not read is cut off (it reconnects) instead of piling output up here.
      if (raw.writableLength > unsentCap) stop();
    },
    signal: ended.signal,
    stop,
    over,
    close: () => {
      raw.off('close', stop);
      slot.signal.removeEventListener('abort', stop);
      streams.done(slot);
      if (!raw.destroyed) raw.end();
    },
  };
}
