/**
 * A container's `command` + `args` as a job's `run`: `sh -c SCRIPT` kept as a shell line, any
 * other argument vector as a list. Kubernetes expands `$(NAME)` of the container's own env in
 * both (`$$(` is a literal `$(`); here that becomes the shell's `${NAME}`.
 */
import { escapeSubstitution } from '../escape-job-file-text.ts';
import { quoteForShell } from '../../placeholders/index.ts';

const shells = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);

export interface ContainerRun {
  readonly run: string | string[];
  readonly shell: boolean;
  /** Whether `$(NAME)` references were turned into the shell's `${NAME}`. */
  readonly expanded: boolean;
}

/** `argv` is command followed by args; `names` the container's env names Kubernetes would expand. */
export function containerRun(argv: readonly string[], names: ReadonlySet<string>): ContainerRun {
  let expanded = false;
  /** The word with `$(NAME)` as a shell reference: quoted when the word is quoted around it. */
  const references = (word: string): boolean =>
    [...word.matchAll(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].some((match) =>
      names.has(match[1] as string),
    );
  const inScript = (script: string): string =>
    script.replace(/(\$?)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, escape: string, name: string) => {
      if (escape === '$') return whole.slice(1);
      if (!names.has(name)) return whole;
      expanded = true;
      return `\${${name}}`;
    });

  const program = argv[0]?.split('/').at(-1) ?? '';
  const flag = argv[1] ?? '';
  if (shells.has(program) && /^-[a-z]*c[a-z]*$/.test(flag) && argv.length >= 3) {
    const script = inScript(argv[2] as string);
    if (program === 'sh' && flag === '-c' && argv.length === 3) {
      return { run: escapeSubstitution(script), shell: true, expanded };
    }
    return {
      run: argv.map((word, index) =>
        index === 2 ? escapeSubstitution(script) : escapeSubstitution(inScript(word)),
      ),
      shell: false,
      expanded,
    };
  }
  if (argv.some(references)) {
    const line = argv.map((word) => shellWordWithReferences(word, names)).join(' ');
    return { run: escapeSubstitution(line), shell: true, expanded: true };
  }
  return {
    run: argv.map((word) => escapeSubstitution(word.replace(/\$\$\(/g, '$('))),
    shell: false,
    expanded,
  };
}

/** A word for `/bin/sh`: its text quoted, `$(NAME)` of a known name as `"${NAME}"`, `$$(` as a literal `$(`. */
function shellWordWithReferences(word: string, names: ReadonlySet<string>): string {
  let text = '';
  let out = '';
  let last = 0;
  for (const match of word.matchAll(/\$\$\(|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
    text += word.slice(last, match.index);
    last = match.index + match[0].length;
    const name = match[1];
    if (name === undefined) text += '$(';
    else if (!names.has(name)) text += match[0];
    else {
      out += (text === '' ? '' : quoteForShell(text)) + `"\${${name}}"`;
      text = '';
    }
  }
  text += word.slice(last);
  return out + (text === '' && out !== '' ? '' : quoteForShell(text));
}
