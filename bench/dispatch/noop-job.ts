/** The job the dispatch benchmarks run: it does nothing, so what is measured is cronplane. */
export default function noop(): Promise<void> {
  return Promise.resolve();
}
