/** The last `limit` bytes of a command's output, as it streams by. */
export class OutputTail {
  readonly #limit: number;
  #chunks: Buffer[] = [];
  #bytes = 0;
  #dropped = false;

  constructor(limit: number) {
    this.#limit = limit;
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#bytes - (this.#chunks[0]?.length ?? 0) >= this.#limit && this.#chunks.length > 1) {
      this.#bytes -= this.#chunks.shift()?.length ?? 0;
      this.#dropped = true;
    }
  }

  /** The kept output as text; true in `cut` when earlier output was dropped. */
  read(): { readonly text: string; readonly cut: boolean } {
    const all = Buffer.concat(this.#chunks);
    const kept = all.length > this.#limit ? all.subarray(all.length - this.#limit) : all;
    return { text: new TextDecoder().decode(kept), cut: this.#dropped || all.length > this.#limit };
  }
}
