/**
 * Which waiting predictions the last durable checkpoint held, by row and generation (FifoRows gives
 * every entry a generation that a reused row never repeats), so that the next capture can tell the
 * checkpoint journal what changed: positions of the previous capture gone since, and the new entries
 * (always the newest: the store keeps its entries in insertion order).
 *
 * 8 bytes per row of the store (800 KB at the default 100,000), no object per entry.
 */
import { captureArray } from '../core/capture-arena.js';
import { nextJournalEpoch } from '../core/journaled.js';

export interface JournalDiff {
  /** Positions in the committed capture's order that are gone, ascending. */
  removed: Int32Array;
  /** The capture's entries from this position on are new; those before it are the survivors, in order. */
  addedFrom: number;
}

export class JournalMemo {
  /** Generation of each row at the committed capture (0: not held then). */
  private gen = new Uint32Array(0);
  /** Position of each row in the committed capture. */
  private pos = new Int32Array(0);
  private count = 0;
  /** Epoch of the committed capture (0: none). */
  epoch = 0;
  /** The checkpoint journal takes a delta relative to the committed capture at its next write. */
  deltaNext = false;

  /** `rows`: the store's most rows (its arrays are allocated once at the first commit, at that size). */
  constructor(private readonly rows = 0) {}

  /** What changed since the committed capture, or undefined (none committed, or not a FIFO's change). */
  diff(rows: Int32Array, gens: Uint32Array): JournalDiff | undefined {
    if (this.epoch === 0) return undefined;
    const n = rows.length;
    let survivors = 0;
    let last = -1;
    while (survivors < n) {
      const r = rows[survivors];
      if (r >= this.gen.length || this.gen[r] !== gens[survivors]) break;
      const p = this.pos[r];
      // Survivors keep their order; anything else is not a store that only appends and deletes.
      if (p <= last) return undefined;
      last = p;
      survivors++;
    }
    for (let i = survivors; i < n; i++) {
      const r = rows[i];
      // An entry held at the last capture after a new one: not insertion order.
      if (r < this.gen.length && this.gen[r] === gens[i]) return undefined;
    }
    const kept = captureArray(Uint8Array, this.count);
    for (let i = 0; i < survivors; i++) kept[this.pos[rows[i]]] = 1;
    const removed = captureArray(Int32Array, this.count - survivors);
    let k = 0;
    for (let p = 0; p < this.count; p++) if (kept[p] === 0) removed[k++] = p;
    return { removed, addedFrom: survivors };
  }

  /** Makes this capture the committed one (`deltaNext`: see Journaled.commit); returns its epoch. */
  commit(rows: Int32Array, gens: Uint32Array, deltaNext = false): number {
    this.deltaNext = deltaNext;
    // The scan in a function of its own: the first commit (the whole store) is compiled on-stack
    // mid-loop, and `fill` below, never run before, deoptimized that code at every commit after.
    const max = rowsNeeded(rows);
    if (max > this.gen.length) {
      // Room to grow: a store filling up would otherwise need new arrays at every commit.
      const size = Math.max(max, this.rows, Math.ceil(this.gen.length * 1.5));
      this.gen = new Uint32Array(size);
      this.pos = new Int32Array(size);
    } else {
      this.gen.fill(0);
    }
    for (let i = 0; i < rows.length; i++) {
      this.gen[rows[i]] = gens[i];
      this.pos[rows[i]] = i;
    }
    this.count = rows.length;
    this.epoch = nextJournalEpoch();
    return this.epoch;
  }

  /** Forgets the committed capture (after a restore: the next write is whole). */
  reset(): void {
    this.epoch = 0;
    this.deltaNext = false;
    this.count = 0;
    this.gen = new Uint32Array(0);
    this.pos = new Int32Array(0);
  }
}

/** One more than the highest row in `rows` (0 for none): the length the memo's arrays need. */
function rowsNeeded(rows: Int32Array): number {
  let max = 0;
  for (let i = 0; i < rows.length; i++) if (rows[i] >= max) max = rows[i] + 1;
  return max;
}
