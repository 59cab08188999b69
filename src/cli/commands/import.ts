import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { coerceError } from '../../errors/index.ts';
import type { Importer, ImportResult, SourceFile } from '../../interop/index.ts';
import {
  ImportProblemsError,
  importers as builtinImporters,
  mergeImportResults,
  placeOf,
  writeImportedJobFile,
} from '../../interop/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';

export interface ImportOptions {
  readonly from: string;
  readonly output?: string;
  readonly json: boolean;
}

/** Files read between two progress lines on a terminal, at most. */
const progressEvery = 50;

/**
 * `cronplane import`: reads the files (a folder: the files in it), gives each to its importer
 * (`--from`, or the first of `importers` that recognises it), and writes one commented job file
 * to `-o` or standard output, each warning to standard error as `FILE:LINE: message (action)`.
 * Exit 0 with warnings, 1 when a file cannot be read or parsed, 2 on a usage error.
 */
export function runImport(
  paths: readonly string[],
  options: ImportOptions,
  io: CliIo,
  importers: readonly Importer[] = builtinImporters,
): number {
  let forced: Importer | undefined;
  if (options.from !== 'auto') {
    forced = importers.find((importer) => importer.format === options.from);
    if (forced === undefined) {
      io.err(`cronplane import: --from ${options.from} is planned and not in this build yet`);
      return ExitCode.usage;
    }
  }

  const files: SourceFile[] = [];
  const names = expandPaths(paths, io);
  if (names === undefined) return ExitCode.failure;
  for (const [index, name] of names.entries()) {
    try {
      files.push({ path: name, text: readFileSync(path.resolve(io.cwd, name), 'utf8') });
    } catch (thrown) {
      io.err(`error: cannot read ${name}: ${coerceError(thrown).message}`);
      return ExitCode.failure;
    }
    if (io.isTty && names.length > progressEvery && (index + 1) % progressEvery === 0)
      io.err(`read ${index + 1} of ${names.length} files`);
  }

  const groups = new Map<Importer, SourceFile[]>();
  for (const file of files) {
    const importer = forced ?? importers.find((candidate) => candidate.recognises(file));
    if (importer === undefined) {
      io.err(
        `error: ${file.path}: not recognised as ${importers.map((candidate) => candidate.format).join(', ')}; name the format with --from`,
      );
      return ExitCode.failure;
    }
    groups.set(importer, [...(groups.get(importer) ?? []), file]);
  }

  let result: ImportResult;
  try {
    result = mergeImportResults([...groups].map(([importer, group]) => importer.importFiles(group)));
  } catch (thrown) {
    // Every importer reports bad input as an ImportProblemsError: each line it cannot read, located.
    if (!(thrown instanceof ImportProblemsError)) throw thrown;
    const problems = thrown.problems.map((problem) => `${placeOf(problem)}: ${problem.message}`);
    for (const problem of problems) io.err(`error: ${problem}`);
    io.err(`${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported.`);
    return ExitCode.failure;
  }

  const text = writeImportedJobFile(result, {
    title: [`Imported by cronplane import from ${files.map((file) => file.path).join(', ')}.`],
  });
  if (options.output !== undefined) {
    try {
      writeFileSync(path.resolve(io.cwd, options.output), text);
    } catch (thrown) {
      io.err(`error: cannot write ${options.output}: ${coerceError(thrown).message}`);
      return ExitCode.failure;
    }
  }
  if (options.json) {
    io.out(
      JSON.stringify({ jobs: result.jobs, channels: result.channels, warnings: result.warnings }, null, 2),
    );
    return ExitCode.ok;
  }
  if (options.output === undefined) io.out(text.trimEnd());
  for (const warning of result.warnings) {
    io.err(`${placeOf({ ...warning })}: ${warning.message} (${warning.action})`);
  }
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  io.err(
    `${options.output ?? 'imported'}: ${count(result.jobs.length, 'job')}, ${count(Object.keys(result.channels).length, 'channel')}, ${count(result.warnings.length, 'warning')}`,
  );
  return ExitCode.ok;
}

/** The files named: a folder gives its files (not hidden ones), in name order. Undefined after an error. */
function expandPaths(paths: readonly string[], io: CliIo): string[] | undefined {
  const names: string[] = [];
  for (const name of paths) {
    try {
      if (!statSync(path.resolve(io.cwd, name)).isDirectory()) {
        names.push(name);
        continue;
      }
      const inside = readdirSync(path.resolve(io.cwd, name), { withFileTypes: true })
        .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
        .map((entry) => path.join(name, entry.name))
        .sort();
      names.push(...inside);
    } catch (thrown) {
      io.err(`error: cannot read ${name}: ${coerceError(thrown).message}`);
      return undefined;
    }
  }
  return names;
}
