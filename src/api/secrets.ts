import { Secret } from '../config/index.ts';
import { minMaskedSecretLength } from '../executors/index.ts';

/**
 * Every secret value in a configuration (env values marked secret, bearer tokens, secret
 * headers, channel keys): walks objects, arrays and maps for `Secret`s and reveals them, so the
 * API can make sure none of them leaves in an answer.
 */
export function collectSecrets(value: unknown): string[] {
  const found = new Set<string>();
  const seen = new WeakSet<object>();
  const visit = (node: unknown, depth: number): void => {
    if (depth > 20 || node === null || typeof node !== 'object') return;
    if (node instanceof Secret) {
      found.add(node.reveal());
      return;
    }
    if (seen.has(node)) return;
    seen.add(node);
    if (node instanceof Map) {
      for (const entry of node.values()) visit(entry, depth + 1);
      return;
    }
    for (const entry of Object.values(node)) visit(entry, depth + 1);
  };
  visit(value, 0);
  return [...found];
}

/** Replaces secret values in text with `***` (the longest first, so one inside another goes too). */
export class SecretRedactor {
  readonly #secrets: readonly string[];

  constructor(values: Iterable<string>) {
    const secrets = new Set<string>();
    for (const value of values) {
      if (value.length < minMaskedSecretLength) continue;
      secrets.add(value);
      // As it appears inside a JSON string.
      const escaped = JSON.stringify(value).slice(1, -1);
      if (escaped !== value) secrets.add(escaped);
    }
    this.#secrets = [...secrets].sort((a, b) => b.length - a.length);
  }

  get empty(): boolean {
    return this.#secrets.length === 0;
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.#secrets) {
      if (result.includes(secret)) result = result.replaceAll(secret, Secret.mask);
    }
    return result;
  }
}
