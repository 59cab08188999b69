import type { Command, Option } from 'commander';

/** The shells `cronplane completion` writes a script for. */
export const CompletionShell = { bash: 'bash', zsh: 'zsh', fish: 'fish' } as const;
export type CompletionShell = keyof typeof CompletionShell;

/** One command of the program as completion sees it: its words, subcommands and options. */
interface CommandSpec {
  /** The words after `cronplane` that name it; `''` for the program itself. */
  readonly path: string;
  readonly name: string;
  readonly description: string;
  readonly subcommands: readonly string[];
  readonly options: readonly OptionSpec[];
}

interface OptionSpec {
  readonly flags: readonly string[];
  readonly takesValue: boolean;
  readonly description: string;
}

/**
 * A completion script for `shell`, made from the program's registered commands and options
 * (never written by hand per command, so it cannot drift from them).
 */
export function completionScript(program: Command, shell: CompletionShell): string {
  const specs = specsOf(program, '');
  switch (shell) {
    case 'bash':
      return bashScript(specs);
    case 'zsh':
      return `#compdef cronplane\n# cronplane completion for zsh: put it on $fpath as _cronplane, or source it.\nautoload -U +X bashcompinit && bashcompinit\n${bashScript(specs)}`;
    case 'fish':
      return fishScript(specs);
  }
}

function specsOf(command: Command, path: string): CommandSpec[] {
  const options: OptionSpec[] = [
    ...command.options.filter((option) => !option.hidden).map(optionSpec),
    { flags: ['-h', '--help'], takesValue: false, description: 'display help' },
  ];
  const spec: CommandSpec = {
    path,
    name: command.name(),
    description: command.description(),
    subcommands: command.commands.map((sub) => sub.name()),
    options,
  };
  return [
    spec,
    ...command.commands.flatMap((sub) => specsOf(sub, path === '' ? sub.name() : `${path} ${sub.name()}`)),
  ];
}

function optionSpec(option: Option): OptionSpec {
  return {
    flags: [option.short, option.long].filter((flag): flag is string => flag !== undefined),
    takesValue: option.required || option.optional,
    description: option.description,
  };
}

/** `'word'` for a shell: the text inside single quotes, each `'` written as `'\''`. */
function quoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function bashCase(specs: readonly CommandSpec[], words: (spec: CommandSpec) => readonly string[]): string {
  return specs
    .filter((spec) => words(spec).length > 0)
    .map((spec) => `    ${quoted(spec.path)}) echo ${quoted(words(spec).join(' '))} ;;`)
    .join('\n');
}

function bashScript(specs: readonly CommandSpec[]): string {
  return `# cronplane completion for bash: source it (cronplane completion bash > /etc/bash_completion.d/cronplane).
_cronplane_subcommands() {
  case "$1" in
${bashCase(specs, (spec) => spec.subcommands)}
  esac
}
_cronplane_options() {
  case "$1" in
${bashCase(specs, (spec) => spec.options.flatMap((option) => option.flags))}
  esac
}
_cronplane_value_options() {
  case "$1" in
${bashCase(specs, (spec) => spec.options.filter((option) => option.takesValue).flatMap((option) => option.flags))}
  esac
}
_cronplane_has() {
  local word
  for word in $1; do [[ "$word" == "$2" ]] && return 0; done
  return 1
}
_cronplane() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ "$word" == -* ]]; then
      if [[ "$word" != *=* ]] && _cronplane_has "$(_cronplane_value_options "$path")" "$word"; then
        ((i++))
      fi
    elif _cronplane_has "$(_cronplane_subcommands "$path")" "$word"; then
      path="\${path:+$path }$word"
    fi
  done
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_cronplane_options "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_cronplane_subcommands "$path")" -- "$cur"))
  fi
}
complete -o default -F _cronplane cronplane
`;
}

function fishScript(specs: readonly CommandSpec[]): string {
  const lines = [
    '# cronplane completion for fish: cronplane completion fish > ~/.config/fish/completions/cronplane.fish',
  ];
  for (const spec of specs) {
    const words = spec.path === '' ? [] : spec.path.split(' ');
    // Where this command's words have been typed and none of its subcommands yet.
    const seen = words.map((word) => `__fish_seen_subcommand_from ${word}`);
    const condition =
      words.length === 0
        ? '__fish_use_subcommand'
        : [
            ...seen,
            ...(spec.subcommands.length === 0
              ? []
              : [`not __fish_seen_subcommand_from ${spec.subcommands.join(' ')}`]),
          ].join('; and ');
    for (const sub of specs.filter(
      (other) => other.path === (spec.path === '' ? other.name : `${spec.path} ${other.name}`),
    )) {
      lines.push(
        `complete -c cronplane -f -n ${quoted(condition)} -a ${quoted(sub.name)} -d ${quoted(sub.description)}`,
      );
    }
    for (const option of spec.options) {
      const flags = option.flags
        .map((flag) => (flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`))
        .join(' ');
      lines.push(
        `complete -c cronplane -n ${quoted(condition)} ${flags}${option.takesValue ? ' -r' : ''} -d ${quoted(option.description)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
