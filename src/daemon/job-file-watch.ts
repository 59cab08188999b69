/**
 * `--watch`: follows the job file on disk through in-place edits, atomic replaces (write a
 * temporary file, rename it over the job file: what `mv`, vim and most editors do), deletes and
 * re-creates. A watch on the file itself follows one inode and goes deaf after the first
 * replace; this one watches the file's folder, keeps the events that name the file, waits for a
 * burst to settle, and then applies the file as it is through the daemon's reload (which takes it
 * or refuses it, saying why). A file that is gone is logged and changes nothing: the jobs of the
 * last file taken keep running until a file is back.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readlinkSync, statSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import path from 'node:path';
import { coerceError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';

export interface JobFileWatchOptions {
  readonly file: string;
  readonly logger: Logger;
  /** Applies the file as it now is on disk (the daemon's reload); answers whether it was taken. */
  readonly apply: () => Promise<boolean>;
  /** How long the folder must be quiet after an event before the file is read; 200 ms by default. */
  readonly settleMs?: number;
}

/** The default quiet time: an editor's save (backup, write, rename, chmod) is one burst within it. */
export const jobFileSettleMs = 200;

type FileState =
  | { readonly kind: 'present'; readonly digest: string }
  | { readonly kind: 'gone' }
  | { readonly kind: 'unreadable' };

export class JobFileWatch {
  readonly #options: JobFileWatchOptions;
  readonly #folder: string;
  #names: ReadonlySet<string> = new Set();
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #state: FileState;
  #work: Promise<void> = Promise.resolve();
  #released = false;

  constructor(options: JobFileWatchOptions) {
    this.#options = options;
    this.#folder = path.dirname(path.resolve(options.file));
    this.#state = stateOf(options.file);
  }

  /**
   * Starts watching the folder, or starts again (SIGHUP calls it: a folder removed and made
   * again, or a watch that failed, is watched anew). A folder that cannot be watched is logged,
   * not thrown: the daemon keeps running and SIGHUP still reloads.
   */
  arm(): void {
    if (this.#released) return;
    this.#watcher?.close();
    this.#watcher = undefined;
    const { file, logger } = this.#options;
    this.#names = namesOf(file);
    this.#state = stateOf(file);
    const folderIdentity = identityOf(this.#folder);
    try {
      const watcher = watch(this.#folder, (_event, name) => {
        // Some platforms do not say which entry changed: then any change may be the file's.
        if (name === null || this.#names.has(name.toString())) this.#changed();
        else if (
          name.toString() === path.basename(this.#folder) &&
          identityOf(this.#folder) !== folderIdentity
        ) {
          // The folder itself went (or another took its path): this watch hears nothing more.
          watcher.close();
          if (this.#watcher === watcher) this.#watcher = undefined;
          logger.warn(
            { config: file, folder: this.#folder },
            "the job file's folder is gone; once it is back, SIGHUP reloads the file and watches the folder again",
          );
        }
      });
      watcher.on('error', (thrown) => {
        watcher.close();
        if (this.#watcher === watcher) this.#watcher = undefined;
        logger.error(
          { err: coerceError(thrown), config: file, folder: this.#folder },
          'stopped following the job file: its folder cannot be watched; SIGHUP reloads it and watches again',
        );
      });
      this.#watcher = watcher;
    } catch (thrown) {
      logger.error(
        { err: coerceError(thrown), config: file, folder: this.#folder },
        'cannot follow the job file: its folder cannot be watched; SIGHUP still reloads it',
      );
    }
  }

  /** Stops watching; waits for a change being applied. */
  async release(): Promise<void> {
    this.#released = true;
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#work;
  }

  #changed(): void {
    if (this.#released) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#work = this.#work.then(() => this.#settle());
    }, this.#options.settleMs ?? jobFileSettleMs);
  }

  /** The burst is over: the file is read once and applied, refused, or found gone. */
  async #settle(): Promise<void> {
    if (this.#released) return;
    const { file, logger, apply } = this.#options;
    const before = this.#state;
    const now = stateOf(file);
    this.#state = now;
    switch (now.kind) {
      case 'gone':
        if (before.kind !== 'gone') {
          logger.warn(
            { config: file },
            'the job file is gone; the jobs of the last file taken keep running until it is back',
          );
        }
        return;
      case 'present':
        // A save that changed nothing (touch, chmod, the same bytes written again) is not a reload.
        if (before.kind === 'present' && before.digest === now.digest) {
          logger.debug({ config: file }, 'the job file was saved unchanged; nothing to reload');
          return;
        }
        logger.info(
          { config: file },
          before.kind === 'gone'
            ? 'the job file is back: reloading it'
            : 'the job file changed: reloading it',
        );
        break;
      case 'unreadable':
        // The reload reads it again and logs the cause (permission denied, a folder, ...).
        break;
      default:
        throw new Error(`Unhandled file state ${JSON.stringify(now satisfies never)}`);
    }
    await apply();
  }
}

/**
 * The folder's identity, to tell it from another made at the same path (which may get the same
 * inode number back: its birth time differs); undefined when gone.
 */
function identityOf(folder: string): string | undefined {
  try {
    const stats = statSync(folder);
    return `${stats.ino}@${stats.birthtimeMs}`;
  } catch {
    return undefined;
  }
}

function stateOf(file: string): FileState {
  try {
    return { kind: 'present', digest: createHash('sha256').update(readFileSync(file)).digest('hex') };
  } catch (thrown) {
    return (thrown as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'gone' } : { kind: 'unreadable' };
  }
}

/**
 * The folder entries whose events concern the file: its own name and, when it is a symbolic
 * link with a relative target, the first part of that target (a Kubernetes ConfigMap swaps a
 * `..data` link beside the file, never the file itself).
 */
function namesOf(file: string): ReadonlySet<string> {
  const names = new Set([path.basename(file)]);
  try {
    if (lstatSync(file).isSymbolicLink()) {
      const target = readlinkSync(file);
      const first = path.isAbsolute(target) ? undefined : target.split(/[\\/]/)[0];
      if (first !== undefined && first !== '' && first !== '.' && first !== '..') names.add(first);
    }
  } catch {
    // Not there (yet): only its own name counts until the watch is armed again.
  }
  return names;
}
