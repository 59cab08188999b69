import type { CliCommand } from '../cli-command.ts';

/** `cronplane schema`. */
export const schemaCommand: CliCommand = {
  name: 'schema',
  define(command, { io, exitWith }) {
    command
      .description("print the job file's JSON Schema, for editors (cronplane schema > cronplane.schema.json)")
      .action(
        exitWith(async () => {
          const { runSchema } = await import('./schema.ts');
          return runSchema(io);
        }),
      );
  },
};
