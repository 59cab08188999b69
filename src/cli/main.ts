import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import type { CliCommand, CliContext } from './cli-command.ts';
import { cliCommands } from './cli-commands.ts';
import type { CliIo } from './cli-io.ts';
import { ExitCode, processIo } from './cli-io.ts';

function packageVersion(): string {
  const raw = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(raw) as { version: string }).version;
}

/** Builds the `cronplane` program from `cliCommands`; each action stores its exit code in `result`. */
export function buildProgram(io: CliIo, result: { code: number }): Command {
  const program = new Command('cronplane')
    .description('A control plane for scheduled jobs: one job file, durable runs, an API and alerts.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run cronplane --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    });
  const context: CliContext = {
    io,
    exitWith:
      (action) =>
      async (...args) => {
        result.code = await action(...args);
      },
  };
  for (const command of cliCommands) addCommand(program, command, context);
  return program;
}

function addCommand(parent: Command, cli: CliCommand, context: CliContext): void {
  const command = parent.command(cli.name);
  cli.define(command, context);
  for (const subcommand of cli.subcommands ?? []) addCommand(command, subcommand, context);
}

/** Runs the command line and returns the exit code; never calls process.exit. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const result = { code: ExitCode.ok as number };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    if (argv.length === 0) {
      program.outputHelp();
    }
    return result.code;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      if (thrown.code === 'commander.helpDisplayed' || thrown.code === 'commander.version')
        return ExitCode.ok;
      if (thrown.code === 'commander.help') return ExitCode.ok;
      return ExitCode.usage;
    }
    throw thrown;
  }
}
