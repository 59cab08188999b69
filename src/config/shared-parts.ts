import { isKnownTimeZone as isTimeZone } from '../calendar/index.ts';
import type { ResolvedSchedule } from './resolved-config.ts';
import type { MaybeSecret } from './secret.ts';
import { Secret } from './secret.ts';

/**
 * Parts that many jobs of one file have alike, held once: 100,000 jobs that share a schedule, a
 * command and their policies share one copy of each instead of holding 2.7 KB apiece. Shared
 * parts are frozen; parts that may hold secrets are never shared by value (a secret prints as
 * `***`, so two different ones would look alike), and the top-level env_file's secrets are made
 * once for every job.
 */
export class SharedParts {
  readonly fileEnv: Readonly<Record<string, MaybeSecret>>;
  /** Resolved schedules by their text, for jobs with one schedule string. */
  readonly schedules = new Map<string, readonly ResolvedSchedule[]>();
  readonly #parts = new Map<string, unknown>();
  readonly #fromDefaults = new WeakMap<object, Map<string, unknown>>();
  readonly #zones = new Map<string, boolean>();

  constructor(fileEnv: ReadonlyMap<string, string>) {
    const env: Record<string, MaybeSecret> = {};
    for (const [key, value] of fileEnv) env[key] = new Secret(value);
    this.fileEnv = Object.freeze(env);
  }

  /**
   * The one frozen copy of a value equal to `value`. Only for parts that cannot hold a secret
   * (job-file fields other than env and HTTP targets): they are compared by their JSON, or by
   * `madeFrom`, text that determines the value (a command line and its `shell`), which is quicker
   * to compare than the value's JSON is to write.
   */
  part<T extends object>(kind: string, value: T, madeFrom?: string): T {
    const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
    const key =
      madeFrom !== undefined
        ? `${kind}\u0001${madeFrom}`
        : empty
          ? `${kind}\u0000empty`
          : `${kind}\u0000${JSON.stringify(value)}`;
    const known = this.#parts.get(key);
    if (known !== undefined) return known as T;
    this.#parts.set(key, Object.freeze(value));
    return value;
  }

  /**
   * The one frozen copy of a part a job takes wholly from `defaults` (the job sets none of the
   * fields it is made of): built and compared once per `defaults` and `kind`, not once per job.
   * `variant` is whatever else the part depends on (the folder its paths are resolved against).
   */
  fromDefaults<T extends object>(kind: string, defaults: object, build: () => T, variant?: string): T {
    let known = this.#fromDefaults.get(defaults);
    if (known === undefined) {
      known = new Map();
      this.#fromDefaults.set(defaults, known);
    }
    const key = variant === undefined ? kind : `${kind}\u0000${variant}`;
    let value = known.get(key) as T | undefined;
    if (value === undefined) {
      value = this.part(kind, build());
      known.set(key, value);
    }
    return value;
  }

  isTimeZone(zone: string): boolean {
    let known = this.#zones.get(zone);
    if (known === undefined) {
      known = isTimeZone(zone);
      this.#zones.set(zone, known);
    }
    return known;
  }
}
