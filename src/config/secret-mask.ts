import { Secret } from './secret.ts';

/**
 * Secret values shorter than this are never masked, wherever they appear: replacing every `UTC`
 * or `info` would garble output and hide nothing, and values that short are not credentials.
 */
export const minSecretLength = 8;

/**
 * The one masker of cronplane: replaces secret values in text with `***`, the longest first (so
 * one inside another goes too), also as they appear inside a JSON string. `redact` masks a
 * whole text, `redactJson` every string of a JSON value, and `stream()` text that arrives in
 * chunks (run output), holding back the end of a chunk while it could be the start of a secret.
 */
export class SecretMask {
  readonly #secrets: readonly string[];

  private constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  /** A mask for these values; those under `minSecretLength` characters are left out. */
  static of(values: Iterable<string>): SecretMask {
    const secrets = new Set<string>();
    for (const value of values) {
      if (value.length < minSecretLength) continue;
      secrets.add(value);
      // As it appears inside a JSON string (a log line, an API answer, a stored detail).
      const escaped = JSON.stringify(value).slice(1, -1);
      if (escaped !== value) secrets.add(escaped);
    }
    return new SecretMask([...secrets].sort((a, b) => b.length - a.length));
  }

  /** A mask that masks nothing. */
  static readonly none: SecretMask = new SecretMask([]);

  /** This mask and another's values together. */
  and(other: SecretMask): SecretMask {
    if (other.empty) return this;
    if (this.empty) return other;
    return SecretMask.of([...this.#secrets, ...other.#secrets]);
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

  /** A copy of a JSON-like value with every string (not the keys) masked. */
  redactJson<T>(value: T): T {
    if (this.empty) return value;
    const visit = (node: unknown): unknown => {
      if (typeof node === 'string') return this.redact(node);
      if (Array.isArray(node)) return node.map(visit);
      if (node === null || typeof node !== 'object') return node;
      const copy: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(node)) copy[key] = visit(entry);
      return copy;
    };
    return visit(value) as T;
  }

  stream(): MaskStream {
    return new MaskStream(this, this.#secrets);
  }
}

/** One stream's masking state: text held back because it may begin a secret. */
export class MaskStream {
  readonly #mask: SecretMask;
  readonly #secrets: readonly string[];
  #held = '';

  constructor(mask: SecretMask, secrets: readonly string[]) {
    this.#mask = mask;
    this.#secrets = secrets;
  }

  /** The masked text that can be shown now. */
  push(text: string): string {
    const pending = this.#held + text;
    let cut = pending.length - this.#heldSuffix(pending);
    // A whole secret that straddles the cut is shown (masked) now rather than split.
    let moved = true;
    while (moved) {
      moved = false;
      for (const secret of this.#secrets) {
        const at = pending.indexOf(secret, Math.max(0, cut - secret.length + 1));
        if (at !== -1 && at < cut && at + secret.length > cut) {
          cut = at + secret.length;
          moved = true;
        }
      }
    }
    this.#held = pending.slice(cut);
    return this.#mask.redact(pending.slice(0, cut));
  }

  /** Whatever is still held, masked. */
  end(): string {
    const rest = this.#held;
    this.#held = '';
    return this.#mask.redact(rest);
  }

  /** Length of the longest end of `text` that is the start (not the whole) of a secret. */
  #heldSuffix(text: string): number {
    let longest = 0;
    for (const secret of this.#secrets) {
      for (let length = Math.min(secret.length - 1, text.length); length > longest; length--) {
        if (text.endsWith(secret.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
