import type { ChannelKindSchema } from './job-file-kinds.ts';
import type { ChannelEntry } from './job-file-schema.ts';
import type { ResolvedConfig } from './resolved-config.ts';
import { Secret } from './secret.ts';

/**
 * Every secret value of a resolved job file, in the forms it could appear in: env values marked
 * secret (the top-level env_file's among them), what each job's executor kind says is secret (an
 * HTTP job's bearer token and secret headers), every channel's keys and URLs (the generic
 * webhook's URL too: its path or query often carries a token). The one place that says what a
 * configuration's secrets are; `SecretMask.of` masks them.
 */
export function configSecrets(config: ResolvedConfig): string[] {
  const found = new Set(collectSecrets(config));
  for (const entry of config.channels.values()) {
    for (const value of channelEntrySecrets(entry, config.kinds.channels)) found.add(value);
  }
  for (const job of config.jobs) {
    const kind = config.kinds.executors.find((candidate) => candidate.kind === job.target.kind);
    for (const value of kind?.secrets(job.target) ?? []) found.add(value);
  }
  return [...found];
}

/** A declared channel's secrets, as its kind says (every kind's rule is in its own file). */
export function channelEntrySecrets(entry: ChannelEntry, kinds: readonly ChannelKindSchema[]): string[] {
  const found: string[] = [];
  for (const kind of kinds) {
    if (Object.hasOwn(entry, kind.kind)) found.push(...kind.secrets(entry[kind.kind]));
  }
  return found;
}

/**
 * The `Secret`s found walking objects, arrays and maps, revealed, each with its URL parts when
 * it is a URL (a webhook's path, an SMTP password, decoded too): a receiver's error or a
 * library's message may show a part without the whole.
 */
export function collectSecrets(value: unknown): string[] {
  const found = new Set<string>();
  const seen = new WeakSet<object>();
  const visit = (node: unknown, depth: number): void => {
    if (depth > 20 || node === null || typeof node !== 'object') return;
    if (node instanceof Secret) {
      for (const form of urlForms(node.reveal())) found.add(form);
      return;
    }
    if (seen.has(node)) return;
    seen.add(node);
    const entries = node instanceof Map ? node.values() : Object.values(node);
    for (const entry of entries) visit(entry, depth + 1);
  };
  visit(value, 0);
  return [...found];
}

/**
 * The text itself, and when it is a URL: its path when a segment of it looks like a token (a
 * digit in it, or 16 characters or more: Slack's, Discord's and Teams' webhook tokens) and its
 * last segment when that one does, its query and each query value, its password and
 * `user:password`. A path of plain words (`/cronplane`, `/alerts/ops`) is not masked on its
 * own: it would mask those words in every alert and log line.
 */
export function urlForms(text: string): string[] {
  const forms = [text];
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return forms;
  }
  const segments = url.pathname.split('/').map(safeDecode);
  if (segments.some(looksLikeToken)) forms.push(url.pathname, url.pathname.slice(1));
  const last = segments.at(-1) ?? '';
  if (looksLikeToken(last)) forms.push(last);
  if (url.search !== '') forms.push(url.search, url.search.slice(1), ...url.searchParams.values());
  if (url.password !== '') {
    forms.push(url.password, safeDecode(url.password), `${url.username}:${url.password}`);
  }
  return forms;
}

function looksLikeToken(segment: string): boolean {
  return /[0-9]/.test(segment) || segment.length >= 16;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
