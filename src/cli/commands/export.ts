import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { findConfigFile, readConfig } from '../../config/index.ts';
import type { ResolvedConfig, ResolvedJob } from '../../config/index.ts';
import { resolveApiJobs } from '../../control/index.ts';
import type { ResolvedApiJobs } from '../../control/index.ts';
import { coerceError } from '../../errors/index.ts';
import type { ExportResult, ExportWarning, Exporter } from '../../interop/index.ts';
import { exporters as builtinExporters } from '../../interop/index.ts';
import { builtinKinds } from '../../kinds/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportError } from '../report-error.ts';
import { reportFailure } from '../report-failure.ts';
import { storeIsAbsent } from '../local-store.ts';
import { daemonOf, withControl } from '../with-control.ts';
import type { ControlCommandOptions } from '../with-control.ts';
import type { SelfExportOptions } from './export-self.ts';
import { exportSelf, selfOnlyOptions } from './export-self.ts';

export interface ExportCommandOptions extends SelfExportOptions, ControlCommandOptions {
  readonly to: string;
  readonly output?: string;
  readonly json: boolean;
  readonly config?: string;
  /** Write cronplane's own deployment (a systemd unit, Kubernetes manifests) instead of jobs. */
  readonly self?: boolean;
  /** Leave out the jobs defined through the API: the job file's only. */
  readonly fileOnly?: boolean;
}

/**
 * `cronplane export`: reads the job file as every command does and the jobs defined through the
 * API (from the store, or a daemon's API with --server / CRONPLANE_SERVER, through Control;
 * unless --file-only), resolves those against the file as a daemon on it does, gives the jobs
 * asked for (all by default) to the exporter of `--to`, and writes its files into `-o DIR`
 * (created; a file is replaced, nothing outside the folder is written) or to standard output,
 * each after a `# --- PATH` line. An API job that does not resolve is left out with a warning.
 * Warnings go to standard error as `job: message (action)`; `--json` prints {files, warnings}.
 * Exit 1 for an unknown job, a store or daemon that cannot be read or a file that cannot be
 * written, 2 for a broken job file, a refusal or a format not in this build. `--self` writes
 * cronplane's own deployment instead (export-self.ts).
 */
export async function runExport(
  names: readonly string[],
  options: ExportCommandOptions,
  io: CliIo,
  exporters: readonly Exporter[] = builtinExporters,
): Promise<number> {
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
    config = readConfig(
      path.resolve(io.cwd, configPath),
      { env: io.env, kinds: builtinKinds },
      { jobsBeyond: 'api' },
    );
    channels = channelsAsWritten(path.resolve(io.cwd, configPath));
  } catch (thrown) {
    return reportError(thrown, io);
  }
  let apiJobs: ResolvedApiJobs;
  try {
    apiJobs = await readApiJobs(options, io, config);
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
  const every: ResolvedJob[] = [...config.jobs, ...apiJobs.inForce.map((entry) => entry.job)];
  const unknown = names.filter((name) => !every.some((job) => job.name === name));
  if (unknown.length > 0) {
    io.err(
      `error: no job ${unknown.join(', ')} in ${configPath} or defined through the API; the jobs: ${every.map((job) => job.name).join(', ')}`,
    );
    return ExitCode.failure;
  }
  const jobs = names.length === 0 ? every : every.filter((job) => names.includes(job.name));
  const leftOut: ExportWarning[] = apiJobs.leftOut
    .filter((job) => names.length === 0 || names.includes(job.name))
    .map((job) => ({
      job: job.name,
      message: `API job (version ${job.version}): ${job.reason}`,
      action: 'left out of the export',
    }));
  const result = exporter.exportJobs(jobs, { configPath, channels });
  const fromApi = jobs.length - jobs.filter((job) => config.jobs.includes(job)).length;
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  return writeResult(
    { files: result.files, warnings: [...leftOut, ...result.warnings] },
    options,
    io,
    `${count(jobs.length, 'job')}${fromApi === 0 ? '' : ` (${fromApi} defined through the API)`} as ${exporter.format}`,
  );
}

/**
 * The jobs defined through the API, resolved against the job file: from the store, or a daemon's
 * API when one is named (`withControl` chooses, as for `cronplane jobs`). None with --file-only,
 * or when the store is a SQLite file not created yet (it is not created for an export).
 */
async function readApiJobs(
  options: ExportCommandOptions,
  io: CliIo,
  config: ResolvedConfig,
): Promise<ResolvedApiJobs> {
  const none: ResolvedApiJobs = { inForce: [], leftOut: [] };
  if (options.fileOnly === true) return none;
  if (daemonOf(options, io, 'store') === undefined && storeIsAbsent(options, io, config)) return none;
  const entries = await withControl(options, io, { fallback: 'store' }, (control) =>
    control.listApiJobEntries(),
  );
  return resolveApiJobs(entries, config.loaded, config.jobs);
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
