import type { Secret } from '../config/index.ts';

/**
 * Names for the environment variables an exported command reads its secrets from, one per
 * distinct secret value across the export: jobs that share a bearer token share `CRON_SECRET`,
 * as the deployments that call their workers with curl or wget do. A second distinct value with
 * the same base name becomes `BASE_2`. The value itself is compared, never written.
 */
export class SecretVariables {
  readonly #byValue = new Map<string, string>();
  readonly #taken = new Set<string>();

  /** The variable for `secret`: the one already named for the same value, else `base` (made unique). */
  nameFor(secret: Secret, base: string): string {
    const known = this.#byValue.get(secret.reveal());
    if (known !== undefined) return known;
    let name = base;
    for (let n = 2; this.#taken.has(name); n++) name = `${base}_${n}`;
    this.#taken.add(name);
    this.#byValue.set(secret.reveal(), name);
    return name;
  }

  /** Every variable named so far, in the order they were named. */
  names(): string[] {
    return [...this.#taken];
  }
}
