import type { CatchUpPolicy, ConcurrencyPolicy } from './job-file-schema.ts';

/** Output kept per run when the job file says nothing: 1 MiB. */
export const defaultCaptureLimit = 1024 * 1024;

/** What a failure alert carries of the run's output unless `alert:` says otherwise: 20 lines, 2 KiB. */
export const defaultAlertOutput = { lines: 20, bytes: 2048 } as const;

/** Failures told within this window go out as one message per channel, unless `alerts.group_window` says otherwise. */
export const defaultGroupWindowMs = 30_000;

/**
 * What a job gets for each setting that neither it nor `defaults:` gives, in the job file's own
 * keys. The one place these values are written: `resolveJob` applies them (job, then
 * `defaults:`, then these), and docs/job-file.md describes them.
 */
export const jobDefaults = {
  enabled: true,
  retry: {
    /** One attempt: no retry. */
    attempts: 1,
    backoff: 'exponential',
    delay: 30_000,
    max_delay: 3_600_000,
    jitter: 0.1,
  },
  concurrency: 'forbid',
  catch_up: 'skip',
  randomized_delay: 0,
  node_tags: [],
  tags: [],
  log: { capture_limit: defaultCaptureLimit, format: 'text' },
  priority: 0,
  dry_run: false,
  /** A `skipped_fires` event after 3 fires in a row skipped by `concurrency: forbid`. */
  watch: { skipped_fires: 3 },
  /** A command line is split into argv; no shell runs it. */
  shell: false,
} as const satisfies {
  readonly enabled: boolean;
  readonly retry: {
    readonly attempts: number;
    readonly backoff: 'fixed' | 'exponential';
    readonly delay: number;
    readonly max_delay: number;
    readonly jitter: number;
  };
  readonly concurrency: ConcurrencyPolicy;
  readonly catch_up: CatchUpPolicy;
  readonly randomized_delay: number;
  readonly node_tags: readonly string[];
  readonly tags: readonly string[];
  readonly log: { readonly capture_limit: number; readonly format: 'text' | 'json' };
  readonly priority: number;
  readonly dry_run: boolean;
  readonly watch: { readonly skipped_fires: number };
  readonly shell: boolean;
};
