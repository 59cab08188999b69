import type { ResolvedJob } from '../config/index.ts';
import { Secret } from '../config/index.ts';
import { SecretParams } from '../store/index.ts';

export interface SplitParams {
  /** What the run's record shows: secret parameters as `***`. */
  readonly params: Readonly<Record<string, string>>;
  /** The secret parameters' values, kept apart until the run ends; undefined when it has none. */
  readonly secretParams: SecretParams | undefined;
}

/** Splits a run's parameter values into what its record may show and the secrets it keeps apart. */
export function splitSecretParams(job: ResolvedJob, values: Readonly<Record<string, string>>): SplitParams {
  let shown: Record<string, string> | undefined;
  let secrets: Record<string, string> | undefined;
  for (const [name, spec] of Object.entries(job.params)) {
    if (!spec.secret || !Object.hasOwn(values, name)) continue;
    shown ??= { ...values };
    secrets ??= {};
    secrets[name] = values[name] as string;
    shown[name] = Secret.mask;
  }
  return {
    params: shown ?? values,
    secretParams: secrets === undefined ? undefined : new SecretParams(secrets),
  };
}
