/**
 * The Queues, Audit and Nodes pages in a real browser (Chromium, playwright-core) against a real
 * daemon, on SQLite and PostgreSQL: a queue job's items per key, the oldest waiting item's age and
 * a stuck item; the audit log of a named token, filtered by actor; the nodes sharing the store and
 * draining one. A read-only token sees no Drain and is told the audit log is not for it; no console
 * errors; axe-core finds no serious or critical violation; a screenshot of each page.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { bootstrapToken } from '../api/api-harness.ts';
import type { ApiDaemon } from '../api/api-harness.ts';
import type { Store } from '../../src/store/index.ts';
import { waitFor } from '../support/engine-harness.ts';
import { describeInChromium, screenshot, seriousViolations, signedInPage } from './browser-rig.ts';

// The queue job fires at 03:00 only and runs on nodes tagged gpu (none here): its items stay
// where the test puts them, and a released one is never started.
const secretValue = 'sk-dashboard-secret-0123456789';
const yaml = `version: 1
jobs:
  audit-batches:
    schedule: '0 3 * * *'
    queue: { key: org, per_key: 1, max_per_run: 20 }
    node_tags: [gpu]
    env: { AUDIT_API_KEY: { secret: ${secretValue} } }
    run: [sh, -c, 'cat']
  hello:
    run: [sh, -c, 'echo hello']
`;

const minute = 60_000;

async function createToken(api: ApiDaemon, name: string, scope: string): Promise<string> {
  const answer = await api.request('POST', '/api/tokens', { json: { name, scope } });
  assert.equal(answer.status, 201, answer.text);
  return answer.body.token as string;
}

describeInChromium('the queues, audit and nodes pages in Chromium', (chromium) => {
  chromium.onEachStore({ yaml }, (rig) => {
    let store: Store;
    let alice = '';
    let viewer = '';
    let stuckId = 0;
    before(async () => {
      const { api } = rig;
      store = await rig.harness.open();
      alice = await createToken(api, 'ops-alice', 'admin');
      viewer = await createToken(api, 'viewer', 'read');
      const now = Date.now();
      // The oldest waiting item, enqueued 2 h 5 min ago; then a released one no node started.
      const old = now - 125 * minute;
      const hourAgo = now - 60 * minute;
      const { inserted } = await store.insertRuns([
        {
          job: 'audit-batches',
          trigger: 'api',
          status: 'held',
          payload: { org: 'globex', batch: 'b-0' },
          rateKey: 'globex',
          scheduledAt: old,
          queuedAt: old,
        },
        {
          job: 'audit-batches',
          trigger: 'api',
          payload: { org: 'acme', batch: 'b-stuck' },
          rateKey: 'acme',
          scheduledAt: hourAgo,
          queuedAt: hourAgo,
          runAfter: hourAgo,
        },
      ]);
      stuckId = inserted[1]?.id as number;
      for (const [org, batch] of [
        ['acme', 'b-1'],
        ['acme', 'b-2'],
        ['globex', 'b-3'],
      ]) {
        const answer = await api.request('POST', '/api/jobs/audit-batches/queue', {
          token: alice,
          json: { payload: { org, batch, api_key: secretValue }, priority: batch === 'b-2' ? 5 : 0 },
        });
        assert.equal(answer.status, 202, answer.text);
      }
      assert.equal((await api.request('POST', '/api/jobs/hello/trigger', { token: alice })).status, 202);
      assert.equal((await api.request('POST', '/api/jobs/hello/pause', { token: alice })).status, 200);
    });
    after(async () => {
      await store.release();
    });

    it('shows each queue job’s items per key, its oldest waiting item’s age and its stuck item', async () => {
      const { api, browser, storeName } = rig;
      const { context, page, problems } = await signedInPage(browser, api.url, bootstrapToken);
      await page
        .getByRole('navigation', { name: 'main' })
        .getByRole('link', { name: 'Queues', exact: true })
        .click();
      const queue = page.locator('section[data-queue="audit-batches"]');
      await queue.waitFor();
      const keyRow = async (key: string) =>
        (await queue.locator(`tr[data-key="${key}"] th, tr[data-key="${key}"] td`).allTextContents()).join(
          '|',
        );
      assert.equal(await keyRow('acme'), 'acme|2|1|0');
      assert.equal(await keyRow('globex'), 'globex|2|0|0');
      assert.equal(await queue.locator('.oldest').textContent(), '2 h 5 min');
      assert.equal(await queue.locator('.stuck-count').textContent(), '▲ 1');
      await screenshot(page, storeName, 'queues');
      assert.deepEqual(await seriousViolations(page), [], 'the queues page');

      await queue.getByRole('link', { name: 'audit-batches' }).click();
      await page.getByRole('heading', { name: 'Queue of audit-batches' }).waitFor();
      const stuck = page.locator(`table.stuck-items tr[data-run="${stuckId}"]`);
      await stuck.getByText('released, not started').waitFor();
      assert.match(
        (await stuck.textContent()) ?? '',
        /released 1h\d*m?\d*s? ago and not started \(limit 15m\)/,
      );
      assert.equal(await stuck.locator(`a[href="/runs/${stuckId}"]`).count(), 1);
      const next = page.locator('table.next-items tbody tr');
      assert.equal(await next.count(), 4);
      assert.match((await next.nth(0).textContent()) ?? '', /globex.*b-0/);
      assert.match((await next.nth(2).textContent()) ?? '', /acme5.*ops-alice.*"batch":"b-2"/);
      // The payload as the API gives it: a secret value of the job file masked.
      assert.match((await next.nth(2).textContent()) ?? '', /"api_key":"\*\*\*"/);
      assert.equal(await page.getByText(secretValue).count(), 0);
      await screenshot(page, storeName, 'queue');
      assert.deepEqual(await seriousViolations(page), [], 'a queue page');
      await context.close();
      assert.deepEqual(problems, []);
    });

    it('lists who did what with which token, newest first, and filters by actor', async () => {
      const { api, browser, storeName } = rig;
      const { context, page, problems } = await signedInPage(browser, api.url, bootstrapToken);
      await page
        .getByRole('navigation', { name: 'main' })
        .getByRole('link', { name: 'Audit', exact: true })
        .click();
      const rows = page.locator('table.audit tbody tr');
      await rows.first().waitFor();
      const pause = page.locator('tr[data-action="job.pause"]');
      assert.equal(await pause.locator('.actor').textContent(), 'ops-alice');
      assert.equal(await pause.getByRole('link', { name: 'hello' }).getAttribute('href'), '/jobs/hello');
      const trigger = page.locator('tr[data-action="job.trigger"]');
      assert.equal(await trigger.locator('.actor').textContent(), 'ops-alice');
      assert.equal(await trigger.locator('time').count(), 1);
      // Newest first: the pause came after the trigger, the tokens before both.
      const actions = await rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-action')));
      assert.ok(actions.indexOf('job.pause') < actions.indexOf('job.trigger'), actions.join());
      assert.ok(actions.indexOf('job.trigger') < actions.indexOf('token.create'), actions.join());
      await screenshot(page, storeName, 'audit');
      assert.deepEqual(await seriousViolations(page), [], 'the audit page');

      await page.getByLabel('Actor (token name)').fill('ops-alice');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/\/audit\?actor=ops-alice$/);
      await waitFor('the entries of ops-alice only', async () =>
        (await rows.count()) > 0 && (await page.locator('tr[data-action="token.create"]').count()) === 0
          ? true
          : undefined,
      );
      const actors = await page.locator('table.audit td.actor').allTextContents();
      assert.deepEqual(
        [...new Set(actors)],
        ['ops-alice'],
        'only her entries: three enqueues, a trigger, a pause',
      );
      assert.equal(actors.length, 5);
      await page.getByLabel('Action').selectOption('queue.enqueue');
      await page.waitForURL(/action=queue\.enqueue/);
      await waitFor('her three enqueues only', async () =>
        (await page.locator('tr[data-action="queue.enqueue"]').count()) === 3 && (await rows.count()) === 3
          ? true
          : undefined,
      );
      await context.close();
      assert.deepEqual(problems, []);
    });

    it('lists the nodes on the store, and lets an admin drain one after confirming', async () => {
      const { api, browser, storeName } = rig;
      const { context, page, problems } = await signedInPage(browser, api.url, bootstrapToken);
      await page
        .getByRole('navigation', { name: 'main' })
        .getByRole('link', { name: 'Nodes', exact: true })
        .click();
      const own = page.locator('tr[data-node="api-node"]');
      await own.waitFor();
      await page.getByText('One node shares this store').waitFor();
      assert.match((await own.textContent()) ?? '', /running/);
      await own.getByText('leader', { exact: true }).waitFor();

      // A second node on the same store, so draining leaves the daemon's own alone.
      const [daemonNode] = (await api.request('GET', '/api/nodes')).body.nodes;
      await store.registerNode({
        instanceId: `worker-2-${storeName}`,
        name: 'worker-2',
        host: 'host-2',
        processScope: 'host-2/pid:[1]',
        pid: 4242,
        version: '0.9.0',
        startedAt: Date.now(),
        staleMs: 10 * minute,
        configHash: daemonNode.configHash,
        tags: ['gpu'],
        slots: 4,
        role: 'worker',
      });
      await page.getByRole('button', { name: 'Refresh' }).click();
      const worker = page.locator('tr[data-node="worker-2"]');
      await worker.waitFor();
      await page.getByText('2 live nodes share this store').waitFor();
      assert.match((await worker.textContent()) ?? '', /0 \/ 4.*worker.*gpu.*0\.9\.0/);
      await screenshot(page, storeName, 'nodes');
      assert.deepEqual(await seriousViolations(page), [], 'the nodes page');

      await worker.getByRole('button', { name: 'Drain worker-2…' }).click();
      await worker.getByRole('button', { name: 'Cancel' }).click();
      assert.equal(await worker.getByRole('button', { name: 'Drain worker-2', exact: true }).count(), 0);
      await worker.getByRole('button', { name: 'Drain worker-2…' }).click();
      await worker.getByRole('button', { name: 'Drain worker-2', exact: true }).click();
      await page.getByText('Node worker-2 is draining.').waitFor();
      await worker.getByText('draining').first().waitFor();
      assert.equal(await worker.getByRole('button').count(), 0, 'a draining node has no Drain');
      const drained = (await api.request('GET', '/api/nodes')).body.nodes.find(
        (node: { name: string }) => node.name === 'worker-2',
      );
      assert.equal(drained.state, 'draining');
      assert.equal((await api.request('GET', '/api/nodes')).body.nodes[0].state, 'running');
      await context.close();
      assert.deepEqual(problems, []);
    });

    it('shows a read-only token the pages without Drain, and tells it the audit log is not for it', async () => {
      const { api, browser } = rig;
      const { context, page, problems } = await signedInPage(browser, api.url, viewer, {
        colorScheme: 'dark',
      });
      await page
        .getByRole('navigation', { name: 'main' })
        .getByRole('link', { name: 'Nodes', exact: true })
        .click();
      await page.locator('tr[data-node="api-node"]').waitFor();
      assert.equal(await page.getByRole('button', { name: /^Drain/ }).count(), 0);
      assert.equal(await page.getByRole('columnheader', { name: 'Actions' }).count(), 0);
      assert.deepEqual(await seriousViolations(page), [], 'the nodes page, read-only and dark');

      await page
        .getByRole('navigation', { name: 'main' })
        .getByRole('link', { name: 'Audit', exact: true })
        .click();
      await page.getByRole('status').getByText('The audit log is for admin tokens').waitFor();
      assert.match((await page.getByRole('status').textContent()) ?? '', /viewer with scope read/);
      assert.equal(await page.locator('table.audit').count(), 0);
      assert.deepEqual(await seriousViolations(page), [], 'the audit page, read-only');

      await page
        .getByRole('navigation', { name: 'main' })
        .getByRole('link', { name: 'Queues', exact: true })
        .click();
      await page.locator('section[data-queue="audit-batches"]').waitFor();
      assert.deepEqual(await seriousViolations(page), [], 'the queues page, dark');
      const refused = await api.request('POST', '/api/nodes/api-node/drain', { token: viewer });
      assert.equal(refused.status, 403, refused.text);
      await context.close();
      assert.deepEqual(problems, []);
    });
  });
});
