import type { ImportedJob, ImportResult } from './import-result.ts';

/**
 * The results of several importers as one: a job whose name another result took first gets the
 * next free `-2`, `-3`...; a channel of the same name and entry is shared, one of the same name
 * with another entry is renamed the same way and the `notify:` lists of its result's jobs follow.
 */
export function mergeImportResults(results: readonly ImportResult[]): ImportResult {
  const names = new Set<string>();
  const channels: Record<string, Readonly<Record<string, unknown>>> = {};
  const jobs: ImportedJob[] = [];
  for (const result of results) {
    const renamedChannels = new Map<string, string>();
    for (const [name, entry] of Object.entries(result.channels)) {
      let free = name;
      for (
        let n = 2;
        Object.hasOwn(channels, free) && JSON.stringify(channels[free]) !== JSON.stringify(entry);
        n++
      )
        free = `${name}-${n}`;
      channels[free] = entry;
      if (free !== name) renamedChannels.set(name, free);
    }
    for (const job of result.jobs) {
      let name = job.name;
      for (let n = 2; names.has(name); n++) name = `${job.name}-${n}`;
      names.add(name);
      jobs.push({ ...job, name, entry: renameChannels(job.entry, renamedChannels) });
    }
  }
  return {
    jobs,
    channels,
    alerts: results.flatMap((result) => result.alerts),
    warnings: results.flatMap((result) => result.warnings),
  };
}

function renameChannels(
  entry: Readonly<Record<string, unknown>>,
  renamed: ReadonlyMap<string, string>,
): Readonly<Record<string, unknown>> {
  const notify = entry['notify'];
  if (renamed.size === 0 || notify === null || typeof notify !== 'object') return entry;
  const routes = Object.entries(notify as Record<string, unknown>).map(([event, list]) => [
    event,
    Array.isArray(list)
      ? list.map((name: unknown) => (typeof name === 'string' ? (renamed.get(name) ?? name) : name))
      : list,
  ]);
  return { ...entry, notify: Object.fromEntries(routes) };
}
