/**
 * The Events and Monitors pages in Chromium against a real daemon, on SQLite and PostgreSQL: a
 * failing job raises an event that the events page lists and filters and the event page resolves;
 * a monitor pinged through the daemon shows its status and pings, pauses and resumes, and its
 * ping URL goes to the clipboard; a read-only token sees no Resolve, Pause or Resume; no console
 * errors, no serious or critical axe violation, a screenshot of each page.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { bootstrapToken } from '../api/api-harness.ts';
import { waitFor } from '../support/engine-harness.ts';
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
jobs:
  broken:
    run: [sh, -c, 'echo "disk full" >&2; exit 3']
  alarm:
    run: [sh, -c, 'exit 4']
    exit_codes: { 4: critical }
monitors:
  backup:
    description: pg_dump on db-1
    period: 1h
    grace: 10m
  sweeper:
    schedule: '*/10 * * * *'
    grace: 2m
`;

describeInChromium('the Events and Monitors pages in Chromium', (chromium) => {
  chromium.onEachStore({ yaml }, (rig) => {
    let brokenRun = 0;
    let brokenEvent = 0;
    let pingPath = '';
    before(async () => {
      const { api } = rig;
      brokenRun = await runToEnd(api, 'broken');
      await runToEnd(api, 'alarm');
      brokenEvent = await waitFor('the failed run to raise an event', async () => {
        const page = (await api.request('GET', '/api/events?job=broken&open=true')).body;
        return page.events[0]?.id as number | undefined;
      });
      await waitFor('the critical run to raise an event', async () => {
        const page = (await api.request('GET', '/api/events?severity=critical')).body;
        return page.events.length > 0 ? true : undefined;
      });
      const monitor = (await api.request('GET', '/api/monitors/backup')).body.monitor;
      pingPath = new URL(monitor.pingUrl as string).pathname;
      // Pings through the real daemon: a start, then a success with a log, then a failure.
      for (const [suffix, body] of [
        ['/start?rid=r1', undefined],
        ['?rid=r1', 'dumped 42 tables'],
        ['/fail', undefined],
      ] as const) {
        const answer = await api.request('POST', `${pingPath}${suffix}`, {
          token: null,
          ...(body === undefined ? {} : { raw: body, headers: { 'content-type': 'text/plain' } }),
        });
        assert.equal(answer.status, 200, answer.text);
      }
    });

    it('lists the events of failed runs, filters them by address and form, and resolves one on its page', async () => {
      const { api, browser, storeName } = rig;
      const { context, page, problems } = await signedInPage(browser, api.url, bootstrapToken);

      await page.getByRole('link', { name: 'Events' }).click();
      const row = page.locator(`tr[data-event="${brokenEvent}"]`);
      await row.getByText('run:failed').waitFor();
      await row.getByText('failure').waitFor();
      await row.locator(`a[href="/runs/${brokenRun}"]`).waitFor();
      await row.locator('a[href="/jobs/broken"]').waitFor();
      assert.equal(await row.locator('.event-open').count(), 1);
      await page.locator('tbody tr').getByText('run:critical').waitFor();
      await screenshot(page, storeName, 'events');
      assert.deepEqual(await seriousViolations(page), [], 'the events page');

      // The severity boxes filter, and the filter is in the address.
      await page.getByRole('checkbox', { name: 'critical' }).check();
      await row.waitFor({ state: 'detached' });
      // The filtered page is drawn once its critical row is: only then is the count the page's.
      await page.locator('tbody tr').getByText('run:critical').waitFor();
      assert.equal(new URL(page.url()).searchParams.get('severity'), 'critical');
      assert.equal(await page.locator('tbody tr').count(), 1);

      // An address other pages link to: the open events of a job.
      await page.goto(`${api.url}/events?job=broken&open=true`);
      await row.waitFor();
      assert.equal(await page.locator('tbody tr').count(), 1);
      assert.equal(await page.getByLabel('Job').inputValue(), 'broken');

      await row.getByRole('link', { name: `#${brokenEvent}` }).click();
      await page
        .getByRole('heading', { name: new RegExp(`Event ${brokenEvent}: run:failed of broken`) })
        .waitFor();
      await page.locator('.timeline li').first().waitFor();
      await screenshot(page, storeName, 'event');
      assert.deepEqual(await seriousViolations(page), [], 'the event page');
      await page.getByRole('button', { name: 'Resolve' }).click();
      await page.locator('.head-badges').getByText('resolved').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Resolve' }).count(), 0);
      assert.notEqual((await api.request('GET', `/api/events/${brokenEvent}`)).body.event.resolvedAt, null);

      await page.goto(`${api.url}/events?open=false`);
      await row.locator('.event-resolved').waitFor();
      assert.equal(await page.locator('tbody tr').count(), 1, 'only the resolved one');
      await page.getByLabel('State').selectOption('true');
      await row.waitFor({ state: 'detached' });
      assert.equal(new URL(page.url()).searchParams.get('open'), 'true');
      await context.close();
      assert.deepEqual(problems, []);
    });

    it('shows monitors with their status, pings and ping URL to copy; pauses and resumes one', async () => {
      const { api, browser, storeName } = rig;
      const problems: string[] = [];
      const context = await browser.newContext();
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
      const page = await watchedPage(context, problems);
      await signIn(page, api.url, bootstrapToken);

      await page.getByRole('link', { name: 'Monitors' }).click();
      const backup = page.locator('tr[data-monitor="backup"]');
      await backup.locator('.monitor-down').waitFor();
      await backup.getByText('every 1h').waitFor();
      // The strip is drawn when the monitor's pings have been read, after the row itself.
      await backup.locator('ol.strip li').nth(2).waitFor();
      assert.equal(await backup.locator('ol.strip li').count(), 3, 'three pings in the strip');
      await page.locator('tr[data-monitor="sweeper"]').locator('.monitor-new').waitFor();
      const pingUrl = `${api.url}${pingPath}`;
      await backup.getByText(`curl -fsS -m 10 --retry 3 ${pingUrl}`).waitFor();
      await backup.getByRole('button', { name: 'Copy the ping URL of backup' }).click();
      await backup.getByText('Copied').waitFor();
      assert.equal(await page.evaluate('navigator.clipboard.readText()'), pingUrl);
      await screenshot(page, storeName, 'monitors');
      assert.deepEqual(await seriousViolations(page), [], 'the monitors page');

      await page.getByRole('button', { name: 'Pause monitor sweeper' }).click();
      await page.locator('tr[data-monitor="sweeper"] .monitor-paused').waitFor();
      assert.equal((await api.request('GET', '/api/monitors/sweeper')).body.monitor.paused, true);
      await page.getByRole('button', { name: 'Resume monitor sweeper' }).click();
      await page.locator('tr[data-monitor="sweeper"] .monitor-new').waitFor();

      await backup.getByRole('link', { name: 'backup' }).click();
      await page.getByRole('heading', { name: 'Monitor backup' }).waitFor();
      const pings = page.locator('table.pings tbody tr');
      await pings.first().waitFor();
      assert.equal(await pings.count(), 3);
      assert.deepEqual(
        (await pings.locator('td:nth-child(2)').allInnerTexts()).map((text) => text.trim()),
        ['fail', 'success', 'start'],
      );
      await pings.nth(1).getByText('dumped 42 tables').waitFor();
      // The failure ping took the monitor down: its open event is listed and linked.
      await page.getByText('monitor:down').waitFor();
      await page.locator('a[href="/events?job=backup&open=true"]').waitFor();
      await screenshot(page, storeName, 'monitor');
      assert.deepEqual(await seriousViolations(page), [], 'the monitor page');
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.getByRole('button', { name: 'Resume' }).click();
      await page.getByRole('button', { name: 'Pause' }).waitFor();
      assert.equal((await api.request('GET', '/api/monitors/backup')).body.monitor.paused, false);
      await context.close();
      assert.deepEqual(problems, []);
    });

    it('shows a read-only token no Resolve, Pause or Resume', async () => {
      const { api, browser } = rig;
      const problems: string[] = [];
      const created = await api.request('POST', '/api/tokens', { json: { name: 'viewer', scope: 'read' } });
      assert.equal(created.status, 201, created.text);
      const context = await browser.newContext({ colorScheme: 'dark' });
      const page = await watchedPage(context, problems);
      await signIn(page, api.url, created.body.token as string);
      const open = (await api.request('GET', '/api/events?open=true')).body.events[0];
      assert.ok(open, 'an open event');
      await page.goto(`${api.url}/events/${open.id}`);
      await page.getByRole('heading', { name: new RegExp(`Event ${open.id}`) }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Resolve' }).count(), 0);
      await page.goto(`${api.url}/monitors`);
      await page.locator('tr[data-monitor="backup"] .monitor-down').waitFor();
      assert.equal(await page.getByRole('button', { name: /^(Pause|Resume)/ }).count(), 0);
      assert.equal(await page.getByRole('columnheader', { name: 'Actions' }).count(), 0);
      assert.deepEqual(await seriousViolations(page), [], 'the monitors page in the dark scheme');
      await page.goto(`${api.url}/monitors/backup`);
      await page.locator('table.pings tbody tr').first().waitFor();
      assert.equal(await page.getByRole('button', { name: /^(Pause|Resume)/ }).count(), 0);
      await context.close();
      assert.deepEqual(problems, []);
    });
  });
});
