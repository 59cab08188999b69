/** The widest a metrics cell grows before the rest is counted instead of shown. */
const widest = 60;

/**
 * A run's metrics in one short cell, by name: `agreement_rate=0.8123 total=120`; numbers to 4
 * significant digits (whole numbers as they are); past 60 characters the rest as `+N`; `-` for none.
 */
export function compactMetrics(metrics: Readonly<Record<string, number>>): string {
  const entries = Object.entries(metrics).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '-';
  const shown: string[] = [];
  for (const [index, [name, value]] of entries.entries()) {
    const text = `${name}=${Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)))}`;
    const left = entries.length - index - 1;
    const length = [...shown, text].join(' ').length + (left > 0 ? ` +${left}`.length : 0);
    if (shown.length > 0 && length > widest) {
      shown.push(`+${entries.length - index}`);
      break;
    }
    shown.push(text);
  }
  return shown.join(' ');
}
