/** Bringing schedules in from other platforms and taking them back out. */
export type {
  ImportedJob,
  ImportResult,
  ImportWarning,
  Importer,
  SourceFile,
  SourcePlace,
} from './import-result.ts';
