/**
 * The job page (`/jobs/<name>`) in Chromium against a real daemon with real runs, on SQLite and
 * PostgreSQL: the trigger form built from the declared parameters (a refusal beside its field, a
 * good trigger's runs in the table without reload), pause and resume, the runs table paged by
 * cursor (Back works), the duration chart, and a chart per metric with its guard's threshold and
 * event; a read-only token sees no form and no pause. No console error, no serious axe violation.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { bootstrapToken } from '../api/api-harness.ts';
import type { ApiDaemon } from '../api/api-harness.ts';
import { waitFor } from '../support/engine-harness.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import {
  describeInChromium,
  screenshot,
  seriousViolations,
  signIn,
  signedInPage,
  watchedPage,
} from './browser-rig.ts';

// `printf` writes the braces of the JSON line as octal escapes (\173, \175): a `{` in the job file
// starts a placeholder.
const yaml = `version: 1
jobs:
  eval:
    description: nightly eval per tenant
    for_each: { tenant: [tenant_a, tenant_b] }
    params:
      region:  { type: string, pattern: '^[a-z]{2}-[a-z]+$', description: where the eval runs }
      mode:    { type: enum, values: [fast, full], default: fast }
      verbose: { type: boolean, default: false }
      refusal: { type: number, min: 0, max: 1, default: 0.02 }
      note:    { type: string, secret: true, default: nothing-to-say }
    env: { REFUSAL: "{refusal}" }
    run: [sh, -c, 'printf ''\\173"refusal_rate": %s, "citation_rate": 0.8\\175\\n'' "$REFUSAL"']
    guards:
      refusal_high:  { metric: refusal_rate, above: 0.1, per_key: true }
      citation_drop: { metric: citation_rate, drop_by: 0.1, per_key: true }
  many:
    schedule: '30 2 * * 1-5'
    timezone: Europe/Berlin
    cooldown: 1h
    max_per_run: 5
    run: [sh, -c, 'true']
`;

const insertedRuns = 120;

/** Triggers through the API and waits for every run it queued to end; answers their ids. */
async function triggerToEnd(api: ApiDaemon, job: string, params: Record<string, string>): Promise<number[]> {
  const answer = await api.request('POST', `/api/jobs/${job}/trigger`, { json: { params } });
  assert.equal(answer.status, 202, answer.text);
  const ids = (answer.body.runs as { id: number }[]).map((run) => run.id);
  for (const id of ids) {
    await waitFor(`run ${id} to end`, async () => {
      const run = (await api.request('GET', `/api/runs/${id}`)).body.run;
      return run.finishedAt === null ? undefined : true;
    });
  }
  return ids;
}

/** Many ended runs of `many`, written straight into the store: cheaper than running them. */
async function insertRuns(harness: StoreHarness): Promise<void> {
  const now = Date.now();
  const rows = Array.from({ length: insertedRuns }, (_, index) => {
    const at = now - (insertedRuns - index) * 600_000;
    const status = index % 9 === 4 ? 'failed' : 'succeeded';
    const took = 800 + ((index * 137) % 2400);
    // cooldown_ms: the job's cooldown when the run was planned, as the engine records it.
    return `('many', '', 'schedule', ${at}, ${at}, ${at}, ${at}, ${at + took}, '${status}', 'api-node', 3600000)`;
  });
  await harness.query(
    harness.url,
    `INSERT INTO runs (job, fan_key, "trigger", scheduled_at, run_after, queued_at, started_at, finished_at, status, node, cooldown_ms)
     VALUES ${rows.join(', ')}`,
  );
}

describeInChromium('the job page in Chromium', (chromium) => {
  chromium.onEachStore({ yaml, beforeDaemon: insertRuns }, (rig) => {
    before(async () => {
      const { api } = rig;
      await triggerToEnd(api, 'eval', { region: 'eu-west' });
      await triggerToEnd(api, 'eval', { region: 'eu-west' });
      // tenant_a's refusal rate jumps over the guard's bound: an event for tenant_a.
      await triggerToEnd(api, 'eval', { region: 'eu-west', refusal: '0.3', fan_key: 'tenant_a' });
      await waitFor('the guard event', async () => {
        const events = (await api.request('GET', '/api/events?job=eval')).body.events as { kind: string }[];
        return events.some((event) => event.kind === 'guard:refusal_high') ? true : undefined;
      });
    });

    it('shows the job with its runs and charts, triggers from the form, pauses and resumes', async () => {
      const { api, browser, storeName } = rig;
      const { context, page, problems } = await signedInPage(browser, api.url, bootstrapToken);

      // The overview's job name opens the job page.
      await page.locator('tr[data-job="eval"] a.job-name').click();
      await page.getByRole('heading', { name: 'eval', level: 1 }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/jobs/eval');
      await page.getByText('nightly eval per tenant').waitFor();
      const rows = page.locator('table.runs tbody tr');
      await waitFor('the five runs', async () => ((await rows.count()) === 5 ? true : undefined));

      // A chart per metric, with its guard's threshold and events in words, and a canvas.
      const refusal = page.locator('figure[data-metric="refusal_rate"]');
      await refusal.locator('figcaption').getByText('Latest: tenant_a 0.3, tenant_b 0.02.').waitFor();
      assert.match(
        await refusal.locator('.caption-thresholds').innerText(),
        /refusal_high \(warning\) breaks when above 0\.1, per key/,
      );
      assert.match(
        await refusal.locator('.guard-events').innerText(),
        /refusal_high for tenant_a \(warning\)/,
      );
      await refusal.locator('canvas').first().waitFor();
      // The bound is a series of the chart (its legend names it), drawn across the range.
      await refusal.locator('.u-legend').getByText('refusal_high: above 0.1').waitFor();
      const citation = page.locator('figure[data-metric="citation_rate"]');
      assert.match(
        await citation.locator('.caption-thresholds').innerText(),
        /citation_drop \(warning\) breaks when drops by more than 0\.1 under the mean of the last 10 runs/,
      );
      await citation.locator('canvas').first().waitFor();
      await page.locator('figure.durations canvas').first().waitFor();
      await page.locator('figure.run-counts').getByText('In this range: 5 succeeded').waitFor();

      // The form: a field per parameter, from its rule.
      assert.equal(
        await page.getByLabel('mode', { exact: true }).evaluate((element) => element.tagName),
        'SELECT',
      );
      assert.equal(await page.getByLabel('verbose', { exact: true }).getAttribute('type'), 'checkbox');
      assert.equal(await page.getByLabel('note', { exact: true }).getAttribute('type'), 'password');
      assert.equal(await page.getByLabel('refusal', { exact: true }).inputValue(), '0.02');
      assert.equal(
        await page
          .getByRole('textbox', { name: 'region (required)', exact: true })
          .getAttribute('aria-required'),
        'true',
      );
      await page.getByText('must match ^[a-z]{2}-[a-z]+$').waitFor();
      await screenshot(page, storeName, 'job');
      assert.deepEqual(await seriousViolations(page), [], 'the job page');

      // A value that breaks its rule: the refusal beside the field, no run queued.
      await page.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));
      await page.getByRole('textbox', { name: 'region (required)', exact: true }).fill('Not A Region');
      await page.getByRole('button', { name: /^Run now/ }).click();
      await page.locator('#param-region-problem').getByText('must match').waitFor();
      assert.equal(
        await page
          .getByRole('textbox', { name: 'region (required)', exact: true })
          .getAttribute('aria-invalid'),
        'true',
      );
      const counted = await api.request('GET', '/api/runs?job=eval');
      assert.equal(counted.body.runs.length, 5, 'the refused trigger queued nothing');
      // Chromium logs the refused request itself; that one line is expected, nothing else.
      assert.deepEqual(problems.splice(0), [
        'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
      ]);

      // A good trigger: both tenants' runs appear in the table without a reload.
      await page.getByRole('textbox', { name: 'region (required)', exact: true }).fill('us-east');
      await page.getByLabel('mode', { exact: true }).selectOption('full');
      await page.getByLabel('verbose', { exact: true }).check();
      await page.getByRole('button', { name: /^Run now/ }).click();
      await page.getByRole('status').getByText('Queued').waitFor();
      await waitFor('the two new runs', async () => ((await rows.count()) === 7 ? true : undefined));
      assert.equal(await page.locator('#param-region-problem').count(), 0);
      const newest = await rows.first().getAttribute('data-run');
      const detail = (await api.request('GET', `/api/runs/${newest}`)).body.run;
      assert.equal(detail.trigger, 'api');
      // They end, and the table follows without a reload.
      await waitFor('the new runs to end', async () =>
        (await page.locator('table.runs .status-succeeded').count()) === 7 ? true : undefined,
      );
      assert.equal(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed), true);

      // Pause and resume (admin).
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      await page.getByRole('heading', { level: 1 }).getByText('paused').waitFor();
      assert.equal((await api.request('GET', '/api/jobs/eval')).body.job.paused, true);
      await page.getByRole('button', { name: 'Resume', exact: true }).click();
      await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
      assert.equal((await api.request('GET', '/api/jobs/eval')).body.job.paused, false);

      // Paging by cursor: 120 runs in pages of 50; the address holds the page, so Back works.
      await page.goto(`${api.url}/jobs/many`);
      await page.getByRole('heading', { name: 'many', level: 1 }).waitFor();
      // Its last run started 10 minutes ago: inside its cooldown of an hour, shown with its end.
      assert.match(await page.locator('.cooldown').innerText(), /^1 h between starts · in it until \S/);
      await page.getByText('5 items', { exact: true }).waitFor();
      // The schedule in words, as written, its normal form, and the next 10 fires.
      const schedule = page.locator('section.schedule-details');
      await schedule.getByText('at 02:30, Monday through Friday').waitFor();
      await schedule.getByText('30 2 * * 1-5').first().waitFor();
      await waitFor('the next 10 fires', async () =>
        (await schedule.locator('ol.fires li').count()) === 10 ? true : undefined,
      );
      await waitFor('the first page', async () => ((await rows.count()) === 50 ? true : undefined));
      const firstOfPage = () => rows.first().getAttribute('data-run');
      const newestId = Number(await firstOfPage());
      await page.getByRole('button', { name: 'Older →' }).click();
      await waitFor('the second page', async () =>
        Number(await firstOfPage()) === newestId - 50 ? true : undefined,
      );
      assert.match(page.url(), /[?&]runs=\d+/);
      await page.getByRole('button', { name: 'Older →' }).click();
      await waitFor('the last page', async () => ((await rows.count()) === 20 ? true : undefined));
      assert.equal(await page.getByRole('button', { name: 'Older →' }).isDisabled(), true);
      await page.goBack();
      await waitFor('back to the second page', async () =>
        Number(await firstOfPage()) === newestId - 50 ? true : undefined,
      );
      await page.getByRole('button', { name: '← Newer' }).click();
      await waitFor('back to the newest', async () =>
        Number(await firstOfPage()) === newestId ? true : undefined,
      );
      assert.equal(await page.getByRole('button', { name: '← Newer' }).isDisabled(), true);
      // The duration chart marks the failed runs; the caption says how many.
      await page.locator('figure.durations').getByText('13 failed').waitFor();
      await page.locator('figure.durations canvas').first().waitFor();
      await screenshot(page, storeName, 'job-paged');

      await context.close();
      assert.deepEqual(problems, []);
    });

    it('shows a read-only token no trigger form and no pause', async () => {
      const { api, browser, storeName } = rig;
      const problems: string[] = [];
      const created = await api.request('POST', '/api/tokens', {
        json: { name: 'job-viewer', scope: 'read' },
      });
      assert.equal(created.status, 201, created.text);
      const context = await browser.newContext({ colorScheme: 'dark' });
      const page = await watchedPage(context, problems);
      await signIn(page, api.url, created.body.token as string);
      await page.goto(`${api.url}/jobs/eval`);
      await page.locator('table.runs tbody tr').first().waitFor();
      await page.locator('figure[data-metric="refusal_rate"] canvas').first().waitFor();
      assert.equal(await page.locator('form.trigger').count(), 0);
      assert.equal(await page.getByRole('button', { name: /^(Run now|Pause|Resume)/ }).count(), 0);
      await screenshot(page, storeName, 'job-read-only-dark');
      assert.deepEqual(await seriousViolations(page), [], 'the job page in the dark scheme');
      await context.close();
      assert.deepEqual(problems, []);
    });
  });
});
