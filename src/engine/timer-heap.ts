/**
 * A binary min-heap of (time, key): the scheduler keeps one entry per job at its next fire, so
 * finding what is due is O(1) and re-arming a job O(log n), whatever the number of jobs.
 * A key appears at most once; pushing it again moves it.
 */
export class TimerHeap<K> {
  readonly #times: number[] = [];
  readonly #keys: K[] = [];
  readonly #index = new Map<K, number>();

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

  #up(start: number): void {
    let position = start;
    while (position > 0) {
      const parent = (position - 1) >> 1;
      if ((this.#times[parent] as number) <= (this.#times[position] as number)) break;
      this.#swap(position, parent);
      position = parent;
    }
  }

  #down(start: number): void {
    let position = start;
    const size = this.#keys.length;
    for (;;) {
      const left = position * 2 + 1;
      const right = left + 1;
      let smallest = position;
      if (left < size && (this.#times[left] as number) < (this.#times[smallest] as number)) smallest = left;
      if (right < size && (this.#times[right] as number) < (this.#times[smallest] as number))
        smallest = right;
      if (smallest === position) return;
      this.#swap(position, smallest);
      position = smallest;
    }
  }

  #swap(a: number, b: number): void {
    const time = this.#times[a] as number;
    this.#times[a] = this.#times[b] as number;
    this.#times[b] = time;
    const key = this.#keys[a] as K;
    this.#keys[a] = this.#keys[b] as K;
    this.#keys[b] = key;
    this.#index.set(this.#keys[a] as K, a);
    this.#index.set(this.#keys[b] as K, b);
  }
}
