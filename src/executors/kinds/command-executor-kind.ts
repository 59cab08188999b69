import { z } from 'zod';
import {
  checkCommandPlaceholders,
  commandLineSchema,
  jobDefaults,
  splitCommand,
} from '../../config/index.ts';
import { createCommandExecutor } from '../command-executor.ts';
import type { CommandSpec, CommandTarget } from '../execution-request.ts';
import type { ExecutorKindDefinition } from '../executor-kind.ts';

const commandFields = z.strictObject({
  run: commandLineSchema,
  /** Run the line through /bin/sh instead of splitting it into arguments. */
  shell: z.boolean().optional(),
});

type CommandFields = z.output<typeof commandFields>;

/** `run:`: a command started as a child process, with the job's environment, user and limits. */
export const commandExecutorKind: ExecutorKindDefinition<CommandFields, CommandTarget, CommandSpec> = {
  key: 'run',
  noun: 'a command',
  kind: 'command',
  fields: commandFields,
  resolve(fields, { at, report, checkPlaceholders, isKnown, share }) {
    const shell = fields.shell ?? jobDefaults.shell;
    const command = splitCommand(fields.run, shell, at('run'), report);
    // Placeholders are checked in the text as written, so a problem points at its column.
    if (typeof fields.run === 'string') checkPlaceholders(fields.run, at('run'));
    else fields.run.forEach((arg, index) => checkPlaceholders(arg, at('run', index)));
    checkCommandPlaceholders(fields.run, command, at('run'), isKnown, report);
    // A line and its `shell` determine the target: found by them, not by the target's JSON.
    return share(
      { kind: 'command', ...command },
      typeof fields.run === 'string' ? `${shell}\u0000${fields.run}` : undefined,
    );
  },
  runsCommandSteps: true,
  // Its secrets are the job's env values, which every kind's job has: masking finds them there.
  secrets: () => [],
  headers: () => [],
  specFor: (target, job) => ({
    ...target,
    cwd: job.cwd,
    user: job.user,
    group: job.group,
    env: job.env,
    envFiles: job.envFiles,
    limits: job.limits,
    exitCodes: job.exitCodes,
    condition: job.condition,
    pre: job.pre,
    dryRunEnv: job.dryRunEnv,
    metricsFromStdout: job.metrics.from === 'stdout_json',
  }),
  createExecutor: (options) => createCommandExecutor(options.command),
  describe: (target) => (target.shell ? 'shell command' : `command ${target.argv[0] ?? ''}`),
  view: (target) => ({ kind: 'command', argv: [...target.argv], shell: target.shell }),
};
