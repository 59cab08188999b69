/**
 * The daemon's Prometheus metrics, kept by prom-client in a registry of the daemon's own (never
 * prom-client's global one, so two daemons in one process, as in tests, do not mix): counters
 * and histograms updated as things happen, gauges read when scraped.
 */
import {
  Counter as PromCounter,
  Gauge as PromGauge,
  Histogram as PromHistogram,
  Registry,
} from 'prom-client';

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  readonly labels: Labels;
  readonly value: number;
}

/** A counter with the label names it was declared with. */
export class Counter {
  readonly #metric: PromCounter;

  constructor(metric: PromCounter) {
    this.#metric = metric;
  }

  inc(labels: Labels = {}, by = 1): void {
    this.#metric.inc(labels, by);
  }
}

/** A histogram with fixed buckets. */
export class Histogram {
  readonly #metric: PromHistogram;

  constructor(metric: PromHistogram) {
    this.#metric = metric;
  }

  observe(labels: Labels, value: number): void {
    this.#metric.observe(labels, value);
  }
}

export class MetricsRegistry {
  readonly #registry = new Registry();

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return new Counter(new PromCounter({ name, help, labelNames, registers: [this.#registry] }));
  }

  histogram(
    name: string,
    help: string,
    buckets: readonly number[],
    labelNames: readonly string[] = [],
  ): Histogram {
    return new Histogram(
      new PromHistogram({ name, help, labelNames, buckets: [...buckets], registers: [this.#registry] }),
    );
  }

  /** A value read at each scrape; `read` gives every sample (series it leaves out disappear). */
  gauge(
    name: string,
    help: string,
    labelNames: readonly string[],
    read: () => Promise<readonly Sample[]> | readonly Sample[],
  ): void {
    new PromGauge({
      name,
      help,
      labelNames,
      registers: [this.#registry],
      async collect() {
        const samples = await read();
        this.reset();
        for (const sample of samples) this.set(sample.labels, sample.value);
      },
    });
  }

  /** The exposition text: `# HELP`, `# TYPE` and the samples of every metric. */
  async render(): Promise<string> {
    return this.#registry.metrics();
  }
}

/** The content type of the text format. */
export const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';
