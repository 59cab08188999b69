import { inspect } from 'node:util';

/**
 * The values of a run's secret trigger parameters, held apart from its `params` (where they are
 * `***`). Like a job file's `Secret`, it prints as `***` in JSON, logs and `util.inspect`, so a
 * run record can be shown or logged whole without giving them away; only `reveal()` gives them,
 * to the execution of the run and to the store that keeps them until the run ends.
 */
export class SecretParams {
  readonly #values: Readonly<Record<string, string>>;

  constructor(values: Readonly<Record<string, string>>) {
    this.#values = Object.freeze({ ...values });
  }

  reveal(): Readonly<Record<string, string>> {
    return this.#values;
  }

  toString(): string {
    return SecretParams.mask;
  }

  toJSON(): string {
    return SecretParams.mask;
  }

  [inspect.custom](): string {
    return `SecretParams(${SecretParams.mask})`;
  }

  static readonly mask = '***';

  /** From the `secret_params` column: null when the run has none (or they were cleared). */
  static fromColumn(text: string | null | undefined): SecretParams | undefined {
    return text === null || text === undefined
      ? undefined
      : new SecretParams(JSON.parse(text) as Record<string, string>);
  }
}
