/**
 * Data quality's value window over the last N records of one numeric feature (for its summary
 * statistics): the values only, NaN for a missing one, in a ring of its own: a push is a store
 * (~6 ns; a log shared with drift's count window cost ~16–22 ns a push on each side and was
 * removed: docs/performance.md, "Own value rings").
 * Saved as its values by slot (NaN for a missing one), without the bins of the one-bin CountWindow
 * form (bin 0, or −1 for a missing value) that follow from them (ring-slots.ts): 40 kB less a window
 * of 10,000 in every checkpoint. Checkpoints with the bins restore as before. Beside drift's count
 * window of the same size, saved as what it holds beyond that window's values (ring-against.ts).
 */
import { KeptScratch } from '../core/kept-scratch.js';
import { decodeFloat64, decodeInt32, encodeOwned, encodeTyped } from '../core/typed-codec.js';
import type { CountWindow } from './count-window.js';
import { ringExtras, ringFromExtras } from './ring-against.js';
import { decodeSlots, type SavedExtras, type SavedSlots } from './ring-slots.js';
import { sortFloat64 } from '../stats/sort.js';
import { freshValues, MISSING_BIN, type RollingWindow } from './window.js';

/** Drift's values newest first, read for a snapshot or a restore: kept up to a window of 2^17. */
const theirs = new KeptScratch((n) => new Float64Array(n), 1 << 17);

export class CountValues implements RollingWindow {
  private head = 0;
  private filled = 0;
  version = 0;
  /** The values by slot (NaN for a missing one), the next at `head`. */
  private readonly own: Float64Array;

  constructor(readonly capacity: number) {
    this.own = new Float64Array(capacity);
  }

  /** `bin` −1 for a missing value, else any (one bin). */
  push(_t: number, value: number, bin: number): void {
    this.version++;
    if (this.filled < this.capacity) this.filled++;
    const head = this.head;
    if (++this.head === this.capacity) this.head = 0;
    const own = this.own;
    // Two stores, not `missing ? NaN : value`: V8 makes that choice a heap number (16 B a push).
    own[head] = value;
    if (bin === MISSING_BIN) own[head] = NaN;
  }

  /**
   * push(·, values[k], ·) for k in [from, to), values NaN where missing: data quality stages a run
   * of records' values and hands them over at once (quality/feature-checks.ts, flush).
   */
  pushValues(values: Float64Array, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    this.version += n;
    this.filled = Math.min(this.capacity, this.filled + n);
    const own = this.own;
    const capacity = this.capacity;
    let head = this.head;
    for (let k = from; k < to; k++) {
      own[head] = values[k];
      if (++head === capacity) head = 0;
    }
    this.head = head;
  }

  advance(): void {}

  counts(): Float64Array {
    return Float64Array.of(this.size());
  }

  size(): number {
    const own = this.own;
    let n = 0;
    for (let i = 0; i < this.filled; i++) if (!Number.isNaN(own[i])) n++;
    return n;
  }

  missing(): number {
    return this.filled - this.size();
  }

  /** Every value changes within a ring's length: sorted whole at each call. */
  sortedValues(room: (n: number) => Float64Array = freshValues): Float64Array {
    return sortFloat64(this.values(room));
  }

  /** Newest first (the summary sorts them): one array, the window's values without the missing ones. */
  values(room: (n: number) => Float64Array = freshValues): Float64Array {
    const out = room(this.filled);
    // The loop in a function of its own: its first call (a full ring) is compiled on-stack mid-loop,
    // and code after a loop so compiled had never run, so `subarray` here deoptimized it on every
    // tick, over and over (30 times a minute at 1,000 records/s, --trace-deopt; docs/performance.md).
    return out.subarray(0, copyPresentNewestFirst(this.own, this.head, this.filled, out));
  }

  /** How this window's values differ from drift's count window's (CountWindow.diffValues). */
  diffFrom(window: CountWindow, added: Float64Array, dropped: Float64Array, counts: Int32Array): boolean {
    return window.diffValues(this.own, this.head, this.filled, added, dropped, counts);
  }

  /**
   * By slot; beside `drift` (the count window of the same records, restored before this one), as
   * what this ring holds beyond drift's values where that is at most a sixteenth of it.
   */
  snapshot(drift?: CountWindow): SavedSlots {
    const { head, filled } = this;
    const others = drift?.presentNewestFirst((n) => theirs.room(n));
    if (others !== undefined) {
      const extras = ringExtras(this.own, head, filled, others, Math.max(64, filled >> 4));
      if (extras !== undefined) {
        const { slots, values, taken, check } = extras;
        return { againstDrift: { slots: encodeOwned(slots), values: encodeOwned(values), taken, check }, head, filled };
      }
    }
    // The copy in the capture arena: copies held while the checkpoint is written were promoted and
    // brought on V8's full collections (core/capture-arena.ts). No bins: NaN says which are missing.
    return { ring: encodeTyped(this.own), head, filled };
  }

  /** What snapshot() saved; `drift` as restored, for a ring saved against it. */
  restore(state: unknown, drift?: CountWindow): void {
    const s = state as SavedSlots;
    if (s !== null && typeof s === 'object' && s.againstDrift !== undefined) return this.restoreAgainst(s, s.againstDrift, drift);
    // Data quality's values have one bin (0) besides MISSING_BIN.
    const { ring: saved, bins, head, filled } = decodeSlots(s, this.capacity, 1);
    this.checkLayout(head, filled);
    this.version++;
    this.head = head;
    this.filled = filled;
    // By slot, as saved, NaN where missing; slots never filled hold 0, as a window's own ring that has not wrapped.
    const own = this.own;
    own.fill(0);
    // A CountWindow that keeps no values saves none: zeros, as it once saved them.
    for (let i = 0; i < filled; i++) own[i] = bins[i] === MISSING_BIN ? NaN : saved === undefined ? 0 : saved[i];
  }

  private restoreAgainst(s: SavedSlots, saved: SavedExtras, drift: CountWindow | undefined): void {
    const others = drift?.presentNewestFirst((n) => theirs.room(n));
    if (others === undefined) throw new Error("saved state does not fit: saved against drift's window of the same size, which is not kept");
    const capacity = this.capacity;
    if (!(Number.isInteger(s.head) && Number.isInteger(s.filled) && s.head >= 0 && s.head < capacity && s.filled >= 0 && s.filled <= capacity)) {
      throw new Error(`saved state does not fit: head ${s.head}, filled ${s.filled} of ${capacity}`);
    }
    this.checkLayout(s.head, s.filled);
    const extras = { slots: decodeInt32(saved.slots), values: decodeFloat64(saved.values), taken: Number(saved.taken), check: Number(saved.check) };
    const ring = ringFromExtras(capacity, s.head, s.filled, others, extras);
    this.version++;
    this.head = s.head;
    this.filled = s.filled;
    this.own.set(ring);
  }

  /**
   * Saved states were written in order from slot 0, so a window not yet full has its head at
   * `filled`; one that does not is refused (before any change), as any saved state that does not fit.
   */
  private checkLayout(head: number, filled: number): void {
    if (filled < this.capacity && head !== filled) throw new Error(`saved state does not fit: head ${head} of a window holding ${filled} of ${this.capacity}`);
  }
}

/** The ring's present values (not NaN) into `out`, newest first, from the slot before `head`; returns how many. */
function copyPresentNewestFirst(own: Float64Array, head: number, filled: number, out: Float64Array): number {
  const capacity = own.length;
  let k = 0;
  for (let n = 0, s = head; n < filled; n++) {
    if (--s < 0) s = capacity - 1;
    const v = own[s];
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return k;
}
