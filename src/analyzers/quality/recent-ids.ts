/**
 * The last N request ids, for duplicate detection in bounded memory: a ring of N positions, each
 * naming the row of an id held packed in an id table (core/shared-ids.ts: ~45 bytes an id, no
 * string kept for ids of up to 16 characters or canonical UUIDs), shared with the label join's
 * waiting predictions when both run; the ring position says which id to forget when a new one comes.
 * Best-effort by design: an id repeated after N newer ones is not seen as a duplicate.
 */
import { CapturedIds } from '../../core/captured-ids.js';
import type { RecordId } from '../../core/id-bytes.js';
import { SharedIds } from '../../core/shared-ids.js';

/** The ids of a snapshot: copied still packed at the capture, or strings read back from a file. */
export type SavedIds = CapturedIds | readonly string[];

export class RecentIds {
  /** Per ring position: the row of its id in `ids`, −1 while empty. */
  private readonly ring: Int32Array;
  /** This ring's mark on the rows it holds. */
  private readonly bit: number;
  private head = 0;

  /** `ids`: the table shared with the other stores of request ids (its own otherwise). */
  constructor(
    readonly capacity: number,
    private readonly ids = new SharedIds(),
  ) {
    this.ring = new Int32Array(capacity).fill(-1);
    this.bit = ids.holder(capacity);
  }

  /** True when the id (its string, or a record's id: core/id-bytes.ts) is among the last N; remembers it otherwise. */
  seen(id: string | RecordId): boolean {
    const ids = this.ids;
    const row = ids.find(id);
    if (row >= 0 && ids.holds(row, this.bit)) return true;
    // The forgotten id is not this one (this ring does not hold it): `row` stays its row.
    const old = this.ring[this.head];
    if (old >= 0) ids.release(old, this.bit);
    this.ring[this.head] = ids.hold(id, row, this.bit);
    if (++this.head === this.capacity) this.head = 0;
    return false;
  }

  /** Bytes of the ring (the id table itself is the memory budget's request_ids part, SharedIds.bytes). */
  bytes(): number {
    return this.ring.byteLength;
  }

  /**
   * The ids held, oldest first, copied still packed (written to the checkpoint as the JSON array of
   * their strings). Why: rebuilt as strings, the ids of a full ring (10,000 by default) were ~2.7 MB
   * allocated at every 5 s capture (33 MB a minute in the live bench's heap profile), held until
   * the write finished, so promoted into the old generation.
   */
  snapshot(): CapturedIds {
    const rows = new Int32Array(this.capacity);
    let n = 0;
    for (let k = 0; k < this.capacity; k++) {
      const row = this.ring[(this.head + k) % this.capacity];
      if (row >= 0) rows[n++] = row;
    }
    return this.ids.capture(n === rows.length ? rows : rows.subarray(0, n));
  }

  /** Remembers saved ids oldest first: a smaller capacity keeps the newest, as it would have. */
  restore(saved: unknown): void {
    if (saved instanceof CapturedIds) {
      for (let i = 0; i < saved.length; i++) this.seen(saved.at(i));
      return;
    }
    if (!Array.isArray(saved) || !saved.every((id) => typeof id === 'string')) throw new Error('saved request ids are not a list of strings');
    for (const id of saved as string[]) this.seen(id);
  }
}
