/**
 * The dashboard in a real browser (Chromium, driven by playwright-core) against a real daemon with
 * real runs, on SQLite and PostgreSQL: sign-in, the overview, a run page opened by its address, a
 * read-only token, sign-out; no console errors, and axe-core finds no serious or critical
 * accessibility violation. A screenshot of each page is written under screenshots/.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { runDashboard } from '../../src/cli/commands/dashboard.ts';
import { startApiDaemon, bootstrapToken } from '../api/api-harness.ts';
import {
  describeInChromium,
  runToEnd,
  screenshot,
  seriousViolations,
  signIn,
  watchedPage,
} from './browser-rig.ts';

const yaml = `version: 1
jobs:
  hello:
    description: says hello
    run: [sh, -c, 'echo "hello from the dashboard test"']
  broken:
    run: [sh, -c, 'echo "something went wrong" >&2; exit 3']
  nightly:
    schedule: '0 2 * * *'
    run: [sh, -c, 'echo nightly']
`;

describeInChromium('the dashboard in Chromium', (chromium) => {
  chromium.onEachStore({ yaml }, (rig) => {
    let helloRun = 0;
    let brokenRun = 0;
    before(async () => {
      helloRun = await runToEnd(rig.api, 'hello');
      brokenRun = await runToEnd(rig.api, 'broken');
    });

    it('signs in with a token, lists every job with its last run, opens a run by its address, signs out', async () => {
      const { api, browser, storeName } = rig;
      const problems: string[] = [];
      const context = await browser.newContext();
      const page = await watchedPage(context, problems);

      await page.goto(`${api.url}/`);
      await page.getByLabel('API token').waitFor();
      await screenshot(page, storeName, 'sign-in');
      assert.deepEqual(await seriousViolations(page), [], 'the sign-in page');

      await signIn(page, api.url, bootstrapToken);
      const hello = page.locator('tr[data-job="hello"]');
      await hello.getByText('succeeded').first().waitFor();
      await page.locator('tr[data-job="broken"]').getByText('failed').first().waitFor();
      assert.equal(await page.locator('tr[data-job="nightly"]').getByText('never ran').count(), 1);
      await hello.locator(`a[href="/runs/${helloRun}"]`).first().waitFor();
      await screenshot(page, storeName, 'overview');
      assert.deepEqual(await seriousViolations(page), [], 'the overview');

      // A mutating call from the page (with its CSRF token): the new run shows in the strip.
      await page.getByRole('button', { name: 'Run now: hello' }).click();
      await hello.locator('ol.strip li').nth(1).waitFor();

      await page.getByLabel('Filter by name').fill('brok');
      await page.locator('tr[data-job="hello"]').waitFor({ state: 'detached' });
      assert.equal(await page.locator('tbody tr').count(), 1);

      await page.goto(`${api.url}/runs/${brokenRun}`);
      await page.getByRole('log').getByText('something went wrong').waitFor();
      await page.getByRole('heading', { name: `Run ${brokenRun} of broken` }).waitFor();
      assert.ok((await page.locator('.timeline li').count()) >= 3, 'pending, running, failed');
      await screenshot(page, storeName, 'run');
      assert.deepEqual(await seriousViolations(page), [], 'the run page');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('API token').waitFor();
      const session = await page.evaluate(() => fetch('/api/session').then((answer) => answer.json()));
      assert.deepEqual(session, { session: null });
      await context.close();
      assert.deepEqual(problems, []);
    });

    it('shows a read-only token no trigger or pause control, in the dark scheme too', async () => {
      const { api, browser, storeName } = rig;
      const problems: string[] = [];
      const created = await api.request('POST', '/api/tokens', { json: { name: 'viewer', scope: 'read' } });
      assert.equal(created.status, 201, created.text);
      // In the dark scheme this time: the page follows the system.
      const context = await browser.newContext({ colorScheme: 'dark' });
      const page = await watchedPage(context, problems);
      await signIn(page, api.url, created.body.token as string);
      await page.locator('tr[data-job="hello"]').getByText('succeeded').first().waitFor();
      assert.equal(await page.getByRole('button', { name: /^Run now/ }).count(), 0);
      assert.equal(await page.getByRole('button', { name: /^(Pause|Resume) / }).count(), 0);
      assert.equal(await page.getByRole('columnheader', { name: 'Actions' }).count(), 0);
      await screenshot(page, storeName, 'overview-read-only-dark');
      assert.deepEqual(await seriousViolations(page), [], 'the overview in the dark scheme');
      await context.close();
      assert.deepEqual(problems, []);
    });

    it('signs in by the link `cronplane dashboard` prints, and goes back to sign-in when the session expires', async () => {
      const { browser, dashboardDir, harness } = rig;
      const shortLived = await startApiDaemon({
        node: 'short-sessions',
        storeUrl: harness.url,
        yaml,
        dashboardDir,
        sessionTtlMs: 1500,
      });
      try {
        const problems: string[] = [];
        const context = await browser.newContext();
        const page = await watchedPage(context, problems);
        const printed: string[] = [];
        const io = {
          out: (line: string) => printed.push(line),
          err: () => undefined,
          env: { CRONPLANE_TOKEN: bootstrapToken },
          cwd: '.',
          isTty: false,
        };
        assert.equal(await runDashboard({ server: shortLived.url }, io), 0);
        await page.goto(printed[0] ?? '');
        await page.getByRole('heading', { name: 'Jobs' }).waitFor();
        assert.equal(new URL(page.url()).hash, '', 'the code is gone from the address');
        await page.locator('tr[data-job="hello"]').getByText('succeeded').first().waitFor();
        await new Promise((resolve) => setTimeout(resolve, 1600));
        // Moving to a run asks the API again: its 401 brings the sign-in page back.
        await page.locator(`tr[data-job="hello"] a[href="/runs/${helloRun}"]`).first().click();
        await page.getByLabel('API token').waitFor();
        await context.close();
        assert.ok(
          problems.every((problem) => /status of 401/.test(problem)),
          `only the expired session's 401 shows in the console: ${problems.join('; ')}`,
        );
      } finally {
        await shortLived.stop();
      }
    });
  });
});
