/**
 * Data quality's value window over the last N records of one numeric feature (for its summary
 * statistics): the values only, NaN for a missing one, in a ring of its own, or (opt-in:
 * AnalyzerSet's shareValueWindows) in a SharedValueRing where drift's count window of the same
 * length has written the same values before it (shared-value-ring.ts). Its own ring is the default:
 * a push is a store (~6 ns), where the shared log's bookkeeping cost ~16–22 ns a push on each side
 * for 64 kB less per feature at 10,000 (docs/performance.md, "Own value rings").
 * Saved and restored in the form of a one-bin CountWindow (bin 0, or −1 for a missing value), so a
 * checkpoint of either restores in the other, and either storage saves the same.
 */
import { captureArray } from '../core/capture-arena.js';
import { encodeOwned, encodeTyped } from '../core/typed-codec.js';
import { decodeSlots, savedByAge, slotAge, type SavedSlots } from './ring-slots.js';
import { QUALITY, type SharedValueRing } from './shared-value-ring.js';
import { MISSING_BIN, type RollingWindow } from './window.js';

export class CountValues implements RollingWindow {
  private head = 0;
  private filled = 0;
  version = 0;
  /** The values by slot (NaN for a missing one), the next at `head`, unless a shared ring holds them. */
  private readonly own: Float64Array | undefined;
  private readonly ring: SharedValueRing | undefined;

  constructor(
    readonly capacity: number,
    ring?: SharedValueRing,
  ) {
    if (ring === undefined) {
      this.own = new Float64Array(capacity);
      return;
    }
    if (ring.capacity !== capacity) throw new Error(`value ring of ${ring.capacity} for a window of ${capacity}`);
    ring.reset(QUALITY);
    this.ring = ring;
  }

  /** `bin` −1 for a missing value, else any (one bin). */
  push(_t: number, value: number, bin: number): void {
    this.version++;
    if (this.filled < this.capacity) this.filled++;
    const head = this.head;
    if (++this.head === this.capacity) this.head = 0;
    const own = this.own;
    if (own !== undefined) {
      // Two stores, not `missing ? NaN : value`: V8 makes that choice a heap number (16 B a push).
      own[head] = value;
      if (bin === MISSING_BIN) own[head] = NaN;
      return;
    }
    const ring = this.ring!;
    const staged = ring.staged;
    staged[0] = value;
    if (bin === MISSING_BIN) staged[0] = NaN;
    ring.pushStaged(QUALITY);
  }

  advance(): void {}

  counts(): Float64Array {
    return Float64Array.of(this.size());
  }

  size(): number {
    const own = this.own;
    if (own === undefined) return this.values().length;
    let n = 0;
    for (let i = 0; i < this.filled; i++) if (!Number.isNaN(own[i])) n++;
    return n;
  }

  missing(): number {
    return this.filled - this.size();
  }

  /** Newest first (the summary sorts them): one array, the window's values without the missing ones. */
  values(): Float64Array {
    const own = this.own;
    if (own === undefined) return present(this.ring!.byAge(QUALITY, this.filled));
    const out = new Float64Array(this.filled);
    let k = 0;
    for (let n = 0, s = this.head; n < this.filled; n++) {
      if (--s < 0) s = this.capacity - 1;
      const v = own[s];
      if (!Number.isNaN(v)) out[k++] = v;
    }
    return out.subarray(0, k);
  }

  snapshot(): SavedSlots {
    // In the capture arena, read without byAge's array: copies held while the checkpoint is written
    // were promoted and brought on V8's full collections (core/capture-arena.ts).
    let ring: Float64Array;
    if (this.own !== undefined) ring = this.own;
    else {
      ring = captureArray(Float64Array, this.capacity);
      this.ring!.writeBySlot(QUALITY, this.filled, this.head, ring);
    }
    const bins = captureArray(Int32Array, this.capacity);
    for (let i = 0; i < this.filled; i++) if (Number.isNaN(ring[i])) bins[i] = MISSING_BIN;
    return { ring: this.own !== undefined ? encodeTyped(ring) : encodeOwned(ring), bins: encodeOwned(bins), head: this.head, filled: this.filled };
  }

  restore(state: unknown): void {
    // Data quality's values have one bin (0) besides MISSING_BIN.
    const { ring: saved, bins, head, filled } = decodeSlots(state as SavedSlots, this.capacity, 1);
    // Newest first, NaN where missing (savedByAge refuses a head that does not fit, before any change).
    const byAge = savedByAge(saved, head, filled, (i) => bins[i] === MISSING_BIN);
    this.version++;
    this.head = head;
    this.filled = filled;
    const own = this.own;
    if (own === undefined) {
      this.ring!.restore(QUALITY, byAge);
      return;
    }
    // By slot, as saved; slots never filled hold 0, as a window's own ring that has not wrapped.
    own.fill(0);
    for (let i = 0; i < filled; i++) own[i] = byAge[slotAge(i, head, this.capacity) - 1];
  }
}

/** The values that are not missing (NaN), in place, in order. */
function present(values: Float64Array): Float64Array {
  let k = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) values[k++] = values[i];
  return values.subarray(0, k);
}
