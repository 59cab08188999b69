import path from 'node:path';
import { parse as shellWords } from 'shell-quote';

/** Commands that only prepare or guard the one that matters: the name comes from what follows. */
const preparing = new Set(['cd', 'sleep', 'test', '[', 'true', ':', '.', 'source', 'export', 'umask', 'set']);
/** Words in front of a command that run it as is. */
const wrappers = new Set(['exec', 'nice', 'nohup', 'time', 'env', '{', '(', 'command']);
const interpreter = /^(python[\d.]*|node|deno|bun|ruby|perl|php[\d.]*|bash|sh|dash|zsh|ksh|Rscript)$/;
const fetcher = /^(wget|curl)$/;

/**
 * A job name for a command line: `run-parts DIR` is named after DIR; otherwise the first command
 * that is not `cd`, `sleep` or a `test` guard gives it: an interpreter's `-m module` (its last
 * part) or script (its base name without extension), the last path segment of the URL `wget` or
 * `curl` fetches, else the command's base name. Made a valid job-file name; `job` when nothing fits.
 */
export function jobNameFor(command: string): string {
  const tokens = shellWords(command, (name) => `$${name}`);
  const words = tokens.map((token) => {
    if (typeof token === 'string') return token;
    if ('op' in token) return token.op === 'glob' ? token.pattern : { op: token.op };
    return { op: '#' };
  });
  const runParts = words.findIndex((word) => word === 'run-parts');
  if (runParts !== -1) {
    const rest = segmentFrom(words, runParts + 1).filter((word) => !word.startsWith('-'));
    const folder = rest.at(-1);
    if (folder !== undefined) return validName(path.basename(folder));
  }
  for (let start = 0; start < words.length;) {
    const segment = segmentFrom(words, start);
    const name = nameOfSegment(segment);
    if (name !== undefined) return validName(name);
    start += segment.length + 1;
  }
  return 'job';
}

/** The words from `start` up to the next operator. */
function segmentFrom(words: readonly (string | { op: string })[], start: number): string[] {
  const segment: string[] = [];
  for (let index = start; index < words.length; index++) {
    const word = words[index];
    if (typeof word !== 'string') break;
    segment.push(word);
  }
  return segment;
}

function nameOfSegment(segment: readonly string[]): string | undefined {
  let at = 0;
  while (
    at < segment.length &&
    (wrappers.has(segment[at] as string) || /^[A-Za-z_]\w*=/.test(segment[at] as string))
  )
    at++;
  const first = segment[at];
  if (first === undefined || preparing.has(first)) return undefined;
  const program = path.basename(first);
  const args = segment.slice(at + 1);
  if (interpreter.test(program)) {
    const module = args[args.indexOf('-m') + 1];
    if (args.includes('-m') && module !== undefined) return module.split('.').at(-1);
    const script = args.find((arg) => !arg.startsWith('-'));
    if (script !== undefined) return path.basename(script).replace(/\.[^.]+$/, '');
  }
  if (fetcher.test(program)) {
    const url = args.findLast((arg) => arg.includes('/') && !arg.startsWith('-'));
    const last = url
      ?.replace(/[?#].*$/, '')
      .replace(/\/+$/, '')
      .split('/')
      .at(-1);
    if (last !== undefined && last !== '') return last;
  }
  return program;
}

function validName(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 90)
    .replace(/[-.]+$/, '');
  return name === '' ? 'job' : name;
}

/** `base`, or `base-2`, `base-3`... the first not in `taken` (which it joins). */
export function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}
