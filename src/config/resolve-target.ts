import path from 'node:path';
import { checkBodyPlaceholders, checkCommandPlaceholders } from './check-placeholder-contexts.ts';
import type { Report } from './config-problems.ts';
import type { JobEntry } from './job-file-schema.ts';
import type { JobTarget } from './resolved-config.ts';
import type { MaybeSecret } from './secret.ts';
import { Secret } from './secret.ts';
import { jobDefaults } from './job-defaults.ts';
import { splitCommand } from './split-command.ts';

/** What a job runs (`run`, `http` or `module`), resolved; undefined when it names none. */
export function resolveTarget(
  entry: JobEntry,
  baseDir: string,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  report: Report,
  checkPlaceholders: (text: string, fieldPath: readonly PropertyKey[]) => void,
  isKnown: (name: string) => boolean,
): JobTarget | undefined {
  if (entry.run !== undefined) {
    const command = splitCommand(entry.run, entry.shell ?? jobDefaults.shell, at('run'), report);
    // Placeholders are checked in the text as written, so a problem points at its column.
    if (typeof entry.run === 'string') checkPlaceholders(entry.run, at('run'));
    else entry.run.forEach((arg, index) => checkPlaceholders(arg, at('run', index)));
    checkCommandPlaceholders(entry.run, command, at('run'), isKnown, report);
    return { kind: 'command', ...command };
  }
  if (entry.http !== undefined) {
    const http = entry.http;
    checkPlaceholders(http.url, at('http', 'url'));
    if (!/^https?:\/\//.test(http.url)) {
      report(at('http', 'url'), `expected an http:// or https:// URL, got ${JSON.stringify(http.url)}`);
    }
    const headers: Record<string, MaybeSecret> = {};
    for (const [key, value] of Object.entries(http.headers ?? {})) {
      headers[key] = typeof value === 'string' ? value : new Secret(value.secret);
      if (typeof value === 'string') checkPlaceholders(value, at('http', 'headers', key));
    }
    const body =
      http.body === undefined
        ? undefined
        : typeof http.body === 'string'
          ? http.body
          : JSON.stringify(http.body);
    // An object body is JSON with every placeholder inside a string; a string body is checked.
    if (typeof http.body === 'string') {
      checkBodyPlaceholders(http.body, headers, at('http', 'body'), isKnown, report);
    }
    return {
      kind: 'http',
      method: http.method ?? (body === undefined ? 'GET' : 'POST'),
      url: http.url,
      headers,
      bearer: http.bearer,
      body,
      expectStatus: http.expect_status,
      metricsField: http.metrics_field,
    };
  }
  if (entry.module !== undefined) {
    return {
      kind: 'module',
      path: path.resolve(baseDir, entry.module.path),
      exportName: entry.module.export ?? 'default',
    };
  }
  return undefined;
}
