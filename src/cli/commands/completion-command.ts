import type { Command } from 'commander';
import type { CliCommand } from '../cli-command.ts';
import { ExitCode } from '../cli-io.ts';

/** `cronplane completion bash|zsh|fish`. */
export const completionCommand: CliCommand = {
  name: 'completion',
  define(command, { io, exitWith }) {
    command
      .description('print a shell completion script (bash, zsh or fish) for every command and option')
      .argument('<shell>', 'bash, zsh or fish')
      .action(
        exitWith(async (shell: string, _options: unknown, self: Command) => {
          const { completionScript, CompletionShell } = await import('../completion-script.ts');
          if (!Object.hasOwn(CompletionShell, shell)) {
            io.err(
              `error: no completion for "${shell}"; expected one of: ${Object.keys(CompletionShell).join(', ')}`,
            );
            return ExitCode.usage;
          }
          let program = self;
          while (program.parent !== null) program = program.parent;
          io.out(completionScript(program, shell as keyof typeof CompletionShell).replace(/\n$/, ''));
          return ExitCode.ok;
        }),
      );
  },
};
