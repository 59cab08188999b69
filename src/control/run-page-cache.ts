import type { RunPage } from './views/run-view.ts';

/** Pages kept at most, and runs in all of them (about 600 bytes of JSON each); the oldest goes first. */
const defaultSize = { pages: 64, runs: 20_000 } as const;

export interface RunPageCacheSize {
  readonly pages: number;
  readonly runs: number;
}

interface KeptPage {
  readonly mark: string;
  readonly page: Promise<RunPage>;
  /** Its runs, once read (0 while reading). */
  runs: number;
}

/**
 * Pages of runs answered again while the store has not changed: each page is kept with the
 * store's change mark read before the page was (`Store.readChangeMark`) and given again only for
 * the same mark, so a kept page is never older than what the store would answer. Requests that
 * arrive while a page is being read wait for that read instead of starting their own. One per
 * API server, shared by every caller: a page does not depend on who asks (the job filter is
 * checked before), and secrets are masked after.
 */
export class RunPageCache {
  readonly #pages = new Map<string, KeptPage>();
  readonly #size: RunPageCacheSize;
  #runs = 0;
  #hits = 0;
  #misses = 0;

  constructor(size: RunPageCacheSize = defaultSize) {
    this.#size = size;
  }

  /** The page for `key` at `mark`: the kept one, else `read()`'s, kept (and frozen) when it succeeds. */
  async pageOf(key: string, mark: string, read: () => Promise<RunPage>): Promise<RunPage> {
    const kept = this.#pages.get(key);
    if (kept !== undefined && kept.mark === mark) {
      this.#hits++;
      return kept.page;
    }
    this.#misses++;
    if (kept !== undefined) this.#forget(key, kept);
    const page = read().then(freezePage);
    const entry: KeptPage = { mark, page, runs: 0 };
    this.#pages.set(key, entry);
    this.#trim();
    page.then(
      (read) => {
        if (this.#pages.get(key) !== entry) return;
        entry.runs = read.runs.length;
        this.#runs += entry.runs;
        this.#trim();
      },
      () => {
        if (this.#pages.get(key) === entry) this.#forget(key, entry);
      },
    );
    return page;
  }

  #forget(key: string, entry: KeptPage): void {
    this.#pages.delete(key);
    this.#runs -= entry.runs;
  }

  /** The oldest pages go until both bounds hold (the newest page stays, however large). */
  #trim(): void {
    for (const [key, entry] of this.#pages) {
      if (this.#pages.size <= 1) return;
      if (this.#pages.size <= this.#size.pages && this.#runs <= this.#size.runs) return;
      this.#forget(key, entry);
    }
  }

  /** Pages given again, and pages read (for the benchmark and the tests). */
  get counts(): { readonly hits: number; readonly misses: number } {
    return { hits: this.#hits, misses: this.#misses };
  }
}

/** Kept pages are shared by every answer: nothing may change them. */
function freezePage(page: RunPage): RunPage {
  for (const run of page.runs) {
    Object.freeze(run.params);
    Object.freeze(run.metrics);
    Object.freeze(run);
  }
  Object.freeze(page.runs);
  return Object.freeze(page);
}
