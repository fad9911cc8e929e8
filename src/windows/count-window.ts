/**
 * The last N observations, exactly: a ring of their bins, with bin counts kept incrementally (the
 * evicted observation is subtracted as the new one is added), and of their raw values: in a ring of
 * its own, in a SharedValueRing that data quality's value window of the same length reads as well
 * (shared-value-ring.ts, opt-in: AnalyzerSet's shareValueWindows), or not at all where nothing
 * reads them (a categorical feature's).
 *
 * The bins ring is a byte a slot where the bins fit (≤ 255 with the missing mark: the default 10
 * numeric bins and 2·50 + 1 category bins do), 4 otherwise: 30 kB less per window of 10,000. It is
 * saved as the Int32 bins it always was (MISSING_BIN −1), so checkpoints restore either way.
 */
import { captureArray, captureFilled } from '../core/capture-arena.js';
import { encodeOwned, encodeTyped, type TypedCopy } from '../core/typed-codec.js';
import { decodeSlots, savedByAge, type SavedSlots } from './ring-slots.js';
import { DRIFT, type SharedValueRing } from './shared-value-ring.js';
import { TIME, VALUE, windowInput } from './window-input.js';
import { MISSING_BIN, type RollingWindow } from './window.js';


/** Windows up to this many slots share one bySlot() buffer (1 MiB); larger ones allocate their own. */
const MAX_KEPT_SLOTS = 1 << 17;
let keptSlots = new Float64Array(0);

/** A buffer of `capacity` doubles, its contents undefined: the kept one when small enough. */
function slotBuffer(capacity: number): Float64Array {
  if (capacity > MAX_KEPT_SLOTS) return new Float64Array(capacity);
  if (keptSlots.length < capacity) keptSlots = new Float64Array(capacity);
  return keptSlots.subarray(0, capacity);
}

/** Where a count window's values go. */
export type CountValuesStore = SharedValueRing | 'own' | 'none';

/** The most bins a window keeps a byte a slot for: the byte 255 is MISSING_BIN (−1 stored into a Uint8Array). */
export const BYTE_BINS = 255;

export class CountWindow implements RollingWindow {
  /** Bin by slot: a byte (≤ BYTE_BINS bins) or an Int32; MISSING_BIN reads back as `missingSlot`. */
  private readonly bins: Uint8Array | Int32Array;
  /** What a missing observation's slot reads back as: 255 in a byte ring (−1 wraps to it), MISSING_BIN otherwise. */
  private readonly missingSlot: number;
  private readonly binCounts: Float64Array;
  /** The values by slot (0 for a missing one), when the window keeps its own. */
  private readonly own: Float64Array | undefined;
  private readonly ring: SharedValueRing | undefined;
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
    else if (values !== 'none') {
      if (values.capacity !== capacity) throw new Error(`value ring of ${values.capacity} for a window of ${capacity}`);
      values.reset(DRIFT);
      this.ring = values;
    }
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
    else {
      const ring = this.ring;
      if (ring === undefined) return;
      const staged = ring.staged;
      // Two stores, not `missing ? NaN : value`: V8 makes that choice a heap number (16 B a push).
      staged[0] = this.input[VALUE];
      if (bin === MISSING_BIN) staged[0] = NaN;
      ring.pushStaged(DRIFT);
    }
  }

  /**
   * push(·, values[k], bins[k]) for k < n, in that order, with the ring's position and counts in
   * locals. A shared value ring is not written here: the analyzer pushed drift's value of each
   * record into it as the record arrived (before data quality's push of the same record, which then
   * takes drift's entry: shared-value-ring.ts), so it already holds these n values.
   */
  pushBins(values: Float64Array, bins: Int32Array, n: number): void {
    const ring = this.bins;
    const counts = this.binCounts;
    const own = this.own;
    const capacity = this.capacity;
    const missingSlot = this.missingSlot;
    let head = this.head;
    let filled = this.filled;
    let missing = this.missingCount;
    for (let k = 0; k < n; k++) {
      if (filled === capacity) {
        const old = ring[head];
        if (old === missingSlot) missing--;
        else counts[old]--;
      } else filled++;
      const bin = bins[k];
      ring[head] = bin;
      if (bin === MISSING_BIN) missing++;
      else counts[bin]++;
      if (own !== undefined) own[head] = values[k];
      if (++head === capacity) head = 0;
    }
    this.head = head;
    this.filled = filled;
    this.missingCount = missing;
    this.version += n;
  }

  /** The value ring this window shares with data quality's (its values are pushed by the caller on the batch path: pushBins). */
  get sharedRing(): SharedValueRing | undefined {
    return this.ring;
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

  /** In slot order, as the window always gave them (0s where it keeps no values). */
  values(): Float64Array {
    const bySlot = this.bySlot();
    const out = new Float64Array(this.size());
    let k = 0;
    for (let i = 0; i < this.filled; i++) if (this.bins[i] !== this.missingSlot) out[k++] = bySlot[i];
    return out;
  }

  /**
   * The values by slot: the own ring itself, else read from the shared one straight into slot order
   * (0 where missing), else 0s. The shared case writes into one buffer kept for every window's
   * values(), which copies out of it at once: a tick read two fresh 80 kB arrays (byAge's and the
   * slot layout) per window to build its values (docs/performance.md, 1 December round).
   */
  private bySlot(): Float64Array {
    if (this.own !== undefined) return this.own;
    const out = slotBuffer(this.capacity);
    out.fill(0);
    this.ring?.writeBySlot(DRIFT, this.filled, this.head, out);
    return out;
  }

  /** Values by slot (0 where missing), bins, head: the same whichever way the values are kept. */
  snapshot(): SavedSlots {
    // Copies: the window goes on while the checkpoint is written. In the capture arena (both), so a
    // checkpoint's copies are not promoted garbage (core/capture-arena.ts).
    const ring = this.own !== undefined ? encodeTyped(this.own) : encodeOwned(this.capturedBySlot());
    return { ring, bins: this.savedBins(), head: this.head, filled: this.filled };
  }

  /** The bins as they are saved: Int32, MISSING_BIN for a missing observation (a copy, in capture memory). */
  private savedBins(): TypedCopy {
    const bins = this.bins;
    if (bins instanceof Int32Array) return encodeTyped(bins);
    const out = captureFilled(Int32Array, this.capacity);
    for (let i = 0; i < out.length; i++) {
      const b = bins[i];
      out[i] = b === 0xff ? MISSING_BIN : b;
    }
    return encodeOwned(out);
  }

  /** bySlot() in capture memory, read from the shared ring without byAge's array. */
  private capturedBySlot(): Float64Array {
    const out = captureArray(Float64Array, this.capacity);
    if (this.ring === undefined) return out;
    this.ring.writeBySlot(DRIFT, this.filled, this.head, out);
    for (let i = 0; i < this.filled; i++) if (this.bins[i] === this.missingSlot) out[i] = 0;
    return out;
  }

  restore(state: unknown): void {
    const { ring, bins, head, filled } = decodeSlots(state as SavedSlots, this.capacity, this.binCounts.length);
    const shared = this.ring !== undefined ? savedByAge(ring, head, filled, (i) => bins[i] === MISSING_BIN) : undefined;
    this.version++;
    this.own?.set(ring);
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
    if (shared !== undefined) this.ring!.restore(DRIFT, shared);
  }
}
