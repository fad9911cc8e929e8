/**
 * A scratch array kept from one call to the next (a tick's sort, the values a tick reads, a merge),
 * grown by doubling up to `maxKept` elements; a larger request gets a fresh array of its own, so a
 * rare huge window does not pin its memory for the process's life. Why kept: window-sized copies
 * at every tick are garbage that small heap objects never prompt the collector to free.
 */
export class KeptScratch<T extends Float64Array | Uint32Array> {
  private kept: T;

  constructor(
    private readonly make: (n: number) => T,
    private readonly maxKept: number,
  ) {
    this.kept = make(0);
  }

  /** Room for n elements: the kept array's first n, valid until the next call (a fresh array above maxKept). */
  room(n: number): T {
    if (n > this.maxKept) return this.make(n);
    if (this.kept.length < n) this.kept = this.make(Math.min(Math.max(n, 2 * this.kept.length), this.maxKept));
    return this.kept.subarray(0, n) as T;
  }
}
