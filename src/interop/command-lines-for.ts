import type { ResolvedJob } from '../config/index.ts';
import { placeholderPattern, quoteForShell, substitutePlaceholders } from '../placeholders/index.ts';

/** What one fan-out key of a job runs: the argv (a shell script is `[script]`), and the key's values. */
export interface CommandForKey {
  readonly argv: readonly string[];
  readonly shell: boolean;
  readonly params: Readonly<Record<string, string>>;
  /** The job's `pre:` commands, in order, the key's values substituted as in the main one. */
  readonly pre: readonly { readonly argv: readonly string[]; readonly shell: boolean }[];
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
  // `{max_per_run}` is the same for every run of the job: written in, as cronplane fills it.
  const settings: Readonly<Record<string, string>> =
    job.maxPerRun === undefined ? {} : { max_per_run: String(job.maxPerRun) };
  return job.fanOut.map((params) => {
    const values = { ...settings, ...params };
    const argv = substituted(target, values);
    const pre = job.pre.map((step) => ({ argv: substituted(step, values), shell: step.shell }));
    const unfilled = new Set<string>();
    for (const word of [...pre.flatMap((step) => step.argv), ...argv])
      for (const match of word.matchAll(new RegExp(placeholderPattern.source, 'g')))
        unfilled.add(match[1] ?? match[0]);
    return { argv, shell: target.shell, params, pre, unfilled: [...unfilled] };
  });
}

/** A command's words with a key's values: quoted for the shell in a shell script, as data in an argument. */
function substituted(
  command: { readonly argv: readonly string[]; readonly shell: boolean },
  params: Readonly<Record<string, string>>,
): string[] {
  return command.shell
    ? command.argv.map((script) => substitutePlaceholders(script, params, (value) => quoteForShell(value)))
    : command.argv.map((word) => substitutePlaceholders(word, params));
}
