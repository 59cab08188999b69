/**
 * The run page in Chromium against a real daemon, on SQLite and PostgreSQL: retry a failed run
 * and land on the new attempt with its chain, cancel a running one, secret parameters and payload
 * fields as ***, log search and download, the keyboard path from the skip link, and a read-only
 * token without Retry or Cancel; no console errors, no serious accessibility violation.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Page } from 'playwright-core';
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

const payloadSecret = 'payload-secret-0123456789';

const yaml = `version: 1
jobs:
  flaky:
    run: [sh, -c, 'echo "flaky says hello"; echo "flaky broke" >&2; exit 1']
  slow:
    run: [sh, -c, 'echo "slow started"; sleep 30']
  keyed:
    params:
      api_key: { type: string, secret: true }
      region: eu-west-1
    run: [sh, -c, 'echo "using the key in {region}"']
  chatty:
    run: [sh, -c, 'i=0; while [ $i -lt 200 ]; do i=$((i+1)); echo "line $i"; done; echo "the needle is here" >&2; echo "another needle"']
  ingest:
    queue: { key: org }
    env: { INGEST_TOKEN: { secret: ${payloadSecret} } }
    run: [sh, -c, 'cat']
`;

/** Evaluates an expression in the page (written as text: these tests are typed without the DOM's types). */
function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** The Tab stops from the top of the page: each focused element's tag and accessible text. */
async function tabPath(page: Page, stops: number): Promise<string[]> {
  const path: string[] = [];
  for (let index = 0; index < stops; index += 1) {
    await page.keyboard.press('Tab');
    path.push(
      await inPage<string>(
        page,
        `(() => {
        const element = document.activeElement;
        if (element === null) return 'nothing';
        const name = element.getAttribute('aria-label') ?? element.innerText.trim().split('\\n')[0];
        return (element.closest('nav') === null ? '' : 'nav ') + element.tagName.toLowerCase() + ':' + name;
      })()`,
      ),
    );
  }
  return path;
}

describeInChromium('the run page in Chromium', (chromium) => {
  chromium.onEachStore({ yaml }, (rig) => {
    let flakyRun = 0;
    let chattyRun = 0;
    before(async () => {
      flakyRun = await runToEnd(rig.api, 'flaky');
      chattyRun = await runToEnd(rig.api, 'chatty');
    });

    it('retries a failed run from its page and shows the new attempt with the chain; cancels a running run', async () => {
      const { api, browser, storeName } = rig;
      const { context, page, problems } = await signedInPage(browser, api.url, bootstrapToken);

      await page.goto(`${api.url}/runs/${flakyRun}`);
      await page.getByRole('log').getByText('flaky broke').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Cancel' }).count(), 0, 'an ended run');
      await page.getByRole('button', { name: 'Retry' }).click();
      await page.waitForURL((url) => url.pathname !== `/runs/${flakyRun}`);
      const retried = Number(new URL(page.url()).pathname.split('/').at(-1));
      assert.ok(retried > flakyRun);
      await page.getByRole('heading', { name: `Run ${retried} of flaky` }).waitFor();
      const chain = page.locator('ol.attempts li');
      await chain.nth(1).waitFor();
      assert.equal(await chain.count(), 2);
      assert.match(await chain.nth(0).innerText(), /Attempt 1/);
      assert.equal(await chain.nth(0).locator(`a[href="/runs/${flakyRun}"]`).count(), 1);
      await page.locator('ol.attempts a[aria-current="page"]').getByText('Attempt 2').waitFor();
      // The new attempt runs and fails in turn; the page follows it without a reload.
      await page.getByRole('log').getByText('flaky broke').waitFor();
      await page.locator('.run-state').getByText('failed').waitFor();
      await screenshot(page, storeName, 'run-attempts');
      assert.deepEqual(await seriousViolations(page), [], 'the page of a retried run');

      const started = await api.request('POST', '/api/jobs/slow/trigger', { json: {} });
      assert.equal(started.status, 202, started.text);
      const slowRun = started.body.runs[0].id as number;
      await page.goto(`${api.url}/runs/${slowRun}`);
      await page.getByRole('log').getByText('slow started').waitFor();
      await page.getByRole('button', { name: 'Follow' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed'), 'true');
      await screenshot(page, storeName, 'run-live');
      assert.deepEqual(await seriousViolations(page), [], 'the page of a running run');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.locator('.run-state').getByText('cancelled').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Cancel' }).count(), 0);
      await page.getByRole('button', { name: 'Retry' }).waitFor();
      const stored = await api.request('GET', `/api/runs/${slowRun}`);
      assert.equal(stored.body.run.status, 'cancelled');

      await context.close();
      assert.deepEqual(problems, []);
    });

    it('shows secret parameters and payload fields as ***, searches the log and downloads it whole', async () => {
      const { api, browser } = rig;
      const { context, page, problems } = await signedInPage(browser, api.url, bootstrapToken, {
        colorScheme: 'dark',
      });

      const keyedRun = await runToEnd(api, 'keyed', { api_key: 'abc-not-to-be-shown' });
      await page.goto(`${api.url}/runs/${keyedRun}`);
      const given = page.locator('dl.params');
      await given.getByText('api_key').waitFor();
      assert.equal(await given.locator('dt:has-text("api_key") + dd code').innerText(), '***');
      assert.equal(await given.locator('dt:has-text("region") + dd code').innerText(), 'eu-west-1');
      assert.ok(!(await page.content()).includes('abc-not-to-be-shown'));

      const item = await api.request('POST', '/api/jobs/ingest/queue', {
        json: { payload: { org: 'org-7', token: payloadSecret, rows: [1, 2] } },
      });
      assert.equal(item.status, 202, item.text);
      await page.goto(`${api.url}/runs/${item.body.run.id}`);
      const payload = page.getByLabel(`payload of run ${item.body.run.id}`);
      await payload.getByText('"org-7"').waitFor();
      assert.match(await payload.innerText(), /"token": "\*\*\*"/);
      assert.ok(!(await page.content()).includes(payloadSecret));

      await page.goto(`${api.url}/runs/${chattyRun}`);
      const log = page.getByRole('log', { name: `output of run ${chattyRun}` });
      await log.getByText('another needle').waitFor();
      // Following: the log shows its end; scrolling up by keyboard stops following.
      const follow = page.getByRole('button', { name: 'Follow' });
      const atEnd = `(() => { const log = document.querySelector('[role=log]'); return log.scrollTop > 0 && log.scrollTop + log.clientHeight >= log.scrollHeight - 4; })()`;
      await waitFor('the log to show its end', () => inPage<boolean>(page, atEnd));
      assert.equal(await follow.getAttribute('aria-pressed'), 'true');
      await log.focus();
      await page.keyboard.press('PageUp');
      await waitFor('following to stop', async () => (await follow.getAttribute('aria-pressed')) === 'false');
      // (The keyboard scrolls smoothly: let it come to rest before following again.)
      await inPage(
        page,
        `new Promise((rest) => {
            const log = document.querySelector('[role=log]');
            let last = -1;
            let still = 0;
            const frame = () => {
              still = log.scrollTop === last ? still + 1 : 0;
              last = log.scrollTop;
              if (still >= 5) rest(last);
              else requestAnimationFrame(frame);
            };
            frame();
          })`,
      );
      await follow.click();
      await waitFor('the log to show its end again', () => inPage<boolean>(page, atEnd));

      const search = page.getByLabel('Search the log');
      await search.fill('NEEDLE');
      await page.getByText('1 of 2').waitFor();
      assert.deepEqual(await log.locator('mark').allInnerTexts(), ['needle', 'needle']);
      assert.equal(await log.locator('mark.current').innerText(), 'needle');
      await search.press('Enter');
      await page.getByText('2 of 2').waitFor();
      await search.press('Shift+Enter');
      await page.getByText('1 of 2').waitFor();
      // The stderr line carries its sign, not only its colour.
      const stderrSign = await inPage<string>(
        page,
        `getComputedStyle(document.querySelector('[role=log] .log-stderr'), '::before').content`,
      );
      assert.match(stderrSign, /!/);
      // Moving between matches stops following.
      assert.equal(await page.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed'), 'false');
      await search.fill('(.*+[');
      await page.getByText('no match').waitFor();

      const href = await page.getByRole('link', { name: 'Download' }).getAttribute('href');
      assert.equal(href, `/api/runs/${chattyRun}/logs/download`);
      const downloaded = await page.evaluate(async (target) => {
        const answer = await fetch(target ?? '');
        return { disposition: answer.headers.get('content-disposition'), text: await answer.text() };
      }, href);
      assert.equal(downloaded.disposition, `attachment; filename="run-${chattyRun}.log"`);
      // The whole log: what the page shows, line for line (200 lines and two more).
      assert.equal(
        downloaded.text,
        await inPage<string>(page, `document.querySelector('[role=log]').textContent`),
      );
      assert.equal(downloaded.text.split('\n').length, 203);
      assert.ok(downloaded.text.includes('line 200\n') && downloaded.text.includes('the needle is here\n'));
      assert.deepEqual(await seriousViolations(page), [], 'the run page in the dark scheme');

      await context.close();
      assert.deepEqual(problems, []);
    });

    it('is usable by keyboard: skip link, the main nav, the page controls, Enter on a run link', async () => {
      const { api, browser } = rig;
      const { context, page, problems } = await signedInPage(browser, api.url, bootstrapToken);
      await page.goto(`${api.url}/runs/${flakyRun}`);
      await page.locator('ol.attempts li').nth(1).waitFor();

      const path = await tabPath(page, 20);
      assert.equal(path[0], 'a:Skip to content');
      const signOut = path.indexOf('button:Sign out');
      assert.ok(signOut > 2, path.join(', '));
      const header = path.slice(1, signOut);
      assert.equal(header[0], 'nav a:cronplane');
      assert.ok(header.includes('nav a:Jobs'), header.join(', '));
      assert.ok(
        header.every((stop) => stop.startsWith('nav a:')),
        header.join(', '),
      );
      // After the header, the page: the job's link first.
      assert.equal(path[signOut + 1], 'a:flaky');

      // The skip link jumps past the header: the next stop is the page's first control.
      await page.keyboard.press('Shift+Tab');
      while ((await inPage(page, 'document.activeElement?.textContent')) !== 'Skip to content') {
        await page.keyboard.press('Shift+Tab');
      }
      await page.keyboard.press('Enter');
      const afterSkip = await tabPath(page, 3);
      assert.deepEqual(afterSkip.slice(0, 2), ['a:flaky', 'button:Retry']);
      assert.equal(afterSkip[2], 'a:Attempt 1');

      // Every stop shows a focus outline.
      const outline = await inPage(page, 'getComputedStyle(document.activeElement).outlineStyle');
      assert.equal(outline, 'solid');

      // On through the log tools to the log itself, which scrolls by keyboard (no trap).
      let reachedLog = false;
      for (let index = 0; index < 20 && !reachedLog; index += 1) {
        await page.keyboard.press('Tab');
        reachedLog = await inPage<boolean>(page, `document.activeElement?.getAttribute('role') === 'log'`);
      }
      assert.ok(reachedLog, 'the log region takes focus');
      await page.keyboard.press('Tab');
      assert.notEqual(
        await inPage(page, `document.activeElement?.getAttribute('role')`),
        'log',
        'focus leaves the log',
      );

      // Enter on a run link opens it.
      await page.locator('ol.attempts a').first().focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`${api.url}/runs/${flakyRun}`);
      await page.locator('ol.attempts a[aria-current="page"]').getByText('Attempt 1').waitFor();
      await context.close();
      assert.deepEqual(problems, []);
    });

    it('shows a read-only token neither Retry nor Cancel', async () => {
      const { api, browser } = rig;
      const problems: string[] = [];
      const created = await api.request('POST', '/api/tokens', { json: { name: 'viewer', scope: 'read' } });
      assert.equal(created.status, 201, created.text);
      const started = await api.request('POST', '/api/jobs/slow/trigger', { json: {} });
      const slowRun = started.body.runs[0].id as number;
      const context = await browser.newContext();
      const page = await watchedPage(context, problems);
      await signIn(page, api.url, created.body.token as string);
      for (const id of [flakyRun, slowRun]) {
        await page.goto(`${api.url}/runs/${id}`);
        await page.getByRole('heading', { name: new RegExp(`^Run ${id} of`) }).waitFor();
        await page
          .getByRole('log')
          .getByText(id === slowRun ? 'slow started' : 'flaky broke')
          .waitFor();
        assert.equal(await page.getByRole('button', { name: /^(Retry|Cancel)$/ }).count(), 0);
      }
      assert.deepEqual(await seriousViolations(page), [], 'the run page of a read-only token');
      await api.request('POST', `/api/runs/${slowRun}/cancel`);
      await waitFor('the slow run to end', async () => {
        const run = (await api.request('GET', `/api/runs/${slowRun}`)).body.run;
        return run.finishedAt === null ? undefined : true;
      });
      await context.close();
      assert.deepEqual(problems, []);
    });
  });
});
