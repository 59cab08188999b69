import { CronplaneError } from '../../errors/index.ts';
import type { CliIo } from '../cli-io.ts';
import { callApi, serverUrlOf } from '../api-client.ts';

interface Chunk {
  readonly seq: number;
  readonly stream: 'stdout' | 'stderr' | 'system';
  readonly text: string;
}

function print(io: CliIo, chunk: Chunk): void {
  const text = chunk.text.endsWith('\n') ? chunk.text.slice(0, -1) : chunk.text;
  if (chunk.stream === 'stderr') io.err(text);
  else if (chunk.stream === 'system') io.err(`[cronplane] ${text}`);
  else io.out(text);
}

/**
 * `cronplane logs RUN [-f]` through a daemon's API: the stored chunks page by page, or with
 * `-f` the live stream (Server-Sent Events) until the run ends.
 */
export async function readLogsOverApi(
  io: CliIo,
  server: string | undefined,
  runId: number,
  follow: boolean,
): Promise<void> {
  if (follow) {
    await followOverApi(io, server, runId);
    return;
  }
  let after = 0;
  for (;;) {
    const answer = await callApi<{ chunks: Chunk[]; nextAfter: number; truncated: boolean }>(io, {
      server,
      method: 'GET',
      path: `/api/runs/${runId}/logs?after=${after}`,
    });
    for (const chunk of answer.body.chunks) print(io, chunk);
    if (answer.body.chunks.length === 0) {
      if (answer.body.truncated) io.err(`[cronplane] output was cut at the job's capture limit`);
      return;
    }
    after = answer.body.nextAfter;
  }
}

async function followOverApi(io: CliIo, server: string | undefined, runId: number): Promise<void> {
  // Check the run and the token first, with the API's own error messages.
  await callApi(io, { server, method: 'GET', path: `/api/runs/${runId}/logs?limit=1` });
  const response = await fetch(`${serverUrlOf(server, io.env)}/api/runs/${runId}/logs/stream`, {
    headers: { authorization: `Bearer ${io.env['CRONPLANE_TOKEN'] ?? ''}`, accept: 'text/event-stream' },
  });
  if (!response.ok || response.body === null) {
    throw new CronplaneError('cli.api', `the daemon refused the live log (${response.status})`);
  }
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of response.body) {
    buffer += decoder.decode(bytes as Uint8Array, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event === 'log' && data !== undefined) print(io, JSON.parse(data) as Chunk);
      if (event === 'end' || event === 'error') return;
    }
  }
}
