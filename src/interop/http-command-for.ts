import type { ResolvedJob } from '../config/index.ts';
import { Secret } from '../config/index.ts';
import type { HttpTarget } from '../executors/index.ts';
import { bodyContentType, defaultHttpTimeoutMs, describeBodyAssertion } from '../executors/index.ts';
import {
  bodyKind,
  contentTypeIn,
  placeholderPattern,
  quoteForShell,
  substituteBody,
  substituteHeader,
  substituteUrl,
} from '../placeholders/index.ts';
import type { SecretVariables } from './secret-variables.ts';

/** A reference to an environment variable inside a shell word: `"$NAME"`, never the value. */
export interface VariablePart {
  readonly variable: string;
}

/** One word of a command line: literal text and variable references, joined without space. */
export type ShellWord = string | readonly (string | VariablePart)[];

/** The curl command of one fan-out key of an HTTP job. */
export interface HttpCommand {
  readonly words: readonly ShellWord[];
  readonly params: Readonly<Record<string, string>>;
  /** Placeholders left as written: cronplane fills them per run, another platform cannot. */
  readonly unfilled: readonly string[];
}

export interface HttpCommands {
  readonly commands: readonly HttpCommand[];
  /** The environment variables the commands read their secrets from. */
  readonly variables: readonly string[];
  /** What curl does not do as cronplane's HTTP executor does: [message, action]. */
  readonly notes: readonly (readonly [string, string])[];
}

/**
 * An HTTP job as the `curl` command that makes the same request, for a platform that only runs
 * commands: the method, URL, headers (cronplane's `User-Agent` and the `Content-Type` the executor
 * adds to a body), body and `--max-time` from `timeout` (30 s, the HTTP executor's, when the job gives none); `--location` because fetch follows
 * redirects; `--fail-with-body` so a status of 400 or more fails the command and shows the answer;
 * `--globoff` so `{` `}` `[` `]` in a URL are sent as written; the body by `--data-raw`, so a
 * leading `@` names no file. A secret header or the bearer token
 * is a reference to an environment variable named by `secrets` (`"$CRON_SECRET"`), never its value.
 * Undefined for a job that is not an HTTP request.
 */
export function httpCommandsFor(job: ResolvedJob, secrets: SecretVariables): HttpCommands | undefined {
  if (job.target.kind !== 'http') return undefined;
  const target = job.target as HttpTarget;
  const variables = new Set<string>();
  const notes: [string, string][] = [];
  const secretWord = (prefix: string, secret: Secret, base: string): ShellWord => {
    const variable = secrets.nameFor(secret, base);
    variables.add(variable);
    return [prefix, { variable }];
  };

  const commands = job.fanOut.map((params): HttpCommand => {
    const words: ShellWord[] = ['curl', '--silent', '--show-error', '--fail-with-body', '--location'];
    words.push('--globoff');
    if (target.method === 'HEAD') words.push('--head');
    else if (!(target.method === 'GET' && target.body === undefined)) words.push('--request', target.method);
    // cronplane ends a request after 30 s when the job gives no timeout; curl would wait forever.
    words.push('--max-time', formatSeconds(job.timeoutMs ?? defaultHttpTimeoutMs));
    words.push('--user-agent', 'cronplane');
    for (const [name, value] of Object.entries(target.headers)) {
      words.push(
        '--header',
        value instanceof Secret
          ? secretWord(`${name}: `, value, `CRON_HEADER_${variablePart(name)}`)
          : `${name}: ${substituteHeader(name, value, params)}`,
      );
    }
    if (target.bearer !== undefined)
      words.push('--header', secretWord('Authorization: Bearer ', target.bearer, 'CRON_SECRET'));
    const contentType = contentTypeIn(target.headers);
    if (target.body !== undefined) {
      const body = substituteBody(target.body, bodyKind(target.body, contentType), params);
      if (contentType === undefined) words.push('--header', `Content-Type: ${bodyContentType(body)}`);
      words.push('--data-raw', body);
    }
    words.push('--url', asFetchSends(substituteUrl(target.url, params)));
    const unfilled = new Set<string>();
    for (const word of words)
      for (const part of typeof word === 'string' ? [word] : word)
        if (typeof part === 'string')
          for (const match of part.matchAll(new RegExp(placeholderPattern.source, 'g')))
            unfilled.add(match[1] ?? match[0]);
    return { words, params, unfilled: [...unfilled] };
  });

  if (variables.size > 0)
    notes.push([
      `the request holds a secret, read from ${[...variables].map((name) => `$${name}`).join(', ')}`,
      'the value is not written',
    ]);
  if (target.expectStatus !== undefined)
    notes.push([
      `expect_status ${target.expectStatus.join(', ')}: curl --fail-with-body fails on 400 and above only`,
      'any status below 400 counts as success',
    ]);
  if (target.expectBody.length > 0)
    notes.push([
      `expect_body (${target.expectBody.map(describeBodyAssertion).join('; ')}): curl cannot check the response body`,
      'left out: any answer with a status below 400 counts as success, whatever its body says',
    ]);
  if (target.metricsField !== undefined || job.metrics.from === 'http_json')
    notes.push([
      'metrics from the JSON answer',
      'left out: curl prints the answer, nobody reads the metrics',
    ]);
  return { commands, variables: [...variables], notes };
}

/** A word for `/bin/sh`: literal parts quoted by `quote`, each variable as `"$NAME"`. */
export function shellWordText(word: ShellWord, quote: (text: string) => string = quoteForShell): string {
  if (typeof word === 'string') return quote(word);
  return word
    .map((part) => (typeof part === 'string' ? (part === '' ? '' : quote(part)) : `"$${part.variable}"`))
    .join('');
}

/** The URL as fetch sends it (WHATWG URL: a space as %20 ...), which curl would refuse; as written while a placeholder is left. */
function asFetchSends(url: string): string {
  if (new RegExp(placeholderPattern.source).test(url)) return url;
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

function variablePart(header: string): string {
  return header.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

function formatSeconds(ms: number): string {
  return String(Math.max(0.001, ms / 1000));
}
