/**
 * Data quality's value window over the last N records of one numeric feature (for its summary
 * statistics): the values only, NaN for a missing one, in a SharedValueRing where drift's count
 * window of the same length has written the same values before it (shared-value-ring.ts).
 * Saved and restored in the form of a one-bin CountWindow (bin 0, or −1 for a missing value), so a
 * checkpoint of either restores in the other.
 */
import { captureArray } from '../core/capture-arena.js';
import { encodeOwned } from '../core/typed-codec.js';
import { decodeSlots, savedByAge, type SavedSlots } from './ring-slots.js';
import { QUALITY, SharedValueRing } from './shared-value-ring.js';
import { MISSING_BIN, type RollingWindow } from './window.js';


export class CountValues implements RollingWindow {
  private head = 0;
  private filled = 0;
  version = 0;

  constructor(
    readonly capacity: number,
    private readonly ring = new SharedValueRing(capacity, 'own'),
  ) {
    if (ring.capacity !== capacity) throw new Error(`value ring of ${ring.capacity} for a window of ${capacity}`);
    ring.reset(QUALITY);
  }

  /** `bin` −1 for a missing value, else any (one bin). */
  push(_t: number, value: number, bin: number): void {
    this.version++;
    if (this.filled < this.capacity) this.filled++;
    if (++this.head === this.capacity) this.head = 0;
    const ring = this.ring;
    const staged = ring.staged;
    // Two stores, not `missing ? NaN : value`: V8 makes that choice a heap number (16 B a push).
    staged[0] = value;
    if (bin === MISSING_BIN) staged[0] = NaN;
    ring.pushStaged(QUALITY);
  }

  advance(): void {}

  counts(): Float64Array {
    return Float64Array.of(this.size());
  }

  size(): number {
    let n = 0;
    const byAge = this.ring.byAge(QUALITY, this.filled);
    for (let i = 0; i < byAge.length; i++) if (!Number.isNaN(byAge[i])) n++;
    return n;
  }

  missing(): number {
    return this.filled - this.size();
  }

  /** Newest first (the summary sorts them): one array, the window's values without the missing ones. */
  values(): Float64Array {
    const byAge = this.ring.byAge(QUALITY, this.filled);
    let k = 0;
    for (let i = 0; i < byAge.length; i++) if (!Number.isNaN(byAge[i])) byAge[k++] = byAge[i];
    return byAge.subarray(0, k);
  }

  snapshot(): SavedSlots {
    // In the capture arena, read without byAge's array: copies held while the checkpoint is written
    // were promoted and brought on V8's full collections (core/capture-arena.ts).
    const ring = captureArray(Float64Array, this.capacity);
    this.ring.writeBySlot(QUALITY, this.filled, this.head, ring);
    const bins = captureArray(Int32Array, this.capacity);
    for (let i = 0; i < this.filled; i++) if (Number.isNaN(ring[i])) bins[i] = MISSING_BIN;
    return { ring: encodeOwned(ring), bins: encodeOwned(bins), head: this.head, filled: this.filled };
  }

  restore(state: unknown): void {
    // Data quality's values have one bin (0) besides MISSING_BIN.
    const { ring: saved, bins, head, filled } = decodeSlots(state as SavedSlots, this.capacity, 1);
    const values = savedByAge(saved, head, filled, (i) => bins[i] === MISSING_BIN);
    this.version++;
    this.head = head;
    this.filled = filled;
    this.ring.restore(QUALITY, values);
  }
}
