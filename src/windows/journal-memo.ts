/**
 * Which waiting predictions the last durable checkpoint held, so that the next capture can tell the
 * checkpoint journal what changed: positions of the committed capture gone since, and the new
 * entries (always the newest: the store keeps its entries in insertion order).
 *
 * The store numbers its entries as they come and logs the numbers of those that go
 * (core/entry-order.ts); the memo keeps the committed capture's numbers, ascending. A capture then
 * finds each removal's position by a search from the previous one's and the new entries from the queue's newest end:
 * O(changes × log entries), where the earlier memo (a generation and a position per row) walked the
 * whole store four times a capture, ~13 ms at 100,000 waiting predictions. A commit updates the
 * numbers in one sequential pass.
 *
 * 8 bytes per entry of the committed capture, with the store's 8 per id table row (EntryOrder).
 */
import { captureArray } from '../core/capture-arena.js';
import { nextJournalEpoch } from '../core/journaled.js';
import type { EntryOrder } from '../core/entry-order.js';
import type { FifoRows } from '../core/fifo-map.js';

export interface JournalDiff {
  /** Positions in the committed capture's order that are gone, ascending. */
  removed: Int32Array;
  /** The capture's entries from this position on are new; those before it are the survivors, in order. */
  addedFrom: number;
  /** The new entries' rows, oldest first. */
  added: Int32Array;
}

/** What a capture leaves for its commit: the store's order as it was captured. */
export interface JournalMark {
  /** The memo's epoch and order the capture was taken against (a delta applies only to them). */
  readonly base: number;
  readonly order: EntryOrder;
  /** The next sequence number and the removals logged, at the capture. */
  readonly nextSeq: number;
  readonly removals: number;
  /** Whole: every live entry's number, in order. Otherwise the diff's removed positions and the new entries' numbers. */
  readonly seqs?: Float64Array;
  readonly removed?: Int32Array;
  readonly addedSeqs?: Float64Array;
}

export class JournalMemo {
  private order: EntryOrder | undefined;
  /** Sequence numbers of the committed capture's entries, ascending (the first `count`). */
  private seqs = new Float64Array(0);
  private count = 0;
  /** The next sequence number when the committed capture was taken: the entries numbered from it on came after. */
  private nextSeq = 0;
  /** Epoch of the committed capture (0: none). */
  epoch = 0;
  /** The checkpoint journal takes a delta relative to the committed capture at its next write. */
  deltaNext = false;

  /** `rows`: the store's most entries (a removal log longer than that is a whole store gone: start again). */
  constructor(
    private readonly store: FifoRows,
    private readonly rows = 0,
  ) {}

  /** What changed since the committed capture, or undefined (none committed, or its removals overflowed the log). */
  diff(): JournalDiff | undefined {
    const order = this.order;
    if (this.epoch === 0 || order === undefined) return undefined;
    if (order.overflowed) {
      this.reset();
      return undefined;
    }
    const { seqs, count, nextSeq } = this;
    const log = order.removedSeqs();
    const gone = captureArray(Uint8Array, count);
    let removedCount = 0;
    let p = 0;
    for (let i = 0; i < log.length; i++) {
      const seq = log[i];
      // Added after the committed capture and gone again: never in it.
      if (seq >= nextSeq) continue;
      p = positionFrom(seqs, count, seq, p);
      if (p < 0 || gone[p] === 1) return undefined;
      gone[p] = 1;
      removedCount++;
    }
    const survivors = count - removedCount;
    const added = this.store.newestRows(this.store.size - survivors, nextSeq);
    if (added === undefined) return undefined;
    const removed = captureArray(Int32Array, removedCount);
    for (let p = 0, k = 0; k < removedCount; p++) if (gone[p] === 1) removed[k++] = p;
    return { removed, addedFrom: survivors, added };
  }

  /**
   * The store's order at this capture, for its commit: from the diff when there is one, else from
   * `all` (every live row, oldest first), numbering the store's entries from now on if it was not yet.
   */
  mark(diff: JournalDiff | undefined, all: () => Int32Array): JournalMark {
    if (this.order === undefined || diff === undefined) {
      this.order ??= this.store.trackOrder(Math.max(1024, this.rows));
      const order = this.order;
      return { base: this.epoch, order, nextSeq: order.nextSeq, removals: order.removedCount, seqs: seqsOf(order, all()) };
    }
    const order = this.order;
    return { base: this.epoch, order, nextSeq: order.nextSeq, removals: order.removedCount, removed: diff.removed, addedSeqs: seqsOf(order, diff.added) };
  }

  /** Makes the marked capture the committed one (`deltaNext`: see Journaled.commit); returns its epoch. */
  commit(mark: JournalMark, deltaNext = false): number {
    const epoch = nextJournalEpoch();
    // A mark taken against another order, or a delta against another commit: nothing to build on.
    if (mark.order !== this.order || (mark.seqs === undefined && mark.base !== this.epoch)) {
      this.reset();
      return epoch;
    }
    if (mark.seqs !== undefined) {
      // Nothing kept: the whole capture replaces it.
      this.count = 0;
      this.reserve(mark.seqs.length);
      this.seqs.set(mark.seqs);
      this.count = mark.seqs.length;
    } else {
      const { removed, addedSeqs } = mark as Required<JournalMark>;
      // The survivors close up, the new entries after them.
      const w = closeUp(this.seqs, this.count, removed);
      this.reserve(w + addedSeqs.length);
      this.seqs.set(addedSeqs, w);
      this.count = w + addedSeqs.length;
    }
    this.nextSeq = mark.nextSeq;
    mark.order.dropRemoved(mark.removals);
    this.deltaNext = deltaNext;
    this.epoch = epoch;
    return epoch;
  }

  /** Forgets the committed capture and the store's order (a restore, a failed write: the next write is whole). */
  reset(): void {
    this.epoch = 0;
    this.deltaNext = false;
    this.count = 0;
    this.seqs = new Float64Array(0);
    this.order = undefined;
    this.store.untrackOrder();
  }

  /** Room for `n` numbers, the first `count` kept; allocated at the store's most entries, so a store filling up does not grow it at every commit. */
  private reserve(n: number): void {
    if (n <= this.seqs.length) return;
    const seqs = new Float64Array(Math.max(n, this.rows, Math.ceil(this.seqs.length * 1.5)));
    seqs.set(this.seqs.subarray(0, this.count));
    this.seqs = seqs;
  }
}

/** The sequence numbers of `rows` (live rows), in their order. */
function seqsOf(order: EntryOrder, rows: Int32Array): Float64Array {
  const seqs = captureArray(Float64Array, rows.length);
  for (let i = 0; i < rows.length; i++) seqs[i] = order.seqOf(rows[i]);
  return seqs;
}

/**
 * The first `count` of `seqs` without the positions in `removed` (ascending), closed up in place (the
 * write position never passes the read one); returns how many are left. A function of its own, as each
 * loop here: a first long call is compiled on-stack mid-loop, and code after such a loop, never run,
 * deoptimized it at every later call (docs/performance.md, V8's recompiles).
 */
function closeUp(seqs: Float64Array, count: number, removed: Int32Array): number {
  let w = 0;
  for (let p = 0, k = 0; p < count; p++) {
    if (k < removed.length && removed[k] === p) k++;
    else seqs[w++] = seqs[p];
  }
  return w;
}

/**
 * The index of `seq` among the first `count` of the ascending `seqs`, or −1, searched from `hint`
 * (the previous removal's index) outward by doubling steps, then by halving. Removals come mostly in
 * the order the entries came (the oldest evicted or expired, labels for predictions in about the
 * order they were made), so the next one is nearly always a few places on: a few reads beside the
 * last, where a binary search of the whole read ~17 places across 800 kB, out of cache in a live
 * sidecar that touches these numbers once a checkpoint (3 ms a capture at 15,000 removals).
 */
function positionFrom(seqs: Float64Array, count: number, seq: number, hint: number): number {
  let lo: number;
  let hi: number;
  if (hint < count && seqs[hint] <= seq) {
    // Forward: seqs[lo] ≤ seq; widen until seqs[hi] > seq (or the end).
    lo = hint;
    let step = 1;
    hi = lo + step;
    while (hi < count && seqs[hi] <= seq) {
      lo = hi;
      step *= 2;
      hi = lo + step;
    }
    if (hi > count) hi = count;
  } else {
    // Backward: seqs[hi] > seq; widen until seqs[lo] ≤ seq (or the start).
    hi = Math.min(hint, count);
    let step = 1;
    lo = hi - step;
    while (lo > 0 && seqs[lo] > seq) {
      hi = lo;
      step *= 2;
      lo = hi - step;
    }
    if (lo < 0) lo = 0;
  }
  // seq, if present, is in [lo, hi).
  hi--;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = seqs[mid];
    if (at === seq) return mid;
    if (at < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
