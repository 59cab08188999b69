import { CronplaneError } from '../../errors/index.ts';

/** A run id as a command takes it: a whole number of at least 1; anything else is refused, named. */
export function parseRunId(text: string, hint = ''): number {
  const id = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(id) || id < 1) {
    throw new CronplaneError('cli.run-id', `${JSON.stringify(text)} is not a run id (a whole number)${hint}`);
  }
  return id;
}
