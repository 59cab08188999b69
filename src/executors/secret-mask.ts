/** What a secret value is replaced with in output and errors (as `Secret` prints). */
export const secretMask = '***';

/**
 * Replaces secret values in text with `***`: in error messages at once, and in streamed output
 * through `stream()`, which holds back the end of a chunk while it could be the start of a
 * secret, so a secret split across two chunks is still masked.
 */
export class SecretMask {
  readonly #secrets: readonly string[];

  private constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  /** Undefined when there is nothing to mask, so callers skip the work. */
  static of(values: Iterable<string>, minLength = 1): SecretMask | undefined {
    const secrets = [...new Set(values)].filter((value) => value.length >= Math.max(1, minLength));
    if (secrets.length === 0) return undefined;
    secrets.sort((a, b) => b.length - a.length);
    return new SecretMask(secrets);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.#secrets) {
      if (result.includes(secret)) result = result.replaceAll(secret, secretMask);
    }
    return result;
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
