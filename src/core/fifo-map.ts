/**
 * A map that also yields its oldest entry in O(1) amortized. V8's Map keeps deleted slots until it
 * rehashes, so "delete the first entry, then iterate from the start again" (expiry, eviction) skips
 * ever more dead slots and turns quadratic: 1M insertions into a 100k store took ~110 s that way.
 * Here a side queue of (key, generation) remembers insertion order; stale queue entries are skipped
 * once and the queue is compacted as it drains.
 */
import { captureArray } from './capture-arena.js';
import type { CapturedIds } from './captured-ids.js';
import { EntryOrder } from './entry-order.js';
import type { RecordId } from './id-bytes.js';
import { SharedIds } from './shared-ids.js';

export class FifoMap<V> {
  private readonly map = new Map<string, { value: V; gen: number }>();
  private queueKeys: string[] = [];
  private queueGens: number[] = [];
  private head = 0;
  private gen = 0;

  get size(): number {
    return this.map.size;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  get(key: string): V | undefined {
    return this.map.get(key)?.value;
  }

  /** Inserts (or re-inserts, which makes the entry the newest). */
  set(key: string, value: V): void {
    const gen = ++this.gen;
    this.map.set(key, { value, gen });
    this.queueKeys.push(key);
    this.queueGens.push(gen);
  }

  delete(key: string): boolean {
    return this.map.delete(key);
  }

  /** The oldest live entry, without removing it. */
  oldest(): [string, V] | undefined {
    while (this.head < this.queueKeys.length) {
      const key = this.queueKeys[this.head];
      const live = this.map.get(key);
      if (live && live.gen === this.queueGens[this.head]) return [key, live.value];
      this.head++;
      this.compact();
    }
    return undefined;
  }

  /** Removes and returns the oldest live entry. */
  shift(): [string, V] | undefined {
    const first = this.oldest();
    if (first) this.map.delete(first[0]);
    return first;
  }

  /** Live entries, oldest first (the order shift() would take them in). */
  *entries(): IterableIterator<[string, V]> {
    for (let i = this.head; i < this.queueKeys.length; i++) {
      const key = this.queueKeys[i];
      const live = this.map.get(key);
      if (live && live.gen === this.queueGens[i]) yield [key, live.value];
    }
  }

  private compact(): void {
    if (this.head < 1024 || this.head * 2 < this.queueKeys.length) return;
    this.queueKeys = this.queueKeys.slice(this.head);
    this.queueGens = this.queueGens.slice(this.head);
    this.head = 0;
  }
}

/**
 * The same insertion order for a store that keeps its values in typed columns rather than one
 * object per entry: each key gets a row (a small integer, reused after its entry is deleted) that
 * indexes the caller's columns, and the order queue holds (row, generation) pairs in typed arrays.
 * A queue pair whose generation is no longer the row's is stale (deleted, or the row reused) and is
 * skipped once. Generations count per row in 32 bits: a stale pair could only match again after
 * 2³² reuses of its row, all queued behind it, more pairs than a queue can hold. Keys are request
 * ids, held packed in an id table (core/shared-ids.ts), shared with the other stores of request ids
 * when the caller passes one: ~45 bytes an entry with the queue, no string or Map entry per key.
 * Rows are the table's, so the caller's columns need `capacity` rows (the rows all sharing stores
 * reserved), not only `maxRows`.
 */
export class FifoRows {
  /** This store's mark on the rows it holds. */
  private readonly bit: number;
  /** Generation of the row's live entry, 0 while the row is not this store's; lastGen: the last one handed out. */
  private genOf = new Uint32Array(16);
  private lastGen = new Uint32Array(16);
  private queueRows = new Int32Array(16);
  private queueGens = new Uint32Array(16);
  /** The order queue is a ring: its oldest pair's index, and how many pairs (live or stale) it holds. */
  private head = 0;
  private queued = 0;
  /** Entries held. */
  size = 0;
  /** The entries' order over time, while a checkpoint journal's memo tracks the store (trackOrder). */
  private order: EntryOrder | undefined;

  /**
   * `maxRows`: the most entries the caller keeps at once (it evicts before adding past it). The
   * columns are then allocated once at the table's capacity and the order queue at twice `maxRows`
   * (IdTable says why). `ids`: the table shared with other stores of request ids (its own otherwise).
   */
  constructor(
    maxRows = Infinity,
    private readonly ids = new SharedIds(),
  ) {
    this.bit = ids.holder(maxRows);
    if (!Number.isFinite(maxRows)) return;
    this.genOf = new Uint32Array(ids.capacity);
    this.lastGen = new Uint32Array(ids.capacity);
    this.queueRows = new Int32Array(2 * maxRows);
    this.queueGens = new Uint32Array(2 * maxRows);
  }

  /** Rows the caller's columns need: every row of the shared table may come to be one of this store's. */
  get capacity(): number {
    return this.ids.capacity;
  }

  has(key: string | RecordId): boolean {
    const row = this.ids.find(key);
    return row >= 0 && this.ids.holds(row, this.bit);
  }

  /** The key's row, or undefined. */
  get(key: string | RecordId): number | undefined {
    const row = this.ids.find(key);
    return row >= 0 && this.ids.holds(row, this.bit) ? row : undefined;
  }

  /** The key of a live row. */
  keyAt(row: number): string {
    return this.ids.idAt(row);
  }

  /** Inserts a key that is not held (the caller checks), as the newest entry; returns its row. */
  add(key: string | RecordId): number {
    const row = this.ids.hold(key, this.ids.find(key), this.bit);
    if (row >= this.genOf.length) {
      // Only past a finite capacity when another store reserved rows after this one was made.
      const length = Math.max(row + 1, Number.isFinite(this.ids.capacity) ? this.ids.capacity : this.genOf.length * 2);
      this.genOf = grown(this.genOf, length);
      this.lastGen = grown(this.lastGen, length);
    }
    const gen = this.lastGen[row] === 0xffffffff ? 1 : this.lastGen[row] + 1;
    this.lastGen[row] = gen;
    this.genOf[row] = gen;
    this.size++;
    this.enqueue(row, gen);
    this.order?.added(row);
    return row;
  }

  /** Frees the key's row; its column values stay readable until the row is handed out again. */
  delete(key: string): number | undefined {
    const row = this.get(key);
    if (row === undefined) return undefined;
    this.deleteRow(row);
    return row;
  }

  /** Frees a live row (as delete(keyAt(row))). */
  deleteRow(row: number): void {
    this.order?.removed(row);
    this.ids.release(row, this.bit);
    this.genOf[row] = 0;
    this.size--;
    if (this.queued > 1 && row === this.queueRows[this.head]) this.touchNext();
  }

  /** Bytes of typed arrays held for order (what the memory budget counts per entry; the ids are the table's, SharedIds.bytes). */
  bytes(): number {
    return this.genOf.byteLength + this.lastGen.byteLength + this.queueRows.byteLength + this.queueGens.byteLength;
  }

  /** The oldest live row, or −1. */
  oldest(): number {
    const length = this.queueRows.length;
    while (this.queued > 0) {
      const row = this.queueRows[this.head];
      if (this.genOf[row] === this.queueGens[this.head]) return row;
      if (++this.head === length) this.head = 0;
      this.queued--;
    }
    return -1;
  }

  /** Live rows, oldest first (the order oldest() would take them in). */
  /** The live rows, oldest first, in one array (no iterator result per row). */
  liveRows(): Int32Array {
    const out = captureArray(Int32Array, this.size);
    const length = this.queueRows.length;
    let n = 0;
    for (let k = 0, i = this.head; k < this.queued; k++, i = i + 1 === length ? 0 : i + 1) {
      const row = this.queueRows[i];
      if (this.genOf[row] === this.queueGens[i]) out[n++] = row;
    }
    return out;
  }

  /**
   * Starts keeping the entries' order (EntryOrder), the live ones numbered oldest first; at most
   * `maxRemoved` removals are logged between two commits. Replaces any order kept before.
   */
  trackOrder(maxRemoved: number): EntryOrder {
    const order = new EntryOrder(this.genOf.length, maxRemoved);
    const length = this.queueRows.length;
    for (let k = 0, i = this.head; k < this.queued; k++, i = i + 1 === length ? 0 : i + 1) {
      const row = this.queueRows[i];
      if (this.genOf[row] === this.queueGens[i]) order.added(row);
    }
    this.order = order;
    return order;
  }

  /** Stops keeping the entries' order. */
  untrackOrder(): void {
    this.order = undefined;
  }

  /**
   * The newest `n` live rows, oldest first, found from the queue's newest end: O(n and the stale
   * pairs among them), not O(entries held). Undefined when fewer than `n` are live, or when one of
   * them was numbered before `fromSeq` (the entries after the memo's capture must all be newer).
   */
  newestRows(n: number, fromSeq: number): Int32Array | undefined {
    const order = this.order;
    if (order === undefined || n > this.size) return undefined;
    const out = captureArray(Int32Array, n);
    const length = this.queueRows.length;
    let i = this.head + this.queued - 1;
    if (i >= length) i -= length;
    for (let k = 0, found = 0; found < n; k++, i = i === 0 ? length - 1 : i - 1) {
      if (k === this.queued) return undefined;
      const row = this.queueRows[i];
      if (this.genOf[row] !== this.queueGens[i]) continue;
      if (order.seqOf(row) < fromSeq) return undefined;
      out[n - ++found] = row;
    }
    return out;
  }

  /** The key ids of `rows` (live rows), packed as held (see IdTable.capture). */
  captureKeys(rows: Int32Array): CapturedIds {
    return this.ids.capture(rows);
  }

  *entries(): IterableIterator<number> {
    const length = this.queueRows.length;
    for (let k = 0, i = this.head; k < this.queued; k++, i = i + 1 === length ? 0 : i + 1) {
      const row = this.queueRows[i];
      if (this.genOf[row] === this.queueGens[i]) yield row;
    }
  }

  /**
   * The oldest entry went (evicted or expired); the one after it is most likely the next to go, a
   * record later in a full store: its removal is announced (SharedIds.touch), so that the next new
   * id's probe reads the slot it will clear beside its own (IdTable.touch says why).
   */
  private touchNext(): void {
    const i = this.head + 1 === this.queueRows.length ? 0 : this.head + 1;
    const row = this.queueRows[i];
    if (this.genOf[row] === this.queueGens[i]) this.ids.touch(row, this.bit);
  }

  private enqueue(row: number, gen: number): void {
    if (this.queued === this.queueRows.length) this.compactQueue();
    let i = this.head + this.queued;
    if (i >= this.queueRows.length) i -= this.queueRows.length;
    this.queueRows[i] = row;
    this.queueGens[i] = gen;
    this.queued++;
  }

  /**
   * A full queue keeps only its live pairs, in order, from its head on; it doubles when they fill
   * more than half of it. The live pairs are at most the entries held, so a queue of twice the most
   * entries held never grows, and each compaction copies at most one pair per pair added since the
   * last. A ring, so that a store that only ever lets go of its oldest entry (evicted or expired,
   * the label store without labels) never compacts: the stale pairs are all behind its head.
   */
  private compactQueue(): void {
    const { queueRows, queueGens, genOf } = this;
    const length = queueRows.length;
    // In place, from the head on: the write position never passes the read position.
    let w = this.head;
    let live = 0;
    for (let k = 0, r = this.head; k < this.queued; k++, r = r + 1 === length ? 0 : r + 1) {
      const row = queueRows[r];
      const gen = queueGens[r];
      if (genOf[row] !== gen) continue;
      queueRows[w] = row;
      queueGens[w] = gen;
      if (++w === length) w = 0;
      live++;
    }
    this.queued = live;
    if (live * 2 <= length) return;
    const rows = new Int32Array(length * 2);
    const gens = new Uint32Array(length * 2);
    for (let k = 0, r = this.head; k < live; k++, r = r + 1 === length ? 0 : r + 1) {
      rows[k] = queueRows[r];
      gens[k] = queueGens[r];
    }
    this.queueRows = rows;
    this.queueGens = gens;
    this.head = 0;
  }
}

/** A copy of `a` in a longer array of its kind. */
export function grown<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T, length: number): T {
  const out = new (a.constructor as new (n: number) => T)(length);
  out.set(a);
  return out;
}
