import type { CliCommand } from '../cli-command.ts';
import { ExitCode } from '../cli-io.ts';
import type { PlannedCommand } from '../planned-commands.ts';

/** A command whose work is not in this build: it says so and exits 2. */
export function plannedCommand(planned: PlannedCommand): CliCommand {
  return {
    name: planned.name,
    define(command, { io, exitWith }) {
      command
        .description(planned.description)
        .allowUnknownOption()
        .allowExcessArguments()
        .action(
          exitWith(() => {
            io.err(
              `cronplane ${planned.name}: ${planned.description}. It is planned (${planned.arrives}) and not in this build yet.`,
            );
            return ExitCode.usage;
          }),
        );
    },
  };
}
