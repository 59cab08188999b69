/**
 * A binary min-heap of (time, key): the scheduler keeps one entry per job at its next fire, so
 * finding what is due is O(1) and re-arming a job O(log n), whatever the number of jobs.
 * A key appears at most once; pushing it again moves it.
 */
export class TimerHeap<K> {
  #times: number[] = [];
  #keys: K[] = [];
  readonly #index = new Map<K, number>();
  /** Off while `reset` orders the arrays; its index is built after. */
  #indexing = true;

  get size(): number {
    return this.#keys.length;
  }

  peekTime(): number | undefined {
    return this.#times[0];
  }

  peekKey(): K | undefined {
    return this.#keys[0];
  }

  has(key: K): boolean {
    return this.#index.has(key);
  }

  timeOf(key: K): number | undefined {
    const position = this.#index.get(key);
    return position === undefined ? undefined : this.#times[position];
  }

  /** Adds `key` at `time`, or moves it there when it is already in the heap. */
  push(key: K, time: number): void {
    const position = this.#index.get(key);
    if (position !== undefined) {
      const old = this.#times[position] as number;
      this.#times[position] = time;
      if (time < old) this.#up(position);
      else this.#down(position);
      return;
    }
    this.#times.push(time);
    this.#keys.push(key);
    this.#index.set(key, this.#keys.length - 1);
    this.#up(this.#keys.length - 1);
  }

  /** Removes and returns the earliest key. */
  pop(): K | undefined {
    if (this.#keys.length === 0) return undefined;
    const top = this.#keys[0] as K;
    this.#removeAt(0);
    return top;
  }

  delete(key: K): boolean {
    const position = this.#index.get(key);
    if (position === undefined) return false;
    this.#removeAt(position);
    return true;
  }

  /**
   * Empties the heap and fills it with `keys[i]` at `times[i]`, in O(n) where as many pushes take
   * O(n log n): the scheduler's load of 100,000 jobs. The heap is ordered first and its index
   * built once after, in one pass. The keys must be distinct.
   */
  reset(keys: readonly K[], times: readonly number[]): void {
    if (keys.length !== times.length) throw new Error('TimerHeap.reset: as many keys as times');
    this.clear();
    this.#keys = keys.slice();
    this.#times = times.slice();
    this.#indexing = false;
    try {
      for (let position = (keys.length >> 1) - 1; position >= 0; position--) this.#down(position);
    } finally {
      this.#indexing = true;
    }
    for (let position = 0; position < this.#keys.length; position++) {
      this.#index.set(this.#keys[position] as K, position);
    }
    if (this.#index.size !== this.#keys.length) {
      this.clear();
      throw new Error('TimerHeap.reset: a key is given twice');
    }
  }

  clear(): void {
    this.#times.length = 0;
    this.#keys.length = 0;
    this.#index.clear();
  }

  #removeAt(position: number): void {
    const last = this.#keys.length - 1;
    const removed = this.#keys[position] as K;
    this.#index.delete(removed);
    if (position !== last) {
      this.#times[position] = this.#times[last] as number;
      this.#keys[position] = this.#keys[last] as K;
      this.#index.set(this.#keys[position] as K, position);
    }
    this.#times.pop();
    this.#keys.pop();
    if (position < this.#keys.length) {
      this.#up(position);
      this.#down(position);
    }
  }

  // A moving entry is carried in hand while the entries it passes shift into its place, each
  // written (and re-indexed) once, rather than swapped pairwise.
  #up(start: number): void {
    const time = this.#times[start] as number;
    const key = this.#keys[start] as K;
    let position = start;
    while (position > 0) {
      const parent = (position - 1) >> 1;
      if ((this.#times[parent] as number) <= time) break;
      this.#place(position, this.#times[parent] as number, this.#keys[parent] as K);
      position = parent;
    }
    if (position !== start) this.#place(position, time, key);
  }

  #down(start: number): void {
    const time = this.#times[start] as number;
    const key = this.#keys[start] as K;
    const size = this.#keys.length;
    let position = start;
    for (;;) {
      const left = position * 2 + 1;
      if (left >= size) break;
      const right = left + 1;
      const child =
        right < size && (this.#times[right] as number) < (this.#times[left] as number) ? right : left;
      if ((this.#times[child] as number) >= time) break;
      this.#place(position, this.#times[child] as number, this.#keys[child] as K);
      position = child;
    }
    if (position !== start) this.#place(position, time, key);
  }

  #place(position: number, time: number, key: K): void {
    this.#times[position] = time;
    this.#keys[position] = key;
    if (this.#indexing) this.#index.set(key, position);
  }
}
