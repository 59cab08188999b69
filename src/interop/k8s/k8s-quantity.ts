/**
 * Kubernetes resource quantities as job-file limits: memory (`512Mi`, `2Gi`, `1G`, `1500M`) as a
 * size, CPU (`500m`, `1`, `1.5`) as a share of one core. Undefined when it cannot be said.
 */

const binary: Readonly<Record<string, string>> = { Ki: 'K', Mi: 'M', Gi: 'G', Ti: 'T' };
const decimal: Readonly<Record<string, number>> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A memory quantity as a job-file size (`2Gi` → `2G`, binary; `1G` → `1000000000`). */
export function memoryLimit(quantity: string | number): string | undefined {
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(String(quantity).trim());
  if (match === null) return undefined;
  const [, number, unit] = match as unknown as [string, string, string];
  const binaryUnit = binary[unit];
  if (binaryUnit !== undefined) return `${number}${binaryUnit}`;
  const factor = decimal[unit];
  return factor === undefined ? undefined : String(Math.round(Number(number) * factor));
}

/** A CPU quantity as a job-file CPU quota (`500m` → `50%`, `2` → `200%`). */
export function cpuLimit(quantity: string | number): string | undefined {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(quantity).trim());
  if (match === null) return undefined;
  const cores = Number(match[1]) / (match[2] === 'm' ? 1000 : 1);
  return cores > 0 ? `${Math.round(cores * 10000) / 100}%` : undefined;
}
