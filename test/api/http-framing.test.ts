/**
 * Requests the HTTP parser refuses before any route sees them, sent as raw bytes to a real
 * daemon's API: each gets the API's one error shape (or, when no answer is possible, a closed
 * connection), and the daemon keeps answering.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { startApiDaemon } from './api-harness.ts';
import type { ApiDaemon } from './api-harness.ts';

interface RawAnswer {
  readonly status: number;
  readonly headers: string;
  readonly body: unknown;
}

/** Writes `bytes` on a fresh connection and reads until the server closes it. */
function sendRaw(url: string, bytes: string | readonly string[]): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1] ?? 0);
      let body: unknown;
      try {
        body = JSON.parse(rest.join('\r\n\r\n'));
      } catch {
        body = rest.join('\r\n\r\n');
      }
      resolve({ status, headers: head, body });
    });
    socket.on('connect', () => {
      for (const part of typeof bytes === 'string' ? [bytes] : bytes) socket.write(part);
    });
  });
}

describe('requests the HTTP parser refuses', () => {
  let harness: StoreHarness;
  let api: ApiDaemon;

  before(async () => {
    harness = await createSqliteHarness();
    api = await startApiDaemon({
      storeUrl: harness.url,
      yaml: 'version: 1\njobs:\n  hello: { run: "true" }\n',
    });
  });
  after(async () => {
    await api.stop();
    await harness.close();
  });

  const cases: { name: string; bytes: string; status: number; code: string; message: RegExp }[] = [
    {
      name: 'a request line that is not HTTP',
      bytes: 'HELLO THERE\r\n\r\n',
      status: 400,
      code: 'api.bad-request',
      message: /not valid HTTP\/1\.1 \(HPE_/,
    },
    {
      name: 'both Content-Length and Transfer-Encoding (request smuggling)',
      bytes:
        'POST /api/jobs/hello/trigger HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      status: 400,
      code: 'api.bad-request',
      message: /framing is not valid.*Transfer-Encoding can.t be present with Content-Length/,
    },
    {
      name: 'two different Content-Length headers',
      bytes: 'POST /api/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
      status: 400,
      code: 'api.bad-request',
      message: /HPE_/,
    },
    {
      name: 'a chunk size that is not hexadecimal',
      bytes:
        'POST /api/jobs/hello/trigger HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      status: 400,
      code: 'api.bad-request',
      message: /chunked body is not valid \(HPE_INVALID_CHUNK_SIZE/,
    },
    {
      name: 'headers past 16 KiB',
      bytes: `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
      status: 431,
      code: 'api.headers-too-large',
      message: /larger than the server reads \(16 KiB\)/,
    },
    {
      name: 'a URL past 16 KiB',
      bytes: `GET /api/jobs/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      status: 431,
      code: 'api.headers-too-large',
      message: /shorter URL/,
    },
    {
      name: 'a path segment longer than 200 characters',
      bytes: `GET /api/jobs/${'a'.repeat(300)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      status: 414,
      code: 'api.uri-too-long',
      message: /path segment is longer than the API reads \(200 characters\)/,
    },
  ];

  for (const expected of cases) {
    it(`answers ${expected.name} with ${expected.status} and the error shape`, async () => {
      const answer = await sendRaw(api.url, expected.bytes);
      assert.equal(answer.status, expected.status, `${answer.headers}\n${JSON.stringify(answer.body)}`);
      assert.match(answer.headers, /content-type: application\/json/i);
      const body = answer.body as { error?: { code?: unknown; message?: unknown } };
      assert.deepEqual(Object.keys(body), ['error'], JSON.stringify(body));
      assert.equal(body.error?.code, expected.code);
      assert.match(String(body.error?.message), expected.message);
      assert.doesNotMatch(JSON.stringify(body), /aaaaaaaaaa|zz/, 'what the client sent is not echoed');
    });
  }

  it('keeps answering after them', async () => {
    const answer = await api.request('GET', '/healthz');
    assert.equal(answer.status, 200);
  });
});
