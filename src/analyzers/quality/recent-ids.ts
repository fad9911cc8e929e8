/**
 * The last N request ids, for duplicate detection in bounded memory: a ring of N rows, each id held
 * packed in an IdTable (core/id-table.ts, ~45 bytes an id, no string kept for ids of up to 16
 * characters or canonical UUIDs), the ring position saying which id to forget when a new one comes.
 * Best-effort by design: an id repeated after N newer ones is not seen as a duplicate.
 */
import { IdTable } from '../../core/id-table.js';

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

  /** The ids held, oldest first. */
  snapshot(): string[] {
    const out: string[] = [];
    for (let k = 0; k < this.capacity; k++) {
      const row = (this.head + k) % this.capacity;
      if (this.ids.holds(row)) out.push(this.ids.idAt(row));
    }
    return out;
  }

  /** Remembers saved ids oldest first: a smaller capacity keeps the newest, as it would have. */
  restore(saved: unknown): void {
    if (!Array.isArray(saved) || !saved.every((id) => typeof id === 'string')) throw new Error('saved request ids are not a list of strings');
    for (const id of saved as string[]) this.seen(id);
  }
}
