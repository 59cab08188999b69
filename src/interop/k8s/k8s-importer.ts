/**
 * Kubernetes CronJob manifests as cronplane jobs: YAML files of one or many documents (and
 * `kind: List` items); every CronJob becomes a job named after `metadata.name`, any other kind
 * is skipped with a warning. docs/interop.md lists the mapping and every warning.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import type {
  ImportedJob,
  ImportResult,
  ImportWarning,
  Importer,
  SourceFile,
  SourcePlace,
} from '../import-result.ts';
import { ImportProblemsError } from '../import-problems.ts';
import type { Path } from './cron-job-to-job.ts';
import { cronJobToJob } from './cron-job-to-job.ts';

export const k8sImporter: Importer = {
  format: 'k8s',
  recognises: (file) =>
    /\.(ya?ml|json)$/i.test(file.path) && /^\s*kind:\s*["']?CronJob["']?\s*$/m.test(file.text),
  importFiles,
};

function importFiles(files: readonly SourceFile[]): ImportResult {
  const warnings: ImportWarning[] = [];
  const jobs: ImportedJob[] = [];
  for (const file of files) {
    const lineCounter = new LineCounter();
    const documents = parseAllDocuments(file.text, { lineCounter });
    const placeAt = (offset: number): SourcePlace => ({
      file: file.path,
      line: lineCounter.linePos(offset).line,
    });
    if (!Array.isArray(documents)) continue; // an empty stream
    for (const document of documents) {
      const error = document.errors[0];
      if (error !== undefined)
        throw new ImportProblemsError([
          { ...placeAt(error.pos[0]), message: `YAML: ${error.message.split('\n')[0] ?? ''}` },
        ]);
      const value: unknown = document.toJS();
      if (value === null || value === undefined) continue;
      const placeOf = (base: Path) => (path: Path) => nodePlace(document, [...base, ...path], placeAt);
      const items = isKind(value, 'List')
        ? ((value as { items?: unknown[] }).items ?? []).map((item, index) => ({
            item,
            base: ['items', index] as Path,
          }))
        : [{ item: value, base: [] as Path }];
      for (const { item, base } of items) {
        const at = placeOf(base);
        if (!isKind(item, 'CronJob')) {
          const kind =
            typeof item === 'object' && item !== null
              ? String((item as { kind?: unknown }).kind)
              : typeof item;
          warnings.push({ ...at([]), message: `a ${kind}, not a CronJob`, action: 'skipped' });
          continue;
        }
        const cronJob = item as Record<string, unknown>;
        const name = uniqueName(cronJob, at, jobs);
        const job = cronJobToJob({ file: file.path, value: cronJob, placeOf: at }, name, warnings);
        if (job !== undefined) jobs.push(job);
      }
    }
  }
  return { jobs, channels: {}, alerts: [], warnings };
}

function isKind(value: unknown, kind: string): boolean {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === kind;
}

/** The line of the deepest node of `path` that exists (a missing key: its parent's line). */
function nodePlace(document: Document, path: Path, placeAt: (offset: number) => SourcePlace): SourcePlace {
  for (let length = path.length; length > 0; length--) {
    const node = document.getIn(path.slice(0, length), true) as
      { range?: [number, number, number] } | undefined;
    if (node?.range !== undefined) return placeAt(node.range[0]);
  }
  return placeAt(document.contents?.range?.[0] ?? 0);
}

function uniqueName(
  cronJob: Record<string, unknown>,
  at: (path: Path) => SourcePlace,
  earlier: readonly ImportedJob[],
): string {
  const metadata = cronJob['metadata'];
  const name =
    typeof metadata === 'object' && metadata !== null ? (metadata as { name?: unknown }).name : undefined;
  if (typeof name !== 'string' || name === '')
    throw new ImportProblemsError([{ ...at(['metadata']), message: 'the CronJob has no metadata.name' }]);
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .slice(0, 90);
  let unique = base;
  for (let n = 2; earlier.some((job) => job.name === unique); n++) unique = `${base}-${n}`;
  return unique;
}
