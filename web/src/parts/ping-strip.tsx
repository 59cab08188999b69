import type { PingView } from '../types.ts';
import { localTime } from './when.tsx';

/** What a ping said: a start, a success, a failure (an exit code other than 0 is one). */
export function pingOutcome(
  ping: Pick<PingView, 'kind' | 'exitCode'>,
): 'start' | 'success' | 'fail' | 'other' {
  switch (ping.kind) {
    case 'start':
      return 'start';
    case 'success':
      return 'success';
    case 'fail':
      return 'fail';
    case 'exit':
      return ping.exitCode === 0 ? 'success' : 'fail';
    case 'ignored':
      return 'other';
  }
}

/** What a ping said in words: `start`, `success`, `fail`, `exit 3`. */
export function pingLabel(ping: Pick<PingView, 'kind' | 'exitCode'>): string {
  return ping.kind === 'exit' ? `exit ${ping.exitCode ?? '?'}` : ping.kind;
}

/** A monitor's recent pings, oldest to newest, one cell each; failures stand taller. */
export function PingStrip({
  pings,
  monitor,
}: {
  readonly pings: readonly PingView[] | undefined;
  readonly monitor: string;
}) {
  if (pings === undefined) return <span class="muted">…</span>;
  if (pings.length === 0) return <span class="muted">no pings yet</span>;
  return (
    <ol class="strip" aria-label={`recent pings of ${monitor}`}>
      {[...pings].reverse().map((ping) => (
        <li key={ping.id}>
          <span
            class={`cell ping-${pingOutcome(ping)}`}
            role="img"
            aria-label={`${pingLabel(ping)} at ${localTime(ping.at)}`}
            title={`${pingLabel(ping)}, ${localTime(ping.at)}`}
          />
        </li>
      ))}
    </ol>
  );
}
