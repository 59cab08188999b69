/**
 * What the API suites share: the job file most tests use, its secrets, and a set of daemons
 * started per test on a fresh store and stopped after the file.
 */
import assert from 'node:assert/strict';
import { afterEach } from 'node:test';
import { waitFor } from '../support/engine-harness.ts';
import type { ApiDaemon, StartOptions } from './api-harness.ts';
import { startApiDaemon } from './api-harness.ts';

export const secretEnv = 'sekret-env-value-1234567890';
export const secretBearer = 'bearer-secret-abcdef1234567890';

/** Jobs most tests use: none fires on its own during a test. */
export const baseYaml = `version: 1
jobs:
  hello:
    run: [sh, -c, 'echo "hello {who}"; echo "token=$API_TOKEN"']
    params: { who: world }
    env: { API_TOKEN: { secret: "${secretEnv}" } }
  cleanup-tmp:
    run: [sh, -c, 'echo cleaning']
  cleanup-logs:
    run: [sh, -c, 'echo cleaning logs']
  report:
    schedule: '0 0 1 1 *'
    description: yearly report
    run: [sh, -c, 'echo report']
  fail:
    metrics: stdout_json
    run: [sh, -c, 'echo "{\\"rows\\": 3}"; echo "oops $API_TOKEN" >&2; exit 4']
    env: { API_TOKEN: { secret: "${secretEnv}" } }
  slow:
    run: [sh, -c, 'echo one; sleep 0.4; echo two']
  forever:
    run: [sleep, '30']
  hook:
    http: { method: POST, url: 'http://127.0.0.1:9/hook', bearer: '${secretBearer}' }
`;

/** A store for one test: the URL of an emptied database. */
export type FreshStore = () => Promise<string>;

export interface Daemons {
  start(options?: Partial<StartOptions>): Promise<ApiDaemon>;
  stop(daemon: ApiDaemon): Promise<void>;
  /** A new token of `scope` made through the API with the bootstrap token. */
  tokenFor(api: ApiDaemon, name: string, scope: string, jobs?: string[]): Promise<string>;
  /** Waits for a run to end and gives its view. */
  finished(api: ApiDaemon, id: number): Promise<Record<string, unknown>>;
}

/** Daemons for the tests of one describe block; call inside it. */
export function useDaemons(freshStore: FreshStore): Daemons {
  const running: ApiDaemon[] = [];
  // Each test's daemons stop when it ends: a daemon left running (a per-second job) would write
  // into the next test's store, which reuses the same database.
  afterEach(async () => {
    for (const daemon of running.splice(0)) await daemon.stop();
  });

  async function start(options: Partial<StartOptions> = {}): Promise<ApiDaemon> {
    const daemon = await startApiDaemon({
      yaml: baseYaml,
      storeUrl: options.storeUrl ?? (await freshStore()),
      ...options,
    });
    running.push(daemon);
    return daemon;
  }

  async function stop(daemon: ApiDaemon): Promise<void> {
    running.splice(running.indexOf(daemon), 1);
    await daemon.stop();
  }

  async function tokenFor(api: ApiDaemon, name: string, scope: string, jobs?: string[]): Promise<string> {
    const created = await api.request('POST', '/api/tokens', {
      json: { name, scope, ...(jobs === undefined ? {} : { jobs }) },
    });
    assert.equal(created.status, 201, created.text);
    return created.body.token as string;
  }

  async function finished(api: ApiDaemon, id: number): Promise<Record<string, unknown>> {
    return waitFor(
      `run ${id} to end`,
      async () => {
        const answer = await api.request('GET', `/api/runs/${id}`);
        const run = answer.body?.run as Record<string, unknown> | undefined;
        return run !== undefined && !['held', 'pending', 'running'].includes(String(run['status']))
          ? run
          : undefined;
      },
      10_000,
    );
  }

  return { start, stop, tokenFor, finished };
}
