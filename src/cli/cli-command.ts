import type { Command } from 'commander';
import type { CliIo } from './cli-io.ts';

/**
 * One `cronplane` command as it registers itself: its name, and a `define` that declares its
 * description, arguments, options and action on the commander `Command` made for it. The program
 * (`main.ts`) is built from a list of these (`cli-commands.ts`); a command with words under it
 * (`token create`, `events resolve`) lists them as `subcommands`, added after it in that order.
 */
export interface CliCommand {
  /** The word that calls it: `runs`, or under its parent `resolve`. */
  readonly name: string;
  define(command: Command, context: CliContext): void;
  readonly subcommands?: readonly CliCommand[];
}

/** What a command's action needs of the program that runs it. */
export interface CliContext {
  readonly io: CliIo;
  /**
   * The action for commander: runs `action` and makes what it returns the program's exit code.
   * Commands load their implementation inside `action` (a dynamic import), so that building the
   * program loads no store, daemon or API.
   */
  exitWith<A extends unknown[]>(
    action: (...args: A) => number | Promise<number>,
  ): (...args: A) => Promise<void>;
}
