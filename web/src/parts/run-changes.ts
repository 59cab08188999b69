import { useEffect, useRef } from 'preact/hooks';
import type { CompactRun, RunChange } from '../types.ts';

/**
 * Follows `GET /api/runs/stream` (Server-Sent Events, the session cookie) while the component is
 * shown: `onChange` for each run created or changed, `onReconnect` when the stream came back after
 * a break (changes in between were not sent: reload what is shown).
 */
export function useRunChanges(onChange: (change: RunChange) => void, onReconnect: () => void): void {
  const handlers = useRef({ onChange, onReconnect });
  handlers.current = { onChange, onReconnect };
  useEffect(() => {
    const source = new EventSource('/api/runs/stream');
    let broken = false;
    source.addEventListener('run', (event: MessageEvent<string>) => {
      handlers.current.onChange(JSON.parse(event.data) as RunChange);
    });
    source.addEventListener('open', () => {
      if (broken) handlers.current.onReconnect();
      broken = false;
    });
    source.addEventListener('error', () => {
      broken = true;
    });
    return () => source.close();
  }, []);
}

/** A strip (newest first) with the change applied: the run's status and duration, or the run added. */
export function applyToStrip(runs: readonly CompactRun[], change: RunChange, length: number): CompactRun[] {
  const run: CompactRun = {
    id: change.id,
    status: change.status,
    scheduledAt: change.scheduledAt,
    durationMs: change.durationMs,
  };
  const index = runs.findIndex((candidate) => candidate.id === change.id);
  if (index !== -1) return runs.map((candidate, at) => (at === index ? run : candidate));
  return [...runs, run].sort((a, b) => b.id - a.id).slice(0, length);
}
