/**
 * Reuses the strings a log repeats. A category, model or version decoded from each line is a new
 * string every time: an allocation, and a hash to compute again in every Map that looks it up
 * (binner, data quality, PCA encoder). Here each position (a feature, a top-level field) has a
 * small direct-mapped table of the strings it last produced; when the bytes at hand spell the
 * one their slot holds (an ASCII string compared by its character codes, another by a copy of its
 * UTF-8 bytes), that string is returned, and nothing is decoded or allocated. A position whose values do not repeat (ids, timestamps) stops being looked up once it
 * has missed far more often than it hit: each miss also stores a young string into an old table,
 * which the garbage collector must track.
 */

/** Slots per position (a power of two). */
const SLOTS = 32;
/** Longer strings (in bytes) are rarely repeated categories: decoded as they are. */
const MAX_LENGTH = 64;
/** Hits minus misses below which a position is no longer looked up. */
const GIVE_UP = -512;
/**
 * Positions with a table. A hostile or sparse log can put 100,000 keys in one 1 MiB features object;
 * a table for each would stay for the process's life. Real feature sets are far smaller.
 */
const MAX_POSITIONS = 1024;

interface Table {
  strings: (string | undefined)[];
  /** The UTF-8 bytes of a slot's string when it is not ASCII (an ASCII string is compared by its character codes). */
  bytes: (Uint8Array | undefined)[];
}

export class StringInterner {
  private readonly tables: Table[] = [];
  /** Per position: hits minus misses, capped at 0 (a position that hits stays on). */
  private readonly balance: number[] = [];

  /**
   * The string whose UTF-8 bytes are b[start, end) (valid UTF-8, no JSON escapes: the caller
   * checked), or an equal string this position produced before. `ascii`: every byte is below 0x80.
   * `hash`: any function of the bytes (it only picks the slot; a hit is decided by comparing the
   * bytes); the scanner's stringEnd takes it in the pass that finds the string's end.
   */
  get(b: Buffer, start: number, end: number, position: number, ascii: boolean, hash: number): string {
    const n = end - start;
    if (n > MAX_LENGTH || position >= MAX_POSITIONS) return decode(b, start, end, ascii);
    let table = this.tables[position];
    if (table === undefined) {
      table = this.tables[position] = { strings: new Array<string | undefined>(SLOTS).fill(undefined), bytes: new Array<Uint8Array | undefined>(SLOTS).fill(undefined) };
      this.balance[position] = 0;
    }
    const balance = this.balance[position];
    if (balance <= GIVE_UP) return decode(b, start, end, ascii);
    // Every byte in the hash (categories often share their length and first and last letters), mixed down to a slot.
    const slot = (hash ^ (hash >>> 5) ^ (hash >>> 10) ^ n) & (SLOTS - 1);
    const held = table.strings[slot];
    if (held !== undefined) {
      const heldBytes = table.bytes[slot];
      if (heldBytes === undefined ? held.length === n && sameAscii(held, b, start, n) : heldBytes.length === n && sameBytes(heldBytes, b, start, n)) {
        if (balance < 0) this.balance[position] = balance + 1;
        return held;
      }
    }
    this.balance[position] = balance - 1;
    let copy: Uint8Array | undefined;
    if (!ascii) {
      // A copy: the read buffer is reused.
      copy = new Uint8Array(n);
      for (let j = 0; j < n; j++) copy[j] = b[start + j];
    }
    table.bytes[slot] = copy;
    return (table.strings[slot] = decode(b, start, end, ascii));
  }
}

function decode(b: Buffer, start: number, end: number, ascii: boolean): string {
  // latin1 is the same as utf8 for ASCII, and cheaper (no decoding).
  return b.toString(ascii ? 'latin1' : 'utf8', start, end);
}

function sameAscii(held: string, b: Uint8Array, start: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (held.charCodeAt(j) !== b[start + j]) return false;
  return true;
}

function sameBytes(held: Uint8Array, b: Uint8Array, start: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (held[j] !== b[start + j]) return false;
  return true;
}
