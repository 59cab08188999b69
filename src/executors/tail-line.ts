const keepChars = 2048;
const maxLineChars = 200;

/** The last non-blank line of a small text stream (a skip condition's reason), bounded. */
export class TailLine {
  #tail = '';

  push(chunk: Buffer | string): void {
    this.#tail = (this.#tail + chunk.toString()).slice(-keepChars);
  }

  get value(): string | undefined {
    const lines = this.#tail.split('\n').map((line) => line.trim());
    const last = lines.findLast((line) => line !== '');
    if (last === undefined) return undefined;
    return last.length > maxLineChars ? `${last.slice(0, maxLineChars)}…` : last;
  }
}
