/** Bringing schedules in from other platforms and taking them back out. */
export type {
  ImportedJob,
  ImportResult,
  ImportWarning,
  Importer,
  SourceFile,
  SourcePlace,
} from './import-result.ts';
export type { ExportedFile, ExportOptions, ExportResult, ExportWarning, Exporter } from './export-result.ts';
export { systemdImporter } from './systemd/index.ts';
export { k8sImporter } from './k8s/index.ts';
export { IMPORT_INVALID, ImportProblemsError, placeOf } from './import-problems.ts';
export type { ImportProblem } from './import-problems.ts';
export {
  escapeStrings,
  escapeSubstitution,
  literalShellBraces,
  placeholderLookalikes,
} from './escape-job-file-text.ts';
export { writeImportedJobFile } from './write-imported-job-file.ts';
export type { ImportedFileOptions } from './write-imported-job-file.ts';
export { createCrontabImporter, crontabImporter, isSystemCrontab } from './crontab/index.ts';
export type { CrontabImporterOptions } from './crontab/index.ts';
export { importers, importFormats } from './importers.ts';
export { mergeImportResults } from './merge-import-results.ts';
export { systemdExporter } from './systemd-export/index.ts';

export { crontabExporter } from './crontab-export/index.ts';
export { WrappedFeature, wrappedFeatures } from './wrapped-features.ts';
export { monitorsFile, monitorsFileName } from './monitors-file.ts';
export { k8sExporter, placeholderImage, dnsLabel, maxCronJobName } from './k8s-export/index.ts';
export { exporters, exportFormats } from './exporters.ts';
export { cronScheduleFor } from './cron-schedule-for.ts';
export type { CronSchedule } from './cron-schedule-for.ts';
