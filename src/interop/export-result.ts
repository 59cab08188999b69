/**
 * What an exporter makes of jobs for another platform (crontab, systemd units, Kubernetes
 * CronJobs...): the files to write, and a warning for everything the platform cannot say exactly
 * and what was done instead (wrapped in `cronplane exec --monitor`, expanded per fan-out key,
 * converted into two schedules, left out).
 */
import type { ResolvedJob } from '../config/index.ts';

export interface ExportWarning {
  /** The job the warning is about; null for the export as a whole. */
  readonly job: string | null;
  /** What cannot be said: `metric guards have no crontab equivalent`. */
  readonly message: string;
  /** What was done: `kept by wrapping the command in cronplane exec --monitor`. */
  readonly action: string;
}

/** A file to write: a path relative to the output folder, and its text. */
export interface ExportedFile {
  readonly path: string;
  readonly text: string;
}

export interface ExportResult {
  readonly files: readonly ExportedFile[];
  readonly warnings: readonly ExportWarning[];
}

export interface ExportOptions {
  /** The job file the jobs come from (for `cronplane exec --config` in wrapped commands). */
  readonly configPath: string;
  /** The daemon's public URL, when the wrapped commands report to a daemon over HTTP. */
  readonly server?: string;
  /** The present (epoch ms), for what depends on the coming year (daylight-saving changes); default the clock. */
  readonly now?: number;
  /**
   * The job file's `channels:` as written (`${VAR}` references unresolved, so no secret value),
   * copied into the monitors file for the channels its monitors notify.
   */
  readonly channels?: Readonly<Record<string, unknown>>;
}

/**
 * An exporter. It never writes a secret's value: a `Secret` in the job becomes a reference the
 * platform resolves (an environment file, a Kubernetes Secret, `${NAME}`) with a warning.
 */
export interface Exporter {
  readonly format: 'crontab' | 'systemd' | 'k8s' | 'compose' | 'eventbridge' | 'schtasks';
  readonly exportJobs: (jobs: readonly ResolvedJob[], options: ExportOptions) => ExportResult;
}
