/**
 * What every dashboard test in a real browser shares: the scaffolding (the dashboard built once
 * for all files, Chromium launched once per file, a daemon serving it on each store), Chromium
 * from Debian's package driven by playwright-core, a page that records console errors, axe-core's
 * serious and critical violations, signing in with a token, and a run triggered through the API
 * and waited for.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { ApiDaemon } from '../api/api-harness.ts';
import { describeWithDaemon, storeNames, storeTitle } from '../api/describe-with-daemon.ts';
import type { DaemonOnStore, DaemonSetUp, StoreName } from '../api/describe-with-daemon.ts';
import { waitFor } from '../support/engine-harness.ts';
import { buildDashboard } from './build-dashboard.ts';

/** Screenshots land here (git-ignored); docs/dashboard.md shows the SQLite ones. */
export const screenshotsDir = 'screenshots';

const axeSource = readFileSync(join('node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Serious and critical accessibility violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the debugging protocol, so the page's Content-Security-Policy stays in force.
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)) })))`)) as AxeViolation[];
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** A page that records every console error and uncaught exception into `problems`. */
export async function watchedPage(context: BrowserContext, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return page;
}

/** Signs in on the sign-in page with a token and waits for the overview. */
export async function signIn(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Jobs' }).waitFor();
}

/** Triggers a job through the API and waits for its (first) run to end; answers its id. */
export async function runToEnd(
  api: ApiDaemon,
  job: string,
  params: Readonly<Record<string, string>> = {},
): Promise<number> {
  const answer = await api.request('POST', `/api/jobs/${encodeURIComponent(job)}/trigger`, {
    json: Object.keys(params).length === 0 ? {} : { params },
  });
  assert.equal(answer.status, 202, answer.text);
  const id = answer.body.runs[0].id as number;
  await waitFor(`run ${id} of ${job} to end`, async () => {
    const run = (await api.request('GET', `/api/runs/${id}`)).body.run;
    return run.finishedAt === null ? undefined : true;
  });
  return id;
}

/** Writes a full-page screenshot to screenshots/<store>/<name>.png. */
export async function screenshot(page: Page, store: string, name: string): Promise<void> {
  const folder = join(screenshotsDir, store);
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}

/** The browser and the dashboard built for a test file; read them once its tests run. */
export interface ChromiumRig {
  readonly browser: Browser;
  readonly dashboardDir: string;
}

/** What a test on a store reads: the browser, and the daemon serving the dashboard on that store. */
export interface BrowserOnStore extends ChromiumRig, DaemonOnStore {}

export interface InChromium extends ChromiumRig {
  /** A describe block per store, `on SQLite` then `on PostgreSQL`, each with a daemon serving the dashboard. */
  onEachStore(setUp: DaemonSetUp, body: (rig: BrowserOnStore) => void): void;
  /** One describe block with a daemon serving the dashboard on `storeName`. */
  onStore(title: string, storeName: StoreName, setUp: DaemonSetUp, body: (rig: BrowserOnStore) => void): void;
}

/**
 * A describe block that builds the dashboard (or finds it built) and launches Chromium before its
 * tests, and closes Chromium after them; `body` adds its store blocks through the rig it is given.
 */
export function describeInChromium(title: string, body: (chromium: InChromium) => void): void {
  describe(title, () => {
    let browser: Browser | undefined;
    let dashboardDir: string | undefined;
    before(async () => {
      dashboardDir = buildDashboard();
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
    });
    const rig: InChromium = {
      get browser() {
        if (browser === undefined) throw new Error('the browser exists once the tests run');
        return browser;
      },
      get dashboardDir() {
        if (dashboardDir === undefined) throw new Error('the dashboard is built once the tests run');
        return dashboardDir;
      },
      onStore(blockTitle, storeName, setUp, storeBody) {
        const serving: DaemonSetUp = {
          ...setUp,
          daemonOptions: () => ({ ...setUp.daemonOptions?.(), dashboardDir: rig.dashboardDir }),
        };
        describeWithDaemon(blockTitle, storeName, serving, (daemon) =>
          storeBody({
            storeName,
            get harness() {
              return daemon.harness;
            },
            get api() {
              return daemon.api;
            },
            get browser() {
              return rig.browser;
            },
            get dashboardDir() {
              return rig.dashboardDir;
            },
          }),
        );
      },
      onEachStore(setUp, storeBody) {
        for (const storeName of storeNames)
          rig.onStore(`on ${storeTitle(storeName)}`, storeName, setUp, storeBody);
      },
    };
    body(rig);
  });
}

/** What most browser tests start from: a fresh context, a page that records problems, signed in with a token. */
export async function signedInPage(
  browser: Browser,
  base: string,
  token: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const problems: string[] = [];
  const context = await browser.newContext(options);
  const page = await watchedPage(context, problems);
  await signIn(page, base, token);
  return { context, page, problems };
}
