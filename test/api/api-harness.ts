/**
 * A real daemon (job file, store, engine, queue drainer, API) in this process, listening on a
 * free loopback port, and a raw HTTP client for it: requests go out byte for byte as written
 * (path tricks included), answers come back parsed.
 */
import { request as httpRequest } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Daemon } from '../../src/daemon/index.ts';
import type { DaemonOptions } from '../../src/daemon/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import type { Logger } from '../../src/logging/index.ts';
import { Writable } from 'node:stream';

/** The admin token every harness daemon accepts from its environment. */
export const bootstrapToken = 'test-bootstrap-token-0123456789abcdef';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON (tests read it field by field). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

export interface RequestOptions {
  /** A token, or null for none; the bootstrap token by default. */
  readonly token?: string | null;
  /** Sent as JSON (unless `raw` is given). */
  readonly json?: unknown;
  /** Sent as it is. */
  readonly raw?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  /** The local address to send from (`127.0.0.2`: another client as the server sees it). */
  readonly from?: string;
}

/** Sends one request on its own connection and reads the whole answer. */
export function send(
  base: string,
  method: string,
  target: string,
  options: RequestOptions = {},
): Promise<HttpAnswer> {
  const url = new URL(base);
  const token = options.token === undefined ? bootstrapToken : options.token;
  const payload =
    options.raw ?? (options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json)));
  const headers: Record<string, string> = {
    ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    ...(options.json === undefined ? {} : { 'content-type': 'application/json' }),
    ...(payload === undefined ? {} : { 'content-length': String(Buffer.byteLength(payload)) }),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: target,
        headers,
        agent: false,
        ...(options.from === undefined ? {} : { localAddress: options.from }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, body });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    if (payload !== undefined) request.write(payload);
    request.end();
  });
}

/** Collects the daemon's log lines, to prove secrets never reach them. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly logger: Logger;

  constructor(level = 'debug') {
    const lines = this.lines;
    this.logger = createLogger({
      level,
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    });
  }

  get text(): string {
    return this.lines.join('');
  }
}

export interface ApiDaemon {
  readonly daemon: Daemon;
  readonly url: string;
  readonly logs: LogCapture;
  readonly folder: string;
  readonly configFile: string;
  request(method: string, target: string, options?: RequestOptions): Promise<HttpAnswer>;
  stop(): Promise<void>;
}

export interface StartOptions extends Partial<Omit<DaemonOptions, 'configFile' | 'storeUrl' | 'logger'>> {
  readonly storeUrl: string;
  /** The job file's text. */
  readonly yaml: string;
  readonly folder?: string;
}

/** Starts a daemon on a free loopback port. */
export async function startApiDaemon(options: StartOptions): Promise<ApiDaemon> {
  const folder = options.folder ?? mkdtempSync(path.join(tmpdir(), 'cronplane-api-'));
  const configFile = path.join(folder, 'cronplane.yaml');
  writeFileSync(configFile, options.yaml);
  const logs = new LogCapture();
  const { yaml: _yaml, folder: _folder, storeUrl, ...rest } = options;
  const daemon = await Daemon.start({
    node: 'api-node',
    listen: '127.0.0.1:0',
    ssePollMs: 25,
    runLeaseMs: 5000,
    ...rest,
    env: { CRONPLANE_TOKEN: bootstrapToken, ...rest.env },
    configFile,
    storeUrl,
    logger: logs.logger,
  });
  const url = daemon.server?.url;
  if (url === undefined) {
    await daemon.stop(0);
    throw new Error('the daemon has no API');
  }
  return {
    daemon,
    url,
    logs,
    folder,
    configFile,
    request: (method, target, requestOptions) => send(url, method, target, requestOptions),
    stop: () => daemon.stop(1000),
  };
}

export interface StreamEvent {
  readonly event: string;
  readonly id?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly data: any;
}

/** The events of a Server-Sent Events text (comments and blocks without `event:` left out). */
export function parseEvents(text: string): StreamEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.split('\n').some((line) => line.startsWith('event:')))
    .map((block) => {
      const fields = new Map(
        block
          .split('\n')
          .filter((line) => !line.startsWith(':') && line.includes(':'))
          .map(
            (line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()] as const,
          ),
      );
      return {
        event: fields.get('event') ?? '',
        ...(fields.has('id') ? { id: fields.get('id') } : {}),
        data: JSON.parse(fields.get('data') ?? 'null') as unknown,
      };
    });
}

/** Reads a Server-Sent Events stream to its end. */
export async function readEvents(
  base: string,
  target: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<{ readonly status: number; readonly events: StreamEvent[] }> {
  const answer = await send(base, 'GET', target, { headers });
  return { status: answer.status, events: parseEvents(answer.text) };
}

/** A live stream held open: what it received so far, and its end. */
export interface HeldStream {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The text received so far. */
  text(): string;
  /** The whole text, once the server ends the stream (or the client closes it). */
  readonly ended: Promise<string>;
  /** Closes the connection from the client's side. */
  close(): void;
}

/** Opens a stream (GET with the bootstrap token unless told) and answers once its headers came. */
export function openStream(base: string, target: string, options: RequestOptions = {}): Promise<HeldStream> {
  const url = new URL(base);
  const token = options.token === undefined ? bootstrapToken : options.token;
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: 'GET',
        path: target,
        headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...options.headers },
        agent: false,
        ...(options.from === undefined ? {} : { localAddress: options.from }),
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        const ended = new Promise<string>((done) => {
          response.on('data', (part: string) => {
            text += part;
          });
          response.on('end', () => done(text));
          response.on('close', () => done(text));
          response.on('error', () => done(text));
        });
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: () => text,
          ended,
          close: () => request.destroy(),
        });
      },
    );
    request.on('error', reject);
    request.end();
  });
}
