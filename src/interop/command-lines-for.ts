import type { ResolvedJob } from '../config/index.ts';
import { placeholderPattern, quoteForShell, substitutePlaceholders } from '../placeholders/index.ts';

/** What one fan-out key of a job runs: the argv (a shell script is `[script]`), and the key's values. */
export interface CommandForKey {
  readonly argv: readonly string[];
  readonly shell: boolean;
  readonly params: Readonly<Record<string, string>>;
  /** Placeholders left as written: cronplane fills them per run, another platform cannot. */
  readonly unfilled: readonly string[];
}

interface CommandTargetView {
  readonly kind: 'command';
  readonly argv: readonly string[];
  readonly shell: boolean;
}

/** The job's command, once per fan-out key with that key's values substituted; undefined for a job that runs no command. */
export function commandLinesFor(job: ResolvedJob): CommandForKey[] | undefined {
  if (job.target.kind !== 'command') return undefined;
  const target = job.target as CommandTargetView;
  return job.fanOut.map((params) => {
    const argv = target.shell
      ? target.argv.map((script) => substitutePlaceholders(script, params, (value) => quoteForShell(value)))
      : target.argv.map((word) => substitutePlaceholders(word, params));
    const unfilled = new Set<string>();
    for (const word of argv)
      for (const match of word.matchAll(new RegExp(placeholderPattern.source, 'g')))
        unfilled.add(match[1] ?? match[0]);
    return { argv, shell: target.shell, params, unfilled: [...unfilled] };
  });
}
