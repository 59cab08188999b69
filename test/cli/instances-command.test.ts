/** `cronplane instances TEMPLATE`: a template's instances on a running daemon, through its API. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bootstrapToken, startApiDaemon } from '../api/api-harness.ts';
import type { ApiDaemon } from '../api/api-harness.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const yaml = `version: 1
jobs:
  plain:
    run: "true"
  orchestrate:
    template: true
    schedule: "every {frequency_hours}h"
    run: [echo, "{project_id}"]
    params:
      project_id: { type: string }
      frequency_hours: { type: integer, min: 1, max: 168, default: 6 }
`;

let harness: StoreHarness | undefined;
let api: ApiDaemon | undefined;

function instances(...args: string[]) {
  return runCronplaneInProcess(['instances', ...args], {
    env: { CRONPLANE_SERVER: api?.url as string, CRONPLANE_TOKEN: bootstrapToken },
  });
}

describe('cronplane instances', () => {
  before(async () => {
    harness = await createSqliteHarness();
    await harness.reset();
    api = await startApiDaemon({ storeUrl: harness.url, yaml });
  });
  after(async () => {
    await api?.stop();
    await harness?.close();
  });

  it('says a template has none yet, then lists each instance with its schedule, pause and params', async () => {
    const none = await instances('orchestrate');
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /template orchestrate has no instances/);
    for (const [key, hours] of [
      ['acme', 2],
      ['globex', 24],
    ] as const) {
      const put = await api?.request('PUT', `/api/jobs/orchestrate/instances/${key}`, {
        json: { params: { project_id: key, frequency_hours: hours } },
      });
      assert.equal(put?.status, 201, put?.text);
    }
    await api?.request('POST', '/api/jobs/orchestrate.globex/pause');
    const listed = await instances('orchestrate');
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'KEY\tSCHEDULE\tNEXT FIRE\tPAUSED\tVERSION\tPARAMS');
    assert.match(
      lines[1] ?? '',
      /^acme\tevery 2h\t\d{4}-\d\d-\d\dT[^\t]+\tno\t1\tproject_id=acme frequency_hours=2$/,
    );
    assert.match(lines[2] ?? '', /^globex\tevery 24h\t[^\t]+\tyes\t1\tproject_id=globex frequency_hours=24$/);
    const json = await instances('orchestrate', '--json');
    assert.deepEqual(
      json.stdout
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { key: string }).key),
      ['acme', 'globex'],
    );
  });

  it('refuses a job that is no template with exit 2 and the daemon’s message', async () => {
    const refused = await instances('plain');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /api\.not-a-template.*job "plain" is not a template/);
  });
});
