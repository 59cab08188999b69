import { jobFileJsonSchema } from '../../config/index.ts';
import { builtinKinds } from '../../kinds/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';

/** The job file's JSON Schema as `cronplane schema` prints it and `cronplane init` writes it. */
export function jobFileSchemaText(): string {
  return JSON.stringify(jobFileJsonSchema(builtinKinds), null, 2);
}

/**
 * `cronplane schema`: prints the JSON Schema of the job file, made from the schema that
 * validates it, with the channel and executor kinds of this build.
 */
export function runSchema(io: CliIo): number {
  io.out(jobFileSchemaText());
  return ExitCode.ok;
}
