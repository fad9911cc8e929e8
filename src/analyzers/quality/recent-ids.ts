/**
 * The last N request ids, for duplicate detection in bounded memory: a Set for lookups and a ring
 * that says which id to forget when a new one comes (about 100 bytes per id plus the string).
 * Best-effort by design: an id repeated after N newer ones is not seen as a duplicate.
 */
import { detached } from '../../core/detached.js';
export class RecentIds {
  private readonly ids = new Set<string>();
  private readonly ring: (string | undefined)[];
  private head = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<string | undefined>(capacity);
  }

  /** True when the id is among the last N; remembers it otherwise. */
  seen(raw: string): boolean {
    // Kept for N records: must not keep the log line it was cut from alive.
    const id = detached(raw);
    // One hash lookup for both questions: add() leaves the size as it was when the id is held.
    const held = this.ids.size;
    this.ids.add(id);
    if (this.ids.size === held) return true;
    const old = this.ring[this.head];
    if (old !== undefined) this.ids.delete(old);
    this.ring[this.head] = id;
    if (++this.head === this.capacity) this.head = 0;
    return false;
  }

  /** The ids held, oldest first. */
  snapshot(): string[] {
    const out: string[] = [];
    for (let k = 0; k < this.capacity; k++) {
      const id = this.ring[(this.head + k) % this.capacity];
      if (id !== undefined) out.push(id);
    }
    return out;
  }

  /** Remembers saved ids oldest first: a smaller capacity keeps the newest, as it would have. */
  restore(saved: unknown): void {
    if (!Array.isArray(saved) || !saved.every((id) => typeof id === 'string')) throw new Error('saved request ids are not a list of strings');
    for (const id of saved as string[]) this.seen(id);
  }
}
