/** Shells whose `-c` argument is a script in POSIX shell syntax. */
const shellNames = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'posh']);
/** Long options (bash) that take the next argument. */
const longWithArgument = new Set(['--rcfile', '--init-file']);

/**
 * Where the script is in an argv that runs a shell with `-c`: the first argument named like a
 * shell (`sh`, `/bin/bash`, also after a wrapper such as `timeout 5 bash -c ...`), then its
 * options (`-c`, combined flags such as `-ec`, `-lc`, `-euc`, `-o name`, `--norc`), then the
 * script, the first operand. Undefined when there is no such script. Later arguments (`$0`,
 * `$1`...) are plain arguments.
 */
export function shellScriptIndex(argv: readonly string[]): number | undefined {
  const start = argv.findIndex((arg) => shellNames.has(arg.slice(arg.lastIndexOf('/') + 1)));
  if (start === -1) return undefined;
  let command = false;
  for (let index = start + 1; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--' || arg === '-') {
      return command && index + 1 < argv.length ? index + 1 : undefined;
    }
    if (arg.startsWith('--')) {
      if (longWithArgument.has(arg)) index++;
      continue;
    }
    if ((arg.startsWith('-') || arg.startsWith('+')) && arg.length > 1) {
      const flags = arg.slice(1);
      if (arg.startsWith('-') && flags.includes('c')) command = true;
      // `-o pipefail`, `-O extglob`: each takes the next argument.
      for (const flag of flags) if (flag === 'o' || flag === 'O') index++;
      continue;
    }
    return command ? index : undefined;
  }
  return undefined;
}
