import { CronplaneError } from '../errors/index.ts';

const units: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * A size like `2G`, `512M`, `64KiB` or `1048576` in bytes. Units are binary (K = 1024), as in
 * systemd's MemoryMax=.
 */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(text);
  const factor = match === null ? undefined : units[(match[2] ?? '').toLowerCase()];
  if (match === null || factor === undefined) {
    throw new CronplaneError(
      'config.size',
      `"${text}" is not a size: expected a number with an optional unit B, K, M, G or T (for example "512M", "2G")`,
    );
  }
  return Math.round(Number(match[1]) * factor);
}

/** A CPU share like `50%` (half a core) or `200%` (two cores), as systemd's CPUQuota=. */
export function parseCpuQuota(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  if (match === null || Number(match[1]) <= 0) {
    throw new CronplaneError(
      'config.cpu',
      `"${text}" is not a CPU quota: expected a percentage of one core above 0, like "50%" or "200%"`,
    );
  }
  return Number(match[1]) / 100;
}
