/**
 * One IdTable (core/id-table.ts) for every store that holds a record's request id: data quality's
 * last N ids (the duplicate check) and the label join's waiting predictions. Each row is marked by
 * which stores hold it (a bit per store); the id leaves the table when the last one lets it go.
 *
 * Why: with a table each, a record's id was probed twice, inserted twice and removed twice (the
 * ring forgets its oldest id, the label store evicts its oldest prediction), ~8 % of the ingest's
 * busy time. Shared, a record's id is probed once (the second store asks for the same id and gets
 * the row the first one found or made) and inserted once; of the two stores letting go of an old id,
 * only the later one removes it (the ring holds 10,000 ids, the label store 100,000, so in a stream
 * of distinct ids the ring lets go first and only marks the row).
 *
 * Each store keeps its own order (ring positions, FIFO queue): what it holds, and when it lets go,
 * is what it was with a table of its own. Rows are handed out here; a store's per-row columns are
 * indexed by them, so they are sized by `capacity` (the rows all stores reserved).
 *
 * An id is given as its string, or as a record (core/id-bytes.ts RecordId): then it is packed
 * from the line's bytes when the line spelled it plainly, and its string is read only when it does
 * not pack (longer than 16 characters and not a UUID).
 */
import type { CapturedIds } from './captured-ids.js';
import type { RecordId } from './id-bytes.js';
import { IdTable } from './id-table.js';

export class SharedIds {
  private readonly table = new IdTable();
  /** Per row: the bits of the stores that hold its id, 0 when the row is free. */
  private holders: Uint8Array = new Uint8Array(0);
  private readonly free: number[] = [];
  /** Rows handed out so far (the next new one). */
  private next = 0;
  private bits = 0;
  /** Rows reserved by the stores (Infinity when one is unbounded). */
  capacity = 0;
  /**
   * The last id found or held (its string, or its bytes' serial; 0: none) and its row (−1: not
   * held): the second store's probe for a record's id.
   */
  private lastId: string | undefined;
  private lastSerial = 0;
  private lastRow = -1;

  /**
   * A store that holds at most `rows` ids at once (Infinity: unbounded); returns its bit. The table
   * grows to the sum of the stores' rows now, once, not while records come.
   */
  holder(rows: number): number {
    if (this.bits === 8) throw new Error('at most 8 stores share an id table');
    const bit = 1 << this.bits++;
    this.capacity += rows;
    if (Number.isFinite(this.capacity)) {
      this.table.reserve(this.capacity);
      if (this.capacity > this.holders.length) this.holders = grownBytes(this.holders, this.capacity);
    }
    return bit;
  }

  /** Ids held (by any store). */
  get size(): number {
    return this.table.size;
  }

  /** The row holding `id` (for whichever stores), or −1. */
  find(id: string | RecordId): number {
    if (typeof id !== 'string') {
      const ref = id.requestIdBytes;
      if (ref === undefined) return this.find(id.requestId!);
      if (ref.serial === this.lastSerial) return this.lastRow;
      const row = this.table.findBytes(ref);
      // Not packed from its bytes: found by its string.
      if (row === -2) return this.find(id.requestId!);
      this.lastId = undefined;
      this.lastSerial = ref.serial;
      return (this.lastRow = row);
    }
    if (id === this.lastId) return this.lastRow;
    this.lastId = id;
    this.lastSerial = 0;
    return (this.lastRow = this.table.find(id));
  }

  /** Whether the store `bit` holds the row's id. */
  holds(row: number, bit: number): boolean {
    return (this.holders[row] & bit) !== 0;
  }

  /**
   * Marks `id` held by the store `bit` (which does not hold it yet); `row` is find(id)'s answer,
   * the id's row or −1 (then the id gets a row). Returns the row.
   */
  hold(id: string | RecordId, row: number, bit: number): number {
    // The way find() took (bytes, when it remembers this id's serial), else the string.
    const ref = typeof id === 'string' ? undefined : id.requestIdBytes;
    const text = ref !== undefined && ref.serial === this.lastSerial ? undefined : typeof id === 'string' ? id : id.requestId!;
    if (row < 0) {
      row = this.free.length > 0 ? this.free.pop()! : this.next++;
      if (row >= this.holders.length) this.holders = grownBytes(this.holders, Math.max(row + 1, this.holders.length * 2, 16));
      if (text === undefined) this.table.insertBytes(ref!, row);
      else this.table.insert(text, row);
    }
    this.holders[row] |= bit;
    this.lastId = text;
    this.lastSerial = text === undefined ? ref!.serial : 0;
    this.lastRow = row;
    return row;
  }

  /** The store `bit` lets go of the row's id; the row is freed when no store holds it any more. */
  release(row: number, bit: number): void {
    const left = this.holders[row] & ~bit;
    this.holders[row] = left;
    if (left !== 0) return;
    this.table.remove(row);
    this.free.push(row);
    if (row === this.lastRow) this.lastRow = -1;
  }

  /** The store `bit` will let go of the row's id soon: when that frees the row, its removal is announced to the table (IdTable.touch). */
  touch(row: number, bit: number): void {
    if ((this.holders[row] & ~bit) === 0) this.table.touch(row);
  }

  /** The id of a held row, as the string it was given as. */
  idAt(row: number): string {
    return this.table.idAt(row);
  }

  /** Copies of the ids of `rows` (held rows, in that order), still packed (IdTable.capture). */
  capture(rows: Int32Array): CapturedIds {
    return this.table.capture(rows);
  }

  /**
   * Bytes of typed arrays held: the table and a holder byte a row (the memory budget's request_ids
   * part). The free rows' list is left out: in a stream it holds a row or two (a row the label store
   * frees is taken by the next record).
   */
  bytes(): number {
    return this.table.bytes() + this.holders.byteLength;
  }
}

function grownBytes(a: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(a);
  return out;
}
