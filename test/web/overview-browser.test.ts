/**
 * The overview in a real browser against a real daemon, on SQLite and PostgreSQL: fan-out jobs
 * expand into a row per key with its own strip, tag and status filters (kept in the address),
 * open events on the job's row, and a run triggered through the API (not the page) that appears
 * and finishes without a reload (the stream of run changes); the expander and the filters work
 * by keyboard; no console errors, axe clean, a screenshot.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { bootstrapToken } from '../api/api-harness.ts';
import {
  describeInChromium,
  runToEnd,
  screenshot,
  seriousViolations,
  signIn,
  signedInPage,
  watchedPage,
} from './browser-rig.ts';

const yaml = `version: 1
defaults:
  tags: [ops]
jobs:
  eval-tenants:
    description: evaluates the model per tenant
    for_each: { tenant: [acme, globex] }
    run: [sh, -c, 'test {tenant} = acme']
    tags: [ml, 'team:data']
  hello:
    run: [sh, -c, 'echo hello']
  slow:
    run: [sh, -c, 'sleep 1.5; echo done']
  nightly:
    schedule: '0 2 * * *'
    run: [sh, -c, 'echo nightly']
`;

describeInChromium('the overview in Chromium', (chromium) => {
  chromium.onEachStore({ yaml }, (rig) => {
    before(async () => {
      const { api } = rig;
      // One fire of the fan-out job: acme succeeds, globex fails; hello succeeds.
      await runToEnd(api, 'eval-tenants', { fan_key: 'acme' });
      await runToEnd(api, 'eval-tenants', { fan_key: 'globex' });
      await runToEnd(api, 'hello');
      await api.daemon.store.recordEvent({
        kind: 'run:failed',
        dedupKey: 'test:eval-tenants:globex',
        severity: 'critical',
        at: Date.now(),
        job: 'eval-tenants',
      });
      await api.daemon.store.recordEvent({
        kind: 'run:slow',
        dedupKey: 'test:eval-tenants:slow',
        severity: 'warning',
        at: Date.now(),
        job: 'eval-tenants',
      });
    });

    it('expands fan-out rows per key, filters by tag and status in the address, shows open events, follows runs live', async () => {
      const { api, browser, storeName } = rig;
      const { context, page, problems } = await signedInPage(browser, api.url, bootstrapToken);

      const fanned = page.locator('tr[data-job="eval-tenants"]:not(.fan-key)');
      await fanned.getByText('failed').waitFor();
      // Tags as chips (a job's own, else those of defaults:), open events with the worst severity.
      assert.deepEqual(await fanned.locator('.chip').allTextContents(), ['ml', 'team:data']);
      assert.deepEqual(await page.locator('tr[data-job="hello"] .chip').allTextContents(), ['ops']);
      // The two recorded here, and the failure globex's run raised: the worst is critical.
      const events = fanned.getByRole('link', { name: /^[23] open events \(critical\)$/ });
      assert.equal(await events.getAttribute('href'), '/events?job=eval-tenants');

      // The expander, by keyboard: a row per key, each with its own last status and strip.
      const expander = page.getByRole('button', { name: '2 keys of eval-tenants' });
      assert.equal(await expander.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.locator('tr.fan-key').count(), 0);
      await expander.focus();
      await page.keyboard.press('Enter');
      await page.locator('tr.fan-key[data-key="globex"]').waitFor();
      assert.equal(await expander.getAttribute('aria-expanded'), 'true');
      const acme = page.locator('tr.fan-key[data-key="acme"]');
      const globex = page.locator('tr.fan-key[data-key="globex"]');
      await acme.getByText('succeeded').waitFor();
      await globex.getByText('failed').waitFor();
      assert.equal(await acme.locator('ol.strip li').count(), 1);
      assert.equal(await globex.getByRole('list', { name: 'recent runs of eval-tenants globex' }).count(), 1);
      await screenshot(page, storeName, 'overview-fan-out');
      assert.deepEqual(await seriousViolations(page), [], 'the overview with a fan-out job expanded');

      // A run triggered through the API appears, runs and ends without a reload.
      await page.evaluate(() => {
        (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
      });
      const triggered = await api.request('POST', '/api/jobs/slow/trigger', { json: {} });
      assert.equal(triggered.status, 202, triggered.text);
      const runId = triggered.body.runs[0].id as number;
      const slow = page.locator('tr[data-job="slow"]');
      const cell = slow.locator(`a[href="/runs/${runId}"].cell`);
      await cell.waitFor();
      await slow.locator('td').first().getByText('running').waitFor();
      await slow.locator(`a.cell.status-succeeded[href="/runs/${runId}"]`).waitFor({ timeout: 10_000 });
      await slow.locator('td').first().getByText('succeeded').waitFor();
      assert.equal(
        await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded),
        true,
      );

      // The filters, by keyboard, kept in the address.
      const tagFilter = page.getByLabel('Tag');
      await tagFilter.focus();
      await tagFilter.selectOption('ml');
      await page.locator('tr[data-job="hello"]').waitFor({ state: 'detached' });
      assert.match(page.url(), /[?&]tag=ml(&|$)/);
      assert.equal(await page.locator('tbody tr:not(.fan-key)').count(), 1);
      await tagFilter.selectOption('');
      const statusFilter = page.getByLabel('Last run');
      await statusFilter.focus();
      await statusFilter.selectOption('never');
      await page.locator('tr[data-job="hello"]').waitFor({ state: 'detached' });
      assert.match(page.url(), /[?&]status=never(&|$)/);
      assert.deepEqual(
        await page
          .locator('tbody tr:not(.fan-key)')
          .evaluateAll((rows) => rows.map((row) => row.dataset['job'])),
        ['nightly'],
      );
      // The address alone brings the filters back.
      await page.goto(`${api.url}/?status=failed&tag=ml`);
      await page.locator('tr[data-job="eval-tenants"]').first().waitFor();
      assert.equal(await page.locator('tbody tr:not(.fan-key)').count(), 1);
      assert.equal(await page.getByLabel('Last run').inputValue(), 'failed');
      assert.equal(await page.getByLabel('Tag').inputValue(), 'ml');
      assert.deepEqual(await seriousViolations(page), [], 'the overview filtered');

      await context.close();
      assert.deepEqual(problems, []);
    });
  });

  // How rows are drawn is the page's own doing, the same on either store: SQLite only.
  const many = Array.from({ length: 230 }, (_, index) => `job-${String(index).padStart(3, '0')}`);
  const jobs = many.map((name) => `  ${name}:\n    run: [sh, -c, 'true']\n`).join('');
  chromium.onStore('with 230 jobs', 'sqlite', { yaml: `version: 1\njobs:\n${jobs}` }, (rig) => {
    before(async () => {
      await runToEnd(rig.api, 'job-000');
      await runToEnd(rig.api, 'job-150');
    });

    it('draws a hundred rows at first, reads strips only for the rows drawn, and draws more as the end comes into view', async () => {
      const { api, browser } = rig;
      const problems: string[] = [];
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await watchedPage(context, problems);
      const stripReads: string[][] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname === '/api/runs/recent')
          stripReads.push((url.searchParams.get('jobs') ?? '').split(','));
      });
      await signIn(page, api.url, bootstrapToken);
      const rows = page.locator('tr[data-job]');
      await page.locator('tr[data-job="job-000"] ol.strip').waitFor();
      assert.equal(await rows.count(), 100);
      await page.getByText('100 of 230 jobs shown.').waitFor();
      assert.deepEqual(
        stripReads.map((names) => names.length),
        [50, 50],
        'two reads of 50 jobs each, for the rows drawn',
      );
      assert.ok(!stripReads.flat().includes('job-150'), 'no strip read for a row not drawn');

      // Scrolling to the end of the table draws the next hundred, and reads their strips.
      await page.getByRole('button', { name: 'Show 100 more' }).scrollIntoViewIfNeeded();
      await page.locator('tr[data-job="job-150"] ol.strip').waitFor();
      assert.ok(stripReads.flat().includes('job-150'));
      // The button works by keyboard too (when the end did not come into view again already): the last 30.
      await page.locator('tr[data-job="job-199"]').waitFor();
      const rest = page.getByRole('button', { name: 'Show 30 more' });
      if ((await rest.count()) > 0) {
        await rest.focus();
        await page.keyboard.press('Enter');
      }
      await page.locator('tr[data-job="job-229"]').waitFor();
      // Its strip is read once its row is drawn: the answer is there when the row says so.
      await page.locator('tr[data-job="job-229"]').getByText('no runs yet').waitFor();
      assert.equal(await rows.count(), 230);
      assert.equal(await page.getByRole('button', { name: /^Show \d+ more$/ }).count(), 0);
      assert.equal(new Set(stripReads.flat()).size, 230, 'the strips of each job read once');

      await context.close();
      assert.deepEqual(problems, []);
    });
  });
});
