/** Bringing schedules in from other platforms and taking them back out. */
export type {
  ImportedJob,
  ImportResult,
  ImportWarning,
  Importer,
  SourceFile,
  SourcePlace,
} from './import-result.ts';
export { IMPORT_INVALID, importError } from './import-error.ts';
export { literalForJobFile, shellScriptForJobFile, placeholderLookalikes } from './job-file-strings.ts';
export { systemdImporter } from './systemd/index.ts';
export { k8sImporter } from './k8s/index.ts';
