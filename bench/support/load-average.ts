import { cpus, loadavg } from 'node:os';

/** `load average 3.12 2.80 2.41 (1, 5, 15 min) on 2 cores`: how busy the machine is right now. */
export function describeLoadAverage(): string {
  return `load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')} (1, 5, 15 min) on ${cpus().length} cores`;
}
