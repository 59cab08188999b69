/**
 * What only HttpControl meets: a daemon that does not answer, a token it does not accept, a scope
 * too small for the operation. Each is a ControlError whose kind says whose fault it is.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { issueToken } from '../../src/api/index.ts';
import { ControlError, HttpControl } from '../../src/control/index.ts';
import type { ControlErrorKind } from '../../src/control/index.ts';
import { useHttpRigOnSqlite } from './control-rig.ts';

async function refused(
  work: Promise<unknown>,
  kind: ControlErrorKind,
  code: string,
  message: RegExp,
): Promise<void> {
  await assert.rejects(work, (thrown: unknown) => {
    assert.ok(thrown instanceof ControlError, String(thrown));
    assert.equal(thrown.kind, kind);
    assert.equal(thrown.code, code);
    assert.match(thrown.message, message);
    return true;
  });
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

const rigOf = useHttpRigOnSqlite();

describe('HttpControl', () => {
  it('refuses as unavailable when no daemon answers, saying what to do, never naming the token', async () => {
    const port = await closedPort();
    const control = new HttpControl({ server: `http://127.0.0.1:${port}/`, token: 'cpt_secret-token-value' });
    await refused(
      control.listJobs(),
      'unavailable',
      'control.no-daemon',
      /connection refused.*cronplane start/,
    );
    await assert.rejects(
      control.listJobs(),
      (thrown: Error) => !thrown.message.includes('secret-token-value'),
    );
    await refused(
      (async () => {
        for await (const _event of control.followLogs(1)) break;
      })(),
      'unavailable',
      'control.no-daemon',
      /no cronplane daemon answers at http:\/\/127\.0\.0\.1:\d+ /,
    );
  });

  it('carries every problem the API found, each with its path, besides the first in the message', async () => {
    const control = new HttpControl({
      server: rigOf().server?.url as string,
      token: rigOf().server?.token as string,
    });
    await assert.rejects(control.listRuns({ limit: 0, cursor: -1 }), (thrown: unknown) => {
      assert.ok(thrown instanceof ControlError, String(thrown));
      assert.equal(thrown.status, 400);
      assert.equal(thrown.code, 'api.invalid');
      assert.deepEqual(
        thrown.issues.map((issue) => issue.path),
        ['query.limit', 'query.cursor'],
      );
      assert.equal(thrown.location?.path, 'query.limit');
      assert.match(thrown.message, /^query\.limit: /);
      return true;
    });
  });

  it('refuses a token the daemon does not know as unauthorized', async () => {
    const control = new HttpControl({
      server: rigOf().server?.url as string,
      token: 'cpt_000000000000_not-a-token',
    });
    await refused(control.listJobs(), 'unauthorized', 'api.unauthorized', /not valid/);
  });

  it('refuses an operation beyond the token’s scope as forbidden, with the API’s message', async () => {
    const reader = issueToken();
    await rigOf().store.createApiToken({
      id: reader.id,
      name: 'reader',
      hash: reader.hash,
      scope: 'read',
      jobs: [],
      createdAt: Date.now(),
      createdBy: 'bootstrap',
    });
    const control = new HttpControl({ server: rigOf().server?.url as string, token: reader.token });
    assert.equal((await control.listJobs()).jobs.length, 5);
    await refused(
      control.pauseJob('report'),
      'forbidden',
      'api.forbidden',
      /has scope read; POST .* needs admin/,
    );
    await refused(control.triggerJob('report'), 'forbidden', 'api.forbidden', /needs trigger/);
  });
});
