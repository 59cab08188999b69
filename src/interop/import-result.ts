/**
 * What an importer makes of a platform's files (crontab, systemd units, Kubernetes CronJobs): the
 * jobs as job-file entries, and a warning for every construct it could not carry exactly. The job
 * file writer (`write-imported-job-file.ts`) turns it into a commented `cronplane.yaml`.
 */

/** A place in a source file: the path as given and a 1-based line, when the format has lines. */
export interface SourcePlace {
  readonly file: string;
  readonly line: number | null;
}

/**
 * A construct without an exact equivalent: where it was, what it was, and what the importer did
 * with it (kept as a comment, approximated, dropped with this warning...). Never silent.
 */
export interface ImportWarning extends SourcePlace {
  /** What was found: `RandomizedDelaySec=1h is a random delay per fire`. */
  readonly message: string;
  /** What was done: `kept as a comment`, `became jitter: 1h`. */
  readonly action: string;
}

export interface ImportedJob {
  /** The job's name in the job file: unique within the result, `[A-Za-z0-9_.-]`. */
  readonly name: string;
  /**
   * The job's entry exactly as the job file writes it (snake_case keys of
   * `config/job-file-schema.ts`: `schedule`, `run`, `shell`, `env`, `timezone`, `timeout`...).
   */
  readonly entry: Readonly<Record<string, unknown>>;
  /** Lines written as comments above the job (the source's own comments, notes). */
  readonly comments: readonly string[];
  /** Where the job came from. */
  readonly source: SourcePlace;
}

export interface ImportResult {
  readonly jobs: readonly ImportedJob[];
  /** Top-level `channels:` entries the sources imply (crontab's MAILTO → an e-mail channel). */
  readonly channels: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Top-level `alerts:` routes (e.g. failures of every job to the MAILTO channel). */
  readonly alerts: readonly Readonly<Record<string, unknown>>[];
  readonly warnings: readonly ImportWarning[];
}

/** A source file as read: its path as given and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/**
 * An importer: files in, a result out. Content it cannot carry exactly is a warning; content it
 * cannot read at all throws an `ImportProblemsError` naming each place, and nothing is imported.
 */
export interface Importer {
  readonly format: 'crontab' | 'systemd' | 'k8s';
  /** Whether a file looks like this format (for `--from auto`), by its name and text. */
  readonly recognises: (file: SourceFile) => boolean;
  readonly importFiles: (files: readonly SourceFile[]) => ImportResult;
}
