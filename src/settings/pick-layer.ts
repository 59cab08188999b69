/** A value with the layer it came from (`--store`, `CRONPLANE_STORE`, `store`, `default`). */
export interface Layered<T> {
  readonly value: T;
  readonly source: string;
}

/**
 * The first layer that gives a value, in the order given (flag, variable, job-file key), else the
 * default. An empty string counts as not given.
 */
export function pickLayer<T>(
  layers: readonly (readonly [source: string, value: T | undefined])[],
  fallback: T,
): Layered<T> {
  for (const [source, value] of layers) {
    if (value !== undefined && value !== '') return { value, source };
  }
  return { value: fallback, source: 'default' };
}
