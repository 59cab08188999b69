import { InvalidArgumentError } from 'commander';

/** Parses a whole number of at least 1 for an option such as `--limit`; a usage error otherwise. */
export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new InvalidArgumentError('expected a whole number of at least 1');
  return value;
}
