/**
 * `cronplane trigger`'s dry-run flags as a daemon receives them: `--dry-run` asks for a dry run,
 * `--no-dry-run` for a real one (a job that is dry by default, seed 003's clean-up), and neither
 * leaves the job's own default (no `dryRun` in the request). What the engine does with each is
 * tested in test/examples/dry-run-truth.test.ts.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runCronplane } from '../support/run-cronplane.ts';

describe('cronplane trigger --dry-run / --no-dry-run', () => {
  const bodies: unknown[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      bodies.push(JSON.parse(text === '' ? '{}' : text));
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ runs: [{ id: bodies.length, job: 'datapilot-cleanup', fanKey: '' }] }));
    });
  });
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('sends dryRun false, true, or nothing, as the flags say', async () => {
    const env = { CRONPLANE_TOKEN: 'cp_test-token-for-trigger' };
    for (const flags of [['--no-dry-run'], ['--dry-run'], []]) {
      const result = await runCronplane(['trigger', 'datapilot-cleanup', ...flags, '--server', url], { env });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /queued run \d+ of datapilot-cleanup/);
    }
    assert.deepEqual(bodies, [{ dryRun: false }, { dryRun: true }, {}]);
  });
});
