/**
 * `cronplane nodes` and `cronplane drain` as an operator runs them, against a real `cronplane start`
 * process on PostgreSQL (the store several nodes share), from the store and over the API. The
 * commands run in the test's process (the bin's program and output, without a Node start each).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { waitFor } from '../support/engine-harness.ts';
import { startDaemonProcess } from '../support/run-cronplane.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';
import type { DaemonProcess } from '../support/run-cronplane.ts';

const token = 'nodes-cli-bootstrap-token-0123456789';

interface ListedNode {
  readonly name: string;
  readonly state: string;
  readonly live: boolean;
  readonly leads: string[];
}

describe('cronplane nodes and cronplane drain on PostgreSQL', () => {
  let harness: StoreHarness;
  let daemon: DaemonProcess;
  let file: string;

  before(async () => {
    harness = await createPostgresHarness();
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-nodes-cli-'));
    file = path.join(folder, 'cronplane.yaml');
    writeFileSync(file, 'version: 1\njobs:\n  tick: { schedule: every 1s, run: "true" }\n');
    daemon = await startDaemonProcess(['--config', file, '--store', harness.url, '--node', 'node-cli'], {
      env: { CRONPLANE_TOKEN: token },
    });
  });

  after(async () => {
    await daemon?.stop();
    await harness?.close();
  });

  async function listed(args: readonly string[]): Promise<ListedNode[]> {
    const result = await runCronplaneInProcess(['nodes', '--json', ...args], {
      env: { CRONPLANE_TOKEN: token },
    });
    assert.equal(result.code, 0, result.stderr);
    // One JSON object a line, as `runs --json` prints.
    return result.stdout
      .trim()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as ListedNode);
  }

  it('lists the running node, leading, from the store and over the API alike', async () => {
    const fromStore = await waitFor('the node to lead', async () => {
      const nodes = await listed(['--store', harness.url, '--config', file]);
      return nodes[0]?.leads.includes('scheduler') === true ? nodes : undefined;
    });
    assert.deepEqual(
      fromStore.map((node) => [node.name, node.state, node.live]),
      [['node-cli', 'running', true]],
    );
    const overApi = await listed(['--server', daemon.server]);
    assert.deepEqual(
      overApi.map((node) => [node.name, node.state, node.leads]),
      fromStore.map((node) => [node.name, node.state, node.leads]),
    );
    const table = await runCronplaneInProcess(['nodes', '--server', daemon.server], {
      env: { CRONPLANE_TOKEN: token },
    });
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /node-cli/);
  });

  it('refuses a malformed or unknown node name for drain, changing nothing', async () => {
    const bad = await runCronplaneInProcess(['drain', '../etc', '--server', daemon.server], {
      env: { CRONPLANE_TOKEN: token },
    });
    assert.equal(bad.code, 2, bad.stdout);
    assert.match(bad.stderr, /not a node name/);
    const unknown = await runCronplaneInProcess(['drain', 'node-nobody', '--server', daemon.server], {
      env: { CRONPLANE_TOKEN: token },
    });
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no live node named "node-nobody"/);
    assert.equal((await listed(['--server', daemon.server]))[0]?.state, 'running');
  });

  it('drains the node: it gives up its leases and says so in the list', async () => {
    const result = await runCronplaneInProcess(['drain', 'node-cli', '--server', daemon.server], {
      env: { CRONPLANE_TOKEN: token },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /draining node-cli/);
    const drained = await waitFor('the node to give up its leases', async () => {
      const [node] = await listed(['--server', daemon.server]);
      return node?.state === 'draining' && node.leads.length === 0 ? node : undefined;
    });
    assert.equal(drained.name, 'node-cli');
  });
});
