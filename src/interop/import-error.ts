import { CronplaneError } from '../errors/index.ts';
import type { SourcePlace } from './import-result.ts';

/** The error code of a source file an importer cannot read (a bad schedule, a missing unit). */
export const IMPORT_INVALID = 'import.invalid';

/** An error naming its place first (`backup.timer:4: ...`), as every importer reports bad input. */
export function importError(place: SourcePlace, message: string): CronplaneError {
  const where = place.line === null ? place.file : `${place.file}:${place.line}`;
  return new CronplaneError(IMPORT_INVALID, `${where}: ${message}`, {
    location: place.line === null ? { file: place.file } : { file: place.file, line: place.line },
  });
}
