import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandSpec, ExecutionRequest, OutputSink } from '../../src/executors/index.ts';

type Stream = 'stdout' | 'stderr' | 'system';

/** A sink that keeps every chunk, with helpers to read them back. */
export function collect(): OutputSink & {
  text(stream?: Stream): string;
  readonly chunks: [Stream, string][];
} {
  const chunks: [Stream, string][] = [];
  return {
    chunks,
    onOutput(stream, chunk) {
      chunks.push([stream, chunk]);
    },
    text(stream) {
      return chunks
        .filter(([s]) => stream === undefined || s === stream)
        .map(([, chunk]) => chunk)
        .join('');
    },
  };
}

export function commandSpec(overrides: Partial<CommandSpec> = {}): CommandSpec {
  return {
    kind: 'command',
    argv: ['true'],
    shell: false,
    cwd: undefined,
    user: undefined,
    group: undefined,
    env: {},
    envFiles: [],
    limits: {},
    exitCodes: new Map(),
    condition: undefined,
    pre: [],
    dryRunEnv: undefined,
    metricsFromStdout: false,
    ...overrides,
  };
}

export function request<Target extends ExecutionRequest['target']>(
  target: Target,
  overrides: Partial<Omit<ExecutionRequest<Target>, 'target'>> = {},
): ExecutionRequest<Target> {
  return {
    runId: '42',
    job: 'nightly',
    attempt: 1,
    params: {
      job: 'nightly',
      run_id: '42',
      attempt: '1',
      scheduled_at: '2025-01-02T02:00:00.000Z',
      fan_key: '',
    },
    payload: undefined,
    dryRun: false,
    timeoutMs: 10_000,
    killGraceMs: 500,
    captureLimitBytes: 1024 * 1024,
    target,
    ...overrides,
  };
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(20);
  }
  return condition();
}

export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A real HTTP server on a loopback port chosen by the kernel. */
export async function startServer(
  handler: (request: IncomingMessage, body: string, response: ServerResponse) => void,
): Promise<TestServer> {
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => handler(req, Buffer.concat(parts).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
