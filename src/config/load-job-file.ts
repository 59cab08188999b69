import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node as YamlNode, Scalar } from 'yaml';
import { coerceError } from '../errors/index.ts';
import type { ConfigProblem } from './config-problems.ts';
import { ConfigError, pathToString } from './config-problems.ts';
import { checkAliases } from './check-aliases.ts';
import { describeIssues } from './describe-issues.ts';
import type { JobFileKinds } from './job-file-kinds.ts';
import { parseJobFile } from './parse-job-file.ts';
import type { JobFile } from './job-file-schema.ts';
import { parseEnvFile } from './parse-env-file.ts';
import { readPlainYaml } from './read-plain-yaml.ts';
import { substituteEnv } from './substitute-env.ts';
import { yamlSlipHint } from './yaml-slip-hint.ts';

/** A job file read, substituted and validated, with what is needed to locate later problems. */
export interface LoadedJobFile {
  /** The path as the caller gave it (used in messages). */
  readonly file: string;
  /** The folder relative paths in the file are resolved against. */
  readonly baseDir: string;
  readonly jobFile: JobFile;
  /** Variables read from the top-level env_file(s), passed to every job's environment. */
  readonly fileEnv: ReadonlyMap<string, string>;
  /** Finds the line and column of a field path, for problems found after validation. */
  readonly locate: (fieldPath: readonly PropertyKey[], offset?: number) => { line: number; column: number };
  /** The channel and executor kinds the file was validated with. */
  readonly kinds: JobFileKinds;
  /**
   * `${VAR}` references left as written because VAR is not set (read with `unsetVariables:
   * 'leave'`), each located with its field path: those values are unusable.
   */
  readonly unresolved: readonly ConfigProblem[];
}

export interface LoadOptions {
  /** The process environment; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The kinds a channel may be (`builtinKinds` from src/kinds, or those plus a test's own). */
  readonly kinds: JobFileKinds;
  /**
   * What an unset `${VAR}` without a default is: `refuse` (the default) makes it a problem;
   * `leave` keeps the reference as written and lists it in `unresolved`, for the commands that
   * read the file without running its jobs or sending anything (`token`, `next`, `runs`, ...),
   * so they do not demand every secret of the file.
   */
  readonly unsetVariables?: 'refuse' | 'leave';
  /**
   * The folder a relative `file` is read from, and its relative paths resolved against (the
   * command's working folder); default the process's. Messages still name `file` as given.
   */
  readonly cwd?: string;
}

/**
 * Reads a job file (YAML, or JSON, which YAML reads too), substitutes `${VAR}` references from
 * the environment and the top-level env_file, and validates it. Throws a ConfigError listing
 * every problem with file:line:column and field path; changes nothing anywhere.
 */
export function loadJobFile(file: string, options: LoadOptions): LoadedJobFile {
  const env = options.env ?? process.env;
  const where = path.resolve(options.cwd ?? process.cwd(), file);
  if (!existsSync(where)) {
    throw new ConfigError([
      {
        file,
        line: 0,
        column: 0,
        path: '',
        message: 'no such file (give one with --config or CRONPLANE_CONFIG)',
      },
    ]);
  }
  let text: string;
  try {
    text = readFileSync(where, 'utf8');
  } catch (thrown) {
    throw new ConfigError([{ file, line: 0, column: 0, path: '', message: coerceError(thrown).message }]);
  }
  return loadJobFileText(text, file, { ...options, env });
}

export function loadJobFileText(text: string, file: string, options: LoadOptions): LoadedJobFile {
  const env = options.env ?? process.env;
  // Lines are counted only when a problem is located (most reads locate none).
  let lineCounter: LineCounter | undefined;
  const at = (offset: number) => {
    lineCounter ??= countLines(text);
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  };
  // The document of a large file is several times the size of the data read from it (with
  // 100,000 jobs, hundreds of megabytes that every collection walks): it is let go once the data
  // is built, and the text parsed again only to locate a problem found later. Substitution
  // changes values, never keys or offsets, so the text as written locates as well.
  const held: { document: Document | undefined } = { document: undefined };
  const documentOf = (): Document =>
    (held.document ??= parseDocument(text, { prettyErrors: false, uniqueKeys: false }));
  const locate = (fieldPath: readonly PropertyKey[], offset?: number) => {
    const node = nodeAt(documentOf(), fieldPath);
    // An offset counts characters of the value; a quoted scalar's value starts after its quote.
    const quote =
      isScalar(node) &&
      (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') &&
      offset !== undefined;
    return at((node?.range?.[0] ?? 0) + (offset ?? 0) + (quote ? 1 : 0));
  };
  const baseDir = path.dirname(path.resolve(options.cwd ?? process.cwd(), file));
  const problems: ConfigProblem[] = [];
  const unresolved: ConfigProblem[] = [];
  const { data, fileEnv } = readData(text, {
    file,
    baseDir,
    env,
    at,
    locate,
    held,
    problems,
    unset: options.unsetVariables === 'leave' ? unresolved : problems,
  });
  held.document = undefined;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push({
      file,
      line: 1,
      column: 1,
      path: '',
      message: 'expected a mapping with version: 1 and jobs:',
    });
    throw new ConfigError(problems);
  }
  const parsed = parseJobFile(data, options.kinds);
  if (!parsed.success) {
    for (const report of describeIssues(parsed.error.issues, data)) {
      // A value left as `${VAR}` is not what the schema wants: the unset variable is the problem.
      const left = unresolved.find((entry) => isUnder(pathToString(report.path), entry.path));
      if (left !== undefined) {
        if (!problems.includes(left)) problems.push(left);
        continue;
      }
      const place =
        report.key === undefined
          ? locate(report.path)
          : (locateKey(documentOf(), report.path, at) ?? locate(report.path));
      const slip = flowPlaceholderAt(documentOf(), report.path);
      const message =
        slip === undefined
          ? report.message
          : `${report.message} (YAML reads an unquoted ${slip} as a mapping: write "${slip}")`;
      problems.push({ file, ...place, path: pathToString(report.path), message });
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(sortProblems(problems));
  return { file, baseDir, jobFile: parsed.data, fileEnv, locate, kinds: options.kinds, unresolved };
}

interface ReadContext {
  readonly file: string;
  readonly baseDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly at: (offset: number) => { line: number; column: number };
  readonly locate: LoadedJobFile['locate'];
  /** Where the parsed document is kept while it is needed (`locate` reads it from there). */
  readonly held: { document: Document | undefined };
  readonly problems: ConfigProblem[];
  /** Where unset variables go (`problems`, or the unresolved list). */
  readonly unset: ConfigProblem[];
}

/**
 * Parses the text, checks keys and aliases, reads the top-level env_file(s) and substitutes
 * `${VAR}`: the data as plain values. Throws on a YAML error, a duplicate key or an alias that
 * expands too far; other problems are added to the context's lists.
 */
function readData(text: string, context: ReadContext): { data: unknown; fileEnv: Map<string, string> } {
  const { file, at, problems } = context;
  // Most files read without a document of positions (read-plain-yaml.ts says when not); the
  // document is then built only if a problem must be located.
  const plain = readPlainYaml(text);
  if (plain !== undefined) {
    const envFiles =
      plain !== null && typeof plain === 'object' && 'env_file' in plain ? plain.env_file : undefined;
    const fileEnv = readTopLevelEnvFiles(
      envFiles,
      file,
      context.baseDir,
      context.env,
      context.locate,
      problems,
    );
    return { data: plain, fileEnv };
  }
  // Duplicate keys are found below in one pass; the parser's own check is quadratic in map size.
  const document = parseDocument(text, {
    prettyErrors: false,
    uniqueKeys: false,
  });
  context.held.document = document;

  // One YAML mistake makes the parser misread what follows (an unquoted `{job}` in a flow map
  // gave 155 errors): the first is the one to fix, with a hint when it is a known slip.
  const yamlError = document.errors[0];
  if (yamlError !== undefined) {
    const place = at(yamlError.pos[0]);
    const hint = yamlSlipHint(text, yamlError.pos[0]);
    throw new ConfigError([
      {
        file,
        ...place,
        path: '',
        message: `YAML: ${firstLine(yamlError.message)}${hint === undefined ? '' : `; ${hint}`}`,
      },
    ]);
  }
  visit(document, {
    Map(_key, map, ancestors) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (!seen.has(key)) {
          seen.add(key);
          continue;
        }
        const place = at(isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0);
        const fieldPath = [...fieldPathOf([...ancestors, map], null), String(key)];
        problems.push({
          file,
          ...place,
          path: pathToString(fieldPath),
          message: `duplicate key "${String(key)}"`,
        });
      }
    },
  });
  const aliasProblem = problems.length > 0 ? undefined : checkAliases(document);
  if (aliasProblem !== undefined) {
    problems.push({ file, ...at(aliasProblem.offset), path: '', message: aliasProblem.message });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const { env } = context;
  const envFiles: unknown = document.getIn(['env_file']);
  const fileEnv = readTopLevelEnvFiles(envFiles, file, context.baseDir, env, context.locate, problems);
  const lookup = (name: string) => env[name] ?? fileEnv.get(name);
  substituteDocument(document, lookup, file, at, problems, context.unset);

  // checkAliases bounded what aliases expand to; the parser's own count would refuse a file
  // that merges one `<<: *defaults` into more than 100 jobs.
  return { data: document.toJS({ maxAliasCount: -1 }), fileEnv };
}

function readTopLevelEnvFiles(
  value: unknown,
  file: string,
  baseDir: string,
  env: Readonly<Record<string, string | undefined>>,
  locate: LoadedJobFile['locate'],
  problems: ConfigProblem[],
): Map<string, string> {
  const merged = new Map<string, string>();
  const entries = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  entries.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string') return;
    const fieldPath = typeof value === 'string' ? ['env_file'] : ['env_file', index];
    const substituted = substituteEnv(entry, (name) => env[name]);
    for (const problem of substituted.problems) {
      problems.push({ file, ...locate(fieldPath), path: pathToString(fieldPath), message: problem.message });
    }
    const optional = substituted.value.startsWith('-');
    const target = path.resolve(baseDir, optional ? substituted.value.slice(1) : substituted.value);
    if (!existsSync(target)) {
      if (!optional) {
        problems.push({
          file,
          ...locate(fieldPath),
          path: pathToString(fieldPath),
          message: `env file ${target} does not exist (prefix the path with "-" to make it optional)`,
        });
      }
      return;
    }
    try {
      for (const [key, item] of parseEnvFile(readFileSync(target, 'utf8'), target)) merged.set(key, item);
    } catch (thrown) {
      problems.push({
        file,
        ...locate(fieldPath),
        path: pathToString(fieldPath),
        message: coerceError(thrown).message,
      });
    }
  });
  return merged;
}

/** Replaces `${VAR}` in every string value (never in keys), recording located problems. */
function substituteDocument(
  document: Document,
  lookup: (name: string) => string | undefined,
  file: string,
  at: (offset: number) => { line: number; column: number },
  problems: ConfigProblem[],
  unset: ConfigProblem[],
): void {
  visit(document, {
    Scalar(key, scalar, ancestors) {
      // Keys are names, not values: `${VAR}` is replaced only in values and list items. A value
      // without `$` is left as it is (most of a large file): its field path is not worked out.
      if (key !== 'key' && typeof scalar.value === 'string' && scalar.value.includes('$'))
        substituteScalar(scalar, () => fieldPathOf(ancestors, key));
    },
  });

  function substituteScalar(scalar: Scalar, fieldPath: () => readonly PropertyKey[]) {
    if (typeof scalar.value !== 'string') return;
    const result = substituteEnv(scalar.value, lookup);
    const quoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE' ? 1 : 0;
    for (const problem of result.problems) {
      const start = (scalar.range?.[0] ?? 0) + quoted + problem.offset;
      const located = { file, ...at(start), path: pathToString(fieldPath()), message: problem.message };
      (problem.unset === undefined ? problems : unset).push(located);
    }
    // An unquoted value is typed after substitution, as if the text had been written there:
    // `attempts: ${RETRIES}` is a number, `attempts: "${RETRIES}"` stays a string.
    if (quoted === 0 && result.used.length > 0 && result.problems.length === 0) {
      scalar.value = typedPlainScalar(result.value);
    } else {
      scalar.value = result.value;
    }
  }
}

/** The field path of a node from the ancestors `visit` reports. */
function fieldPathOf(ancestors: readonly unknown[], key: number | 'key' | 'value' | null): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let index = 0; index < ancestors.length; index++) {
    const ancestor = ancestors[index];
    const child = index + 1 < ancestors.length ? ancestors[index + 1] : undefined;
    if (isPair(ancestor) && isScalar(ancestor.key)) path.push(String(ancestor.key.value));
    if (isSeq(ancestor) && child !== undefined) path.push(ancestor.items.indexOf(child as never));
  }
  const last = ancestors[ancestors.length - 1];
  if (isSeq(last) && typeof key === 'number') path.push(key);
  return path;
}

function typedPlainScalar(text: string): unknown {
  if (/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(text.trim())) return Number(text);
  if (/^(?:true|false)$/i.test(text.trim())) return text.trim().toLowerCase() === 'true';
  return text;
}

/** `{name}` when the node at a field path is an unquoted placeholder that YAML read as `{ name: null }`. */
function flowPlaceholderAt(document: Document, fieldPath: readonly PropertyKey[]): string | undefined {
  const node = document.getIn(fieldPath as unknown[], true);
  if (!isMap(node) || node.flow !== true || node.items.length !== 1) return undefined;
  const pair = node.items[0];
  if (!isPair(pair) || !isScalar(pair.key) || pair.value !== null) return undefined;
  const name = String(pair.key.value);
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `{${name}}` : undefined;
}

function nodeAt(document: Document, fieldPath: readonly PropertyKey[]): YamlNode | undefined {
  for (let length = fieldPath.length; length >= 0; length--) {
    const node = document.getIn(fieldPath.slice(0, length) as unknown[], true) as YamlNode | undefined;
    if (node !== undefined && node !== null && typeof node === 'object' && 'range' in node) return node;
  }
  return document.contents ?? undefined;
}

function locateKey(
  document: Document,
  fieldPath: readonly PropertyKey[],
  at: (offset: number) => { line: number; column: number },
): { line: number; column: number } | undefined {
  const parent = document.getIn(fieldPath.slice(0, -1) as unknown[], true);
  const key = fieldPath[fieldPath.length - 1];
  if (!isMap(parent)) return undefined;
  for (const pair of parent.items) {
    if (isPair(pair) && isScalar(pair.key) && pair.key.value === key && pair.key.range)
      return at(pair.key.range[0]);
  }
  return undefined;
}

/** The line starts of a text, as the parser would have counted them. */
function countLines(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    counter.addNewLine(index + 1);
  }
  return counter;
}

/** Whether a field path (as text) is `under` or inside it. */
export function isUnder(fieldPath: string, under: string): boolean {
  return (
    fieldPath === under ||
    under === '' ||
    fieldPath.startsWith(`${under}.`) ||
    fieldPath.startsWith(`${under}[`)
  );
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
