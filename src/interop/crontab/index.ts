/** Crontab files in: user crontabs and system ones with a user field. */
export { createCrontabImporter, crontabImporter } from './crontab-importer.ts';
export type { CrontabImporterOptions } from './crontab-importer.ts';
export { isSystemCrontab } from './is-system-crontab.ts';
