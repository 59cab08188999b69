/**
 * What every dashboard test in a real browser shares: Chromium from Debian's package driven by
 * playwright-core, a page that records console errors, axe-core's serious and critical
 * violations, signing in with a token, and a run triggered through the API and waited for.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ApiDaemon } from '../api/api-harness.ts';
import { waitFor } from '../support/engine-harness.ts';

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
