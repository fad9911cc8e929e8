/**
 * The last N request ids, for duplicate detection in bounded memory: a ring of N rows, each id held
 * packed in an IdTable (core/id-table.ts, ~45 bytes an id, no string kept for ids of up to 16
 * characters or canonical UUIDs), the ring position saying which id to forget when a new one comes.
 * Best-effort by design: an id repeated after N newer ones is not seen as a duplicate.
 */
import { CapturedIds } from '../../core/captured-ids.js';
import { IdTable } from '../../core/id-table.js';

/** The ids of a snapshot: copied still packed at the capture, or strings read back from a file. */
export type SavedIds = CapturedIds | readonly string[];

export class RecentIds {
  private readonly ids: IdTable;
  private head = 0;

  constructor(readonly capacity: number) {
    // Ring positions are the rows: never past capacity.
    this.ids = new IdTable(capacity);
  }

  /** True when the id is among the last N; remembers it otherwise. */
  seen(id: string): boolean {
    if (this.ids.find(id) >= 0) return true;
    const row = this.head;
    if (this.ids.holds(row)) this.ids.remove(row);
    this.ids.insert(id, row);
    if (++this.head === this.capacity) this.head = 0;
    return false;
  }

  /** Bytes held (the memory budget's request_ids part). */
  bytes(): number {
    return this.ids.bytes();
  }

  /**
   * The ids held, oldest first, copied still packed (written to the checkpoint as the JSON array of
   * their strings). Why: rebuilt as strings, the ids of a full ring (10,000 by default) were ~2.7 MB
   * allocated at every 5 s capture (33 MB a minute in the live bench's heap profile), held until
   * the write finished, so promoted into the old generation.
   */
  snapshot(): CapturedIds {
    const rows = new Int32Array(this.ids.size);
    let n = 0;
    for (let k = 0; k < this.capacity; k++) {
      const row = (this.head + k) % this.capacity;
      if (this.ids.holds(row)) rows[n++] = row;
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
