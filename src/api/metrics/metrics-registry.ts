/**
 * A small Prometheus registry writing the text exposition format (version 0.0.4): counters and
 * histograms updated as things happen, gauges read when scraped. (prom-client would do this; it
 * is not a dependency, and the format is small.)
 */
export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  readonly labels: Labels;
  readonly value: number;
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  samples(): Promise<readonly string[]> | readonly string[];
}

export class Counter {
  readonly #values = new Map<string, { labels: Labels; value: number }>();

  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    const entry = this.#values.get(key);
    if (entry === undefined) this.#values.set(key, { labels, value: by });
    else entry.value += by;
  }

  get(labels: Labels = {}): number {
    return this.#values.get(labelKey(labels))?.value ?? 0;
  }

  lines(name: string): string[] {
    return [...this.#values.values()].map(
      (entry) => `${name}${formatLabels(entry.labels)} ${formatNumber(entry.value)}`,
    );
  }
}

export class Histogram {
  readonly #buckets: readonly number[];
  readonly #series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();

  constructor(buckets: readonly number[]) {
    this.#buckets = [...buckets].sort((a, b) => a - b);
  }

  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let series = this.#series.get(key);
    if (series === undefined) {
      series = { labels, counts: this.#buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    for (let index = 0; index < this.#buckets.length; index++) {
      if (value <= (this.#buckets[index] as number)) series.counts[index] = (series.counts[index] ?? 0) + 1;
    }
    series.sum += value;
    series.count += 1;
  }

  count(labels: Labels = {}): number {
    return this.#series.get(labelKey(labels))?.count ?? 0;
  }

  lines(name: string): string[] {
    const lines: string[] = [];
    for (const series of this.#series.values()) {
      this.#buckets.forEach((bound, index) => {
        lines.push(
          `${name}_bucket${formatLabels({ ...series.labels, le: formatNumber(bound) })} ${series.counts[index] ?? 0}`,
        );
      });
      lines.push(`${name}_bucket${formatLabels({ ...series.labels, le: '+Inf' })} ${series.count}`);
      lines.push(`${name}_sum${formatLabels(series.labels)} ${formatNumber(series.sum)}`);
      lines.push(`${name}_count${formatLabels(series.labels)} ${series.count}`);
    }
    return lines;
  }
}

export class MetricsRegistry {
  readonly #families: Family[] = [];

  counter(name: string, help: string): Counter {
    const counter = new Counter();
    this.#families.push({ name, help, type: 'counter', samples: () => counter.lines(name) });
    return counter;
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    const histogram = new Histogram(buckets);
    this.#families.push({ name, help, type: 'histogram', samples: () => histogram.lines(name) });
    return histogram;
  }

  /** A value read at each scrape. */
  gauge(name: string, help: string, read: () => Promise<readonly Sample[]> | readonly Sample[]): void {
    this.#families.push({
      name,
      help,
      type: 'gauge',
      samples: async () =>
        (await read()).map((sample) => `${name}${formatLabels(sample.labels)} ${formatNumber(sample.value)}`),
    });
  }

  /** The exposition text: `# HELP`, `# TYPE` and the samples of every family. */
  async render(): Promise<string> {
    const parts: string[] = [];
    for (const family of this.#families) {
      parts.push(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      parts.push(`# TYPE ${family.name} ${family.type}`);
      parts.push(...(await family.samples()));
    }
    return `${parts.join('\n')}\n`;
  }
}

/** The content type of the text format. */
export const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries
    .map(
      ([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`,
    )
    .join(',')}}`;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
