/**
 * One load of a dashboard page in Chromium, timed from navigation start to the moment the page
 * is usable, as the page itself sees it: `performance.now()` (whose origin is the navigation's
 * start) read by a check that runs on every animation frame. Beside the time, what the load cost:
 * requests, bytes over the wire and the API calls' own durations (Resource Timing).
 */
import type { Page } from 'playwright-core';

/** A page's conditions, evaluated in the page with `arg`. Each answers `performance.now()` once met. */
export interface PageConditions {
  /** The page's first sign of life for `arg` (a job row, a heading): not met in 10 s means not there. */
  readonly marker: string;
  /** Usable: everything the page is for is on screen. */
  readonly usable: string;
  readonly arg: string;
}

export interface PageLoad {
  /** Navigation start to the marker, and to usable (ms). */
  readonly markerMs: number;
  readonly usableMs: number;
  /** Requests started before usable, the document's included. */
  readonly requests: number;
  readonly apiRequests: number;
  /** Bytes received for them (headers and bodies; 0 for what the cache served). */
  readonly transferBytes: number;
  /** The API calls' durations added up, and the longest. */
  readonly apiTotalMs: number;
  readonly apiMaxMs: number;
  /** What the page shows (rows, strips) when usable, for the report. */
  readonly shown: string;
}

export const markerTimeoutMs = 10_000;

/** The overview: job rows (`tr[data-job]`), each with its strip of recent runs (`ol.strip`). */
export const overviewConditions: PageConditions = {
  marker: `() => document.querySelector('tr[data-job]') === null ? false : performance.now()`,
  usable: `() => {
    const rows = document.querySelectorAll('tr[data-job]');
    if (rows.length === 0) return false;
    for (const row of rows) if (row.querySelector('ol.strip') === null) return false;
    return performance.now();
  }`,
  arg: '',
};

/** A job's page: a heading naming the job in `main`, and rows in its runs table (`table.runs`). */
export function jobPageConditions(job: string): PageConditions {
  const heading = `[...document.querySelectorAll('main h1')].some((h) => h.textContent.includes(arg))`;
  return {
    marker: `(arg) => ${heading} ? performance.now() : false`,
    usable: `(arg) => ${heading} && document.querySelector('table.runs tbody tr') !== null ? performance.now() : false`,
    arg: job,
  };
}

const shownScript = `() => {
  const rows = document.querySelectorAll('tr[data-job]');
  const jobs = new Set([...rows].map((row) => row.getAttribute('data-job')));
  const strips = document.querySelectorAll('ol.strip').length;
  const runRows = document.querySelectorAll('table.runs tbody tr').length;
  return rows.length > 0 ? rows.length + ' rows (' + jobs.size + ' jobs), ' + strips + ' strips' : runRows + ' runs listed';
}`;

const costScript = `(usableMs) => {
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
    .filter((entry) => entry.startTime <= usableMs);
  const api = entries.filter((entry) => new URL(entry.name).pathname.startsWith('/api/'));
  return {
    requests: entries.length,
    apiRequests: api.length,
    transferBytes: entries.reduce((sum, entry) => sum + entry.transferSize, 0),
    apiTotalMs: api.reduce((sum, entry) => sum + entry.duration, 0),
    apiMaxMs: api.reduce((max, entry) => Math.max(max, entry.duration), 0),
  };
}`;

/** Lets Resource Timing keep every entry of a load (its buffer holds 250 by default). */
export const resourceBufferScript = 'performance.setResourceTimingBufferSize(100000);';

/**
 * The function a source text describes, made here and sent to the page as a function: a string
 * would be evaluated there with `eval`, which the dashboard's Content-Security-Policy refuses.
 * (Written as text because this project's TypeScript has no DOM types outside web/.)
 */
function pageFunction(source: string): (arg: unknown) => unknown {
  return new Function('arg', `return (${source})(arg);`) as (arg: unknown) => unknown;
}

/** A page whose marker appeared but that was not usable in time: what it showed then. */
export class NotUsable extends Error {
  readonly afterMs: number;
  readonly shown: string;
  constructor(afterMs: number, shown: string) {
    super(`not usable after ${afterMs} ms: ${shown}`);
    this.afterMs = afterMs;
    this.shown = shown;
  }
}

/**
 * Loads `url` in `page` and times it; undefined when the marker did not appear within 10 s (the
 * page is not there). Throws `NotUsable` when the marker appeared but the page was not usable
 * within `usableTimeoutMs`.
 */
export async function timePageLoad(
  page: Page,
  url: string,
  conditions: PageConditions,
  usableTimeoutMs: number,
): Promise<PageLoad | undefined> {
  await page.goto(url, { waitUntil: 'commit' });
  let markerMs: number;
  try {
    const handle = await page.waitForFunction(pageFunction(conditions.marker), conditions.arg, {
      polling: 'raf',
      timeout: markerTimeoutMs,
    });
    markerMs = (await handle.jsonValue()) as number;
  } catch {
    return undefined;
  }
  const handle = await page
    .waitForFunction(pageFunction(conditions.usable), conditions.arg, {
      polling: 'raf',
      timeout: usableTimeoutMs,
    })
    .catch(async (error: unknown) => {
      if ((error as { name?: unknown }).name !== 'TimeoutError') throw error;
      throw new NotUsable(usableTimeoutMs, (await page.evaluate(pageFunction(shownScript), null)) as string);
    });
  const usableMs = (await handle.jsonValue()) as number;
  const cost = (await page.evaluate(pageFunction(costScript), usableMs)) as Omit<
    PageLoad,
    'markerMs' | 'usableMs' | 'shown'
  >;
  const shown = (await page.evaluate(pageFunction(shownScript), null)) as string;
  return { markerMs, usableMs, ...cost, shown };
}
