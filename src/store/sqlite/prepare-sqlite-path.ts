/**
 * Where a SQLite store's file goes, checked before SQLite opens it: SQLite itself says only
 * "unable to open database file", without the path or the cause. The rule for folders: the
 * file's own folder is created when its parent exists (`./data` for the default
 * `sqlite:./data/cronplane.db`, `/var/lib/cronplane` when `/var/lib` exists); a path whose
 * folders are missing further up is refused, naming the first missing one, so a typo never
 * builds a tree of folders somewhere unexpected.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CronplaneError, coerceError } from '../../errors/index.ts';

/** Makes the file's folder if allowed and checks the file can be opened; throws `store.open` saying why not. */
export function prepareSqlitePath(location: string): void {
  const file = path.resolve(location);
  const folder = path.dirname(file);
  if (!existsSync(folder)) {
    const missing = firstMissingFolder(folder);
    if (missing !== folder) {
      throw sqliteOpenError(
        location,
        `the folder ${missing} does not exist; cronplane creates only the file's own folder (${folder}) when its parent exists: create ${missing} first, or choose another path`,
      );
    }
    attempt(location, () => mkdirSync(folder), `cannot create its folder ${folder}`);
  }
  if (!statSync(folder).isDirectory()) throw sqliteOpenError(location, `${folder} is a file, not a folder`);
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) throw sqliteOpenError(location, 'it is a folder, not a file');
    attempt(location, () => accessSync(file, constants.R_OK | constants.W_OK), 'cannot read and write it');
  } else {
    attempt(
      location,
      () => accessSync(folder, constants.W_OK | constants.X_OK),
      `cannot create it in ${folder}`,
    );
  }
}

/** The `store.open` error: the path as given, and the cause in words. */
export function sqliteOpenError(location: string, cause: string, thrown?: unknown): CronplaneError {
  return new CronplaneError('store.open', `cannot open the SQLite store ${location}: ${cause}`, {
    location: { path: 'store' },
    ...(thrown === undefined ? {} : { cause: thrown }),
  });
}

/** What an operating-system error means, in words (`EACCES` → permission denied). */
export function systemErrorWords(thrown: unknown): string {
  const error = coerceError(thrown) as Error & { code?: unknown };
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error.message.replace(/^Error: /, '');
  }
}

function attempt(location: string, work: () => void, what: string): void {
  try {
    work();
  } catch (thrown) {
    throw sqliteOpenError(location, `${what}: ${systemErrorWords(thrown)}`, thrown);
  }
}

/** The highest folder of `folder`'s chain that does not exist (`folder` itself when only it is missing). */
function firstMissingFolder(folder: string): string {
  let missing = folder;
  for (
    let parent = path.dirname(missing);
    parent !== missing && !existsSync(parent);
    parent = path.dirname(parent)
  ) {
    missing = parent;
  }
  return missing;
}
