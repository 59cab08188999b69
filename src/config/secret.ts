import { inspect } from 'node:util';

/**
 * A value that must never be shown: bearer tokens, routing keys, webhook URLs, SMTP URLs, env
 * values the user marked secret. It prints as `***` in logs, JSON, `util.inspect` and string
 * conversion; only `reveal()` gives the value, at the one place that sends it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return Secret.mask;
  }

  toJSON(): string {
    return Secret.mask;
  }

  [inspect.custom](): string {
    return `Secret(${Secret.mask})`;
  }

  static readonly mask = '***';
}

/** A value that may or may not be secret, as read from a job file. */
export type MaybeSecret = string | Secret;

export function reveal(value: MaybeSecret): string {
  return value instanceof Secret ? value.reveal() : value;
}
