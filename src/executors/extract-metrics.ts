/**
 * The numbers in a reported object: its finite numeric fields, or those of its `metrics` field
 * when that is an object (`{"metrics": {"rows": 3}, "status": "ok"}` gives `{rows: 3}`).
 * Undefined when there is no number.
 */
export function extractMetrics(value: unknown): Record<string, number> | undefined {
  if (!isPlainObject(value)) return undefined;
  const source = isPlainObject(value['metrics']) ? value['metrics'] : value;
  let metrics: Record<string, number> | undefined;
  for (const key of Object.keys(source)) {
    const field = source[key];
    if (typeof field === 'number' && Number.isFinite(field)) {
      metrics ??= {};
      metrics[key] = field;
    }
  }
  return metrics;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
