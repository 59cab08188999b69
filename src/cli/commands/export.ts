import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { findConfigFile, readConfig } from '../../config/index.ts';
import type { ResolvedConfig } from '../../config/index.ts';
import { coerceError } from '../../errors/index.ts';
import type { ExportResult, Exporter } from '../../interop/index.ts';
import { exporters as builtinExporters } from '../../interop/index.ts';
import { builtinKinds } from '../../kinds/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportError } from '../report-error.ts';
import type { SelfExportOptions } from './export-self.ts';
import { exportSelf, selfOnlyOptions } from './export-self.ts';

export interface ExportCommandOptions extends SelfExportOptions {
  readonly to: string;
  readonly output?: string;
  readonly json: boolean;
  readonly config?: string;
  /** Write cronplane's own deployment (a systemd unit, Kubernetes manifests) instead of jobs. */
  readonly self?: boolean;
}

/**
 * `cronplane export`: reads the job file as every command does, gives the jobs asked for (all by
 * default) to the exporter of `--to`, and writes its files into `-o DIR` (created; a file is
 * replaced, nothing outside the folder is written) or to standard output, each after a
 * `# --- PATH` line. Warnings go to standard error as `job: message (action)`; `--json` prints
 * {files, warnings}. Exit 1 for an unknown job or a file that cannot be written, 2 for a broken
 * job file or a format not in this build. `--self` writes cronplane's own deployment instead
 * (export-self.ts).
 */
export function runExport(
  names: readonly string[],
  options: ExportCommandOptions,
  io: CliIo,
  exporters: readonly Exporter[] = builtinExporters,
): number {
  if (options.self === true)
    return writeResult(selfResult(names, options, io), options, io, 'cronplane itself');
  for (const [key, flag] of selfOnlyOptions)
    if (options[key] !== undefined) {
      io.err(`error: ${flag} is an option of --self (cronplane's own deployment)`);
      return ExitCode.usage;
    }
  const exporter = exporters.find((candidate) => candidate.format === options.to);
  if (exporter === undefined) {
    io.err(`cronplane export: --to ${options.to} is planned and not in this build yet`);
    return ExitCode.usage;
  }
  let configPath: string;
  let config: ResolvedConfig;
  let channels: Readonly<Record<string, unknown>>;
  try {
    configPath = findConfigFile({ flag: options.config, env: io.env, cwd: io.cwd });
    config = readConfig(path.resolve(io.cwd, configPath), { env: io.env, kinds: builtinKinds });
    channels = channelsAsWritten(path.resolve(io.cwd, configPath));
  } catch (thrown) {
    return reportError(thrown, io);
  }
  const unknown = names.filter((name) => !config.jobs.some((job) => job.name === name));
  if (unknown.length > 0) {
    io.err(
      `error: ${configPath} has no job ${unknown.join(', ')}; its jobs: ${config.jobs.map((job) => job.name).join(', ')}`,
    );
    return ExitCode.failure;
  }
  const jobs = names.length === 0 ? config.jobs : config.jobs.filter((job) => names.includes(job.name));
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  return writeResult(
    exporter.exportJobs(jobs, { configPath, channels }),
    options,
    io,
    `${count(jobs.length, 'job')} as ${exporter.format}`,
  );
}

/** The files of `--self`, or the exit code of its refusal. */
function selfResult(
  names: readonly string[],
  options: ExportCommandOptions,
  io: CliIo,
): ExportResult | number {
  try {
    return exportSelf(options, names, io);
  } catch (thrown) {
    return reportError(thrown, io);
  }
}

/** Writes the files (into -o DIR or standard output) and the warnings; `what` names the export in the summary. */
function writeResult(
  result: ExportResult | number,
  options: ExportCommandOptions,
  io: CliIo,
  what: string,
): number {
  if (typeof result === 'number') return result;
  if (options.output !== undefined) {
    const written = writeFiles(result, path.resolve(io.cwd, options.output), io);
    if (written === undefined) return ExitCode.failure;
  }
  if (options.json) {
    io.out(JSON.stringify({ files: result.files, warnings: result.warnings }, null, 2));
    return ExitCode.ok;
  }
  if (options.output === undefined)
    for (const file of result.files) io.out(`# --- ${file.path}\n${file.text.trimEnd()}`);
  for (const warning of result.warnings)
    io.err(
      `${warning.job ?? (options.self === true ? 'cronplane' : '(all jobs)')}: ${warning.message} (${warning.action})`,
    );
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  io.err(
    `${options.output ?? 'exported'}: ${what}, ` +
      `${count(result.files.length, 'file')}, ${count(result.warnings.length, 'warning')}`,
  );
  return ExitCode.ok;
}

/**
 * The job file's `channels:` as written, `${VAR}` references unresolved: the monitors file an
 * exporter writes copies them, and a secret's value must never be written out.
 */
function channelsAsWritten(file: string): Readonly<Record<string, unknown>> {
  const parsed: unknown = parse(readFileSync(file, 'utf8'));
  const channels = (parsed as { channels?: unknown } | null)?.channels;
  return channels !== null && typeof channels === 'object' ? (channels as Record<string, unknown>) : {};
}

/** Writes every file inside `folder`; refuses a path that leads out of it. Undefined after an error. */
function writeFiles(result: ExportResult, folder: string, io: CliIo): true | undefined {
  const targets: [string, string][] = [];
  for (const file of result.files) {
    const target = path.resolve(folder, file.path);
    const inside = path.relative(folder, target);
    if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
      io.err(`error: the exporter named ${file.path}, which is outside ${folder}; nothing was written`);
      return undefined;
    }
    targets.push([target, file.text]);
  }
  try {
    for (const [target, text] of targets) {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  } catch (thrown) {
    io.err(`error: cannot write into ${folder}: ${coerceError(thrown).message}`);
    return undefined;
  }
  return true;
}
