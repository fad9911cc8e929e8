/**
 * The last N observations, exactly: a ring of their bins, with bin counts kept incrementally (the
 * evicted observation is subtracted as the new one is added), and of their raw values: in a ring of
 * its own, or not at all where nothing reads them (a categorical feature's).
 *
 * The bins ring is a byte a slot where the bins fit (≤ 255 with the missing mark: the default 10
 * numeric bins and 2·50 + 1 category bins do), 4 otherwise: 30 kB less per window of 10,000, and
 * saved as it is kept (ring-slots.ts). A window that keeps no values saves none (it saved 80 kB of
 * zeros a window of 10,000 every 5 s).
 */
import { encodeTyped } from '../core/typed-codec.js';
import { decodeSlots, type SavedSlots } from './ring-slots.js';
import { TIME, VALUE, windowInput } from './window-input.js';
import { sortFloat64 } from '../stats/sort.js';
import { freshValues, MISSING_BIN, sameBits, type RollingWindow } from './window.js';

/** Whether a count window keeps its values: a ring of its own, or none (nothing reads them). */
export type CountValuesStore = 'own' | 'none';

/** The most bins a window keeps a byte a slot for: the byte 255 is MISSING_BIN (−1 stored into a Uint8Array). */
export const BYTE_BINS = 255;

/** A position in a ring read newest first: the slot last read and the slots left to read. */
interface Cursor {
  slot: number;
  left: number;
}

/** The ring's value before the cursor's slot that is not NaN (missing), the cursor moved past it; NaN when none is left. */
function nextInRing(ring: Float64Array, c: Cursor): number {
  while (c.left > 0) {
    c.left--;
    if (--c.slot < 0) c.slot = ring.length - 1;
    const v = ring[c.slot];
    if (v === v) return v;
  }
  return NaN;
}

export class CountWindow implements RollingWindow {
  /** Bin by slot: a byte (≤ BYTE_BINS bins) or an Int32; MISSING_BIN reads back as `missingSlot`. */
  private readonly bins: Uint8Array | Int32Array;
  /** What a missing observation's slot reads back as: 255 in a byte ring (−1 wraps to it), MISSING_BIN otherwise. */
  private readonly missingSlot: number;
  private readonly binCounts: Float64Array;
  /** The values by slot (0 for a missing one), when the window keeps its own. */
  private readonly own: Float64Array | undefined;
  private head = 0;
  private filled = 0;
  private missingCount = 0;
  version = 0;

  constructor(
    readonly capacity: number,
    nBins: number,
    values: CountValuesStore = 'own',
    /** pushInput's value (input[VALUE]): a feature's windows can share one (window-input.ts). */
    private readonly input: Float64Array = windowInput(),
  ) {
    this.bins = nBins <= BYTE_BINS ? new Uint8Array(capacity) : new Int32Array(capacity);
    this.missingSlot = nBins <= BYTE_BINS ? 0xff : MISSING_BIN;
    this.binCounts = new Float64Array(nBins);
    if (values === 'own') this.own = new Float64Array(capacity);
  }

  push(t: number, value: number, bin: number): void {
    const input = this.input;
    input[TIME] = t;
    input[VALUE] = value;
    this.pushInput(bin);
  }

  /** push(input[TIME], input[VALUE], bin): the call passes no double (window-input.ts). */
  pushInput(bin: number): void {
    this.version++;
    const head = this.head;
    if (this.filled === this.capacity) {
      const old = this.bins[head];
      if (old === this.missingSlot) this.missingCount--;
      else this.binCounts[old]--;
    } else {
      this.filled++;
    }
    this.bins[head] = bin;
    if (bin === MISSING_BIN) this.missingCount++;
    else this.binCounts[bin]++;
    // A compare, not `%`: an integer division per observation is measurable at 20 features × 100k/s.
    if (++this.head === this.capacity) this.head = 0;
    const own = this.own;
    if (own !== undefined) own[head] = this.input[VALUE];
  }

  /**
   * push(·, values[k], bins[k]) for k < n, in that order, for a run already counted (`runCounts`
   * per bin, `runMissing` missing: the feature counts a run once for all its windows and its
   * totals): the run's counts added bin by bin, and per observation only the ring's slot, the
   * evicted one's bin subtracted. The ring's position and counts in locals.
   */
  pushCounted(values: Float64Array, bins: Int32Array, n: number, runCounts: Int32Array, runMissing: number): void {
    const ring = this.bins;
    const counts = this.binCounts;
    for (let i = 0; i < counts.length; i++) counts[i] += runCounts[i];
    const own = this.own;
    const capacity = this.capacity;
    const missingSlot = this.missingSlot;
    let head = this.head;
    let filled = this.filled;
    let missing = this.missingCount + runMissing;
    for (let k = 0; k < n; k++) {
      if (filled === capacity) {
        const old = ring[head];
        if (old === missingSlot) missing--;
        else counts[old]--;
      } else filled++;
      ring[head] = bins[k];
      if (own !== undefined) own[head] = values[k];
      if (++head === capacity) head = 0;
    }
    this.head = head;
    this.filled = filled;
    this.missingCount = missing;
    this.version += n;
  }

  advance(): void {}

  counts(): Float64Array {
    return this.binCounts;
  }

  size(): number {
    return this.filled - this.missingCount;
  }

  missing(): number {
    return this.missingCount;
  }

  /** Every value changes within a ring's length: sorted whole at each call. */
  sortedValues(room: (n: number) => Float64Array = freshValues): Float64Array {
    return sortFloat64(this.values(room));
  }

  /** In slot order, as the window always gave them (0s where it keeps no values). */
  values(room: (n: number) => Float64Array = freshValues): Float64Array {
    const own = this.own;
    const out = room(this.size());
    if (own === undefined) return out.fill(0);
    let k = 0;
    for (let i = 0; i < this.filled; i++) if (this.bins[i] !== this.missingSlot) out[k++] = own[i];
    return out;
  }

  /**
   * How a ring of values (NaN where missing, the newest before `ringHead`, `ringFilled` of them:
   * data quality's CountValues) differs from this window's non-missing values, both read newest
   * first: the ring's values matched in order against this window's, bit for bit (−0 is not +0);
   * a ring value that does not match the next of this window's goes to `added` (a failed request's:
   * drift leaves those out), and this window's values left when the ring's run out to `dropped`
   * (older ones the ring no longer holds). Then ring = this − dropped + added, as multisets, so its
   * sorted values follow from this window's sorted ones (shared-summaries.ts). Returns the counts
   * [added, dropped] in `counts`, or false when either overflows its array (then sort the ring).
   */
  diffValues(ring: Float64Array, ringHead: number, ringFilled: number, added: Float64Array, dropped: Float64Array, counts: Int32Array): boolean {
    if (this.own === undefined) return false;
    const own: Cursor = { slot: this.head, left: this.filled };
    const theirs: Cursor = { slot: ringHead, left: ringFilled };
    // Counted in place as they go: nothing after the loops reads type feedback (a first call's loop
    // is compiled on-stack, and code after it never run deoptimized it at every later call).
    counts[0] = 0;
    counts[1] = 0;
    // NaN: that side has run out (a window's values are never NaN).
    let x = this.nextValue(own);
    for (let y = nextInRing(ring, theirs); y === y; y = nextInRing(ring, theirs)) {
      if (sameBits(x, y)) x = this.nextValue(own);
      else if (counts[0] === added.length) return false;
      else added[counts[0]++] = y;
    }
    // The ring has run out: this window's values from x on are older ones it no longer holds.
    for (; x === x; x = this.nextValue(own)) {
      if (counts[1] === dropped.length) return false;
      dropped[counts[1]++] = x;
    }
    return true;
  }

  /** The present observations' values newest first, in `room(size())`; undefined where the window keeps none. */
  presentNewestFirst(room: (n: number) => Float64Array): Float64Array | undefined {
    if (this.own === undefined) return undefined;
    const out = room(this.size());
    copyPresent(this.own, this.bins, this.missingSlot, this.head, this.filled, out);
    return out;
  }

  /** The value before the cursor's slot that is not missing, the cursor moved past it; NaN when none is left. */
  private nextValue(c: Cursor): number {
    const own = this.own!;
    const bins = this.bins;
    while (c.left > 0) {
      c.left--;
      if (--c.slot < 0) c.slot = this.capacity - 1;
      if (bins[c.slot] !== this.missingSlot) return own[c.slot];
    }
    return NaN;
  }

  /**
   * Values by slot (none where the window keeps none), bins, head: bins that fit a byte as the bytes
   * the ring holds (ring-slots.ts), others as Int32.
   */
  snapshot(): SavedSlots {
    // Copies: the window goes on while the checkpoint is written. In the capture arena (both), so a
    // checkpoint's copies are not promoted garbage (core/capture-arena.ts).
    const bins = this.bins;
    const { head, filled } = this;
    if (bins instanceof Int32Array) return this.own === undefined ? { bins: encodeTyped(bins), head, filled } : { ring: encodeTyped(this.own), bins: encodeTyped(bins), head, filled };
    const binBytes = encodeTyped(bins);
    return this.own === undefined ? { binBytes, head, filled } : { values: encodeTyped(this.own), binBytes, head, filled };
  }

  restore(state: unknown): void {
    const { ring, bins, head, filled } = decodeSlots(state as SavedSlots, this.capacity, this.binCounts.length);
    this.version++;
    // Saved without values (a window that keeps none): zeros, as it once saved them.
    if (ring !== undefined) this.own?.set(ring);
    else this.own?.fill(0);
    // Into a byte ring, MISSING_BIN (−1) is stored as 255: the conversion of %TypedArray%.set.
    this.bins.set(bins);
    this.head = head;
    this.filled = filled;
    // Counts are derived from the bins rather than saved, so they always agree.
    this.binCounts.fill(0);
    this.missingCount = 0;
    for (let i = 0; i < filled; i++) {
      const b = bins[i];
      if (b === MISSING_BIN) this.missingCount++;
      else this.binCounts[b]++;
    }
  }
}

/**
 * The ring's values whose bins are not `missingSlot`, newest first from the slot before `head`, into
 * `out`. A function of its own: a loop compiled on-stack deoptimizes code after it never run.
 */
function copyPresent(own: Float64Array, bins: Uint8Array | Int32Array, missingSlot: number, head: number, filled: number, out: Float64Array): void {
  const capacity = own.length;
  let k = 0;
  for (let n = 0, s = head; n < filled; n++) {
    if (--s < 0) s = capacity - 1;
    if (bins[s] !== missingSlot) out[k++] = own[s];
  }
}
