import type { RunPage } from './views/run-view.ts';

/** Pages kept at most; the oldest kept goes first. */
const defaultSize = 64;

interface KeptPage {
  readonly mark: string;
  readonly page: Promise<RunPage>;
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
  readonly #size: number;
  #hits = 0;
  #misses = 0;

  constructor(size = defaultSize) {
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
    const page = read().then(freezePage);
    this.#pages.delete(key);
    if (this.#pages.size >= this.#size) {
      const oldest = this.#pages.keys().next();
      if (oldest.done !== true) this.#pages.delete(oldest.value);
    }
    const entry = { mark, page };
    this.#pages.set(key, entry);
    void page.catch(() => {
      if (this.#pages.get(key) === entry) this.#pages.delete(key);
    });
    return page;
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
