/**
 * Jobs defined through the API in the dashboard, in Chromium against a real daemon, on SQLite and
 * PostgreSQL: a job created (and changed) through the API shows as `api` on the overview, the
 * source filter (kept in the address) keeps one source, and the job page says the source and
 * the version; the job file's jobs say theirs. No console error, no serious axe violation.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Page } from 'playwright-core';
import { bootstrapToken } from '../api/api-harness.ts';
import { describeInChromium, screenshot, seriousViolations, signedInPage } from './browser-rig.ts';

const yaml = `version: 1
jobs:
  hello:
    run: [sh, -c, 'echo hello']
  nightly:
    schedule: '0 2 * * *'
    run: [sh, -c, 'echo nightly']
`;

describeInChromium('jobs defined through the API in Chromium', (chromium) => {
  chromium.onEachStore({ yaml }, (rig) => {
    before(async () => {
      const { api } = rig;
      const created = await api.request('PUT', '/api/jobs/report-acme', {
        json: { run: ['sh', '-c', 'echo acme'], schedule: 'every 6h', description: 'report for acme' },
      });
      assert.equal(created.status, 201, created.text);
      const patched = await api.request('PATCH', '/api/jobs/report-acme', {
        json: { schedule: 'every 12h' },
      });
      assert.equal(patched.status, 200, patched.text);
    });

    it('marks the API job api on the overview, filters by source, and shows source and version on the job page', async () => {
      const { api, browser, storeName } = rig;
      const { context, page, problems } = await signedInPage(browser, api.url, bootstrapToken);

      const apiRow = page.locator('tr[data-job="report-acme"]');
      await apiRow.waitFor();
      const badge = apiRow.locator('.tag.source-api');
      assert.equal(await badge.innerText(), 'api');
      assert.equal(await badge.getAttribute('title'), 'defined through the API, version 2');
      assert.equal(await page.locator('tr[data-job="hello"] .source-api').count(), 0);
      assert.equal(await page.locator('tr[data-job="nightly"] .source-api').count(), 0);
      await screenshot(page, storeName, 'overview-api-job');
      assert.deepEqual(await seriousViolations(page), [], 'the overview with an API job');

      // The source filter, in the address.
      await page.getByLabel('Source').selectOption('api');
      await page.waitForURL((url) => url.searchParams.get('source') === 'api');
      assert.deepEqual(await rowJobs(page), ['report-acme']);
      await page.getByLabel('Source').selectOption('file');
      await page.waitForURL((url) => url.searchParams.get('source') === 'file');
      assert.deepEqual(await rowJobs(page), ['hello', 'nightly']);
      await page.goto(`${api.url}/?source=api`);
      await page.locator('tr[data-job="report-acme"]').waitFor();
      assert.equal(await page.locator('tr[data-job="hello"]').count(), 0);

      // The job page says where the job comes from.
      await page.locator('tr[data-job="report-acme"] a.job-name').click();
      await page.getByRole('heading', { name: 'report-acme', level: 1 }).waitFor();
      const facts = page.locator('dl.facts').first();
      await facts.getByText('defined through the API, version 2').waitFor();
      assert.match(await facts.innerText(), /Source\s+api defined through the API, version 2/);
      await screenshot(page, storeName, 'job-page-api-job');
      assert.deepEqual(await seriousViolations(page), [], 'the job page of an API job');
      await page.goto(`${api.url}/jobs/hello`);
      await page.getByRole('heading', { name: 'hello', level: 1 }).waitFor();
      assert.match(await page.locator('dl.facts').first().innerText(), /Source\s+the job file/);

      await context.close();
      assert.deepEqual(problems, []);
    });
  });
});

/** The jobs of the overview's rows, in order. */
async function rowJobs(page: Page): Promise<string[]> {
  const rows = await page.locator('tbody > tr[data-job]').all();
  return Promise.all(rows.map(async (row) => (await row.getAttribute('data-job')) ?? ''));
}
