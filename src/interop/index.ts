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

export { crontabExporter, crontabFor } from './crontab-export/index.ts';
export { WrappedFeature, wrappedFeatures } from './wrapped-features.ts';
export { monitorsFile, monitorsFileName } from './monitors-file.ts';
export type { Crontab, CrontabDialect } from './crontab-export/index.ts';
export { composeCrontabPath, composeExporter, composeImage } from './compose-export/index.ts';
export {
  isoDuration,
  maxTriggers,
  multipleInstancesPolicy,
  schtasksExporter,
  taskTriggers,
  windowsCommandLine,
} from './schtasks-export/index.ts';
export type { TaskTriggers } from './schtasks-export/index.ts';
export { httpCommandsFor, shellWordText } from './http-command-for.ts';
export type { HttpCommand, HttpCommands, ShellWord, VariablePart } from './http-command-for.ts';
export { SecretVariables } from './secret-variables.ts';
export { curlImage, k8sExporter, placeholderImage, dnsLabel, maxCronJobName } from './k8s-export/index.ts';
export { exporters, exportFormats } from './exporters.ts';
export {
  ecsRunTaskArn,
  eventBridgeExporter,
  eventBridgePlaceholders,
  schedulerExpressions,
} from './eventbridge-export/index.ts';
export { cronScheduleFor } from './cron-schedule-for.ts';
export type { CronSchedule } from './cron-schedule-for.ts';
export {
  apiPort,
  deployedStoreUrl,
  k8sSelfManifests,
  passwordPlaceholder,
  selfNames,
  stopTimeoutSeconds,
  systemdSelfUnit,
} from './self-deploy/index.ts';
export type { KubernetesSelfOptions, SelfDeployOptions, SystemdSelfOptions } from './self-deploy/index.ts';
