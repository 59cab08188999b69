import type { MonitorView } from '../types.ts';

/**
 * The address a job pings: the daemon's when the job file sets `server.public_url`, else this
 * page's own origin (the API's own address may be one a job elsewhere cannot reach, 0.0.0.0).
 */
export function pingUrlFor(monitor: Pick<MonitorView, 'pingUrl' | 'pingUrlBase'>): string {
  if (monitor.pingUrlBase === 'public_url') return monitor.pingUrl;
  return `${window.location.origin}${new URL(monitor.pingUrl).pathname}`;
}

/** The line a job's script runs when it succeeds, as docs/monitors.md writes it. */
export function curlLine(pingUrl: string): string {
  return `curl -fsS -m 10 --retry 3 ${pingUrl}`;
}
