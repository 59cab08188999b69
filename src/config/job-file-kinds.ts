import type { z } from 'zod';
import type { Report } from './config-problems.ts';
import type { MaybeSecret } from './secret.ts';

/**
 * What the job file knows of one channel kind: the key a channel is declared under
 * (`slack:`), the schema of its settings, and which of their values are secret. The kind's whole
 * definition (sending, description) lives with the senders in src/notify and extends this; the
 * job-file schema is built from a list of them, so config depends on no kind.
 */
export interface ChannelKindSchema {
  readonly kind: string;
  readonly schema: z.ZodType;
  /** Every value of the settings that must not be shown, in the forms it could appear in. */
  secrets(settings: unknown): string[];
}

/** What a job runs, resolved: its kind's own data, discriminated on `kind` (`command`, `http`, ...). */
export interface JobTarget {
  readonly kind: string;
}

/** What an executor kind's `resolve` may use and report to: the job's place, file and placeholders. */
export interface TargetContext {
  /** The folder of the job file: relative paths are resolved against it. */
  readonly baseDir: string;
  /** The path of a field of this job, for `report`: `at('http', 'url')`. */
  at(...rest: PropertyKey[]): PropertyKey[];
  readonly report: Report;
  /** Reports each `{placeholder}` of `text` this job does not know, at its column. */
  checkPlaceholders(text: string, fieldPath: readonly PropertyKey[]): void;
  /** Whether this job knows a placeholder (a built-in, a parameter or a fan-out key). */
  isKnown(name: string): boolean;
  /**
   * The one frozen copy of a part many jobs have alike; never for a part that may hold a secret.
   * `madeFrom`, when given, is text that determines the part (what the kind made it from): the
   * part is found by it instead of by its JSON.
   */
  share<T extends object>(part: T, madeFrom?: string): T;
}

/**
 * What the job file knows of one executor kind: the key a job names it with (`run:`), the job
 * keys it adds (the key itself, and those that apply only with it, such as `shell`), how its
 * settings resolve into a target, and which values of that target are secret. The kind's whole
 * definition (executing, describing) lives in src/executors/kinds and extends this; the job
 * schema and its "exactly one of" rule are built from the list, so config depends on no kind.
 */
export interface ExecutorKindSchema<Fields = Record<string, unknown>, Target extends JobTarget = JobTarget> {
  /** The job-file key that names the kind: `run`, `http`, `module`. */
  readonly key: string;
  /** What the key makes the job run, as the job file's messages say it: `a command`. */
  readonly noun: string;
  /** The `kind` of the target it resolves to: `command`, `http`, `module`. */
  readonly kind: Target['kind'];
  /**
   * Its keys in a job, as a strict object with `key` required; every other key applies only to
   * a job with `key`. The job schema makes each of them optional.
   */
  readonly fields: z.ZodObject;
  /** The target of a job that names this kind (its fields as `fields` gave them); problems go to `context.report`. */
  resolve(fields: Fields, context: TargetContext): Target;
  /** Every value of the target that must not be shown, in the forms it could appear in. */
  secrets(target: Target): string[];
  /**
   * The values the target sends as request headers (the bearer token included): a placeholder in
   * one follows the header rules, and in a secret one makes its parameter secret.
   */
  headers(target: Target): readonly MaybeSecret[];
  /**
   * A run's time limit when neither the job nor `defaults:` gives `timeout`; no limit when absent
   * (an HTTP request gets one, so a hung endpoint ends `timed_out`).
   */
  readonly defaultTimeoutMs?: number;
  /**
   * Whether a run of this kind starts the job's `condition` and `pre` commands before its own
   * work; a job of a kind that does not is refused at load when it has either.
   */
  readonly runsCommandSteps?: boolean;
}

/** The kinds a job file is read with: the built-in ones (src/kinds), or those plus a test's own. */
export interface JobFileKinds {
  readonly channels: readonly ChannelKindSchema[];
  readonly executors: readonly ExecutorKindSchema[];
}
