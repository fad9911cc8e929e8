/**
 * Reuses the strings a log repeats. A category, model or version decoded from each line is a new
 * string every time: an allocation, and a hash to compute again in every Map that looks it up
 * (binner, data quality, PCA encoder). Here each position (a feature, a top-level field) has a
 * small direct-mapped table of the strings it last produced; when the bytes at hand spell the
 * one their slot holds (compared with a copy of its UTF-8 bytes), that string is returned, and
 * nothing is decoded or allocated. A position whose values do not repeat (ids, timestamps) stops
 * being looked up once it has missed far more often than it hit: each miss also stores a young
 * string into an old table, which the garbage collector must track.
 *
 * Before the string's end is even looked for, `heldEnd` asks whether the bytes at hand begin with the
 * string this position last gave for the same first two bytes, followed by its closing quote: a
 * category, a model name, a version is then recognised by comparing its bytes once, instead of a
 * pass to find its end and hash it and another to compare it with the slot's string.
 */

/** Slots per position (a power of two). */
const SLOTS = 32;
/** heldEnd's entries per position (a power of two, at most 128: slots are kept in an Int8Array). */
const PREFIXES = 64;
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
  /** The UTF-8 bytes of each slot's string (a copy: the read buffer is reused). */
  bytes: (Uint8Array | undefined)[];
  /** By the string's first two bytes (prefixOf): the slot heldEnd compares first; −1 none. */
  byPrefix: Int8Array;
}

const QUOTE = 0x22;

export class StringInterner {
  private readonly tables: Table[] = [];
  /** Per position: hits minus misses, capped at 0 (a position that hits stays on). */
  private readonly balance: number[] = [];
  /** The string heldEnd recognised. */
  held = '';

  /**
   * The index of the closing quote when b[start, …) spells a string this position holds, as JSON
   * text without escapes, then a quote; −1 otherwise (then find the string's end and call get). The
   * string is then `held`. Only strings without a quote, backslash or control character are
   * offered (see get), so the bytes up to that quote are exactly the string.
   */
  heldEnd(b: Uint8Array, start: number, position: number): number {
    const table = this.tables[position];
    if (table === undefined) return -1;
    const balance = this.balance[position];
    if (balance <= GIVE_UP) return -1;
    const slot = table.byPrefix[prefixOf(b[start], b[start + 1])];
    if (slot < 0) return -1;
    const bytes = table.bytes[slot]!;
    const n = bytes.length;
    if (b[start + n] !== QUOTE) return -1;
    for (let j = 0; j < n; j++) if (b[start + j] !== bytes[j]) return -1;
    if (balance < 0) this.balance[position] = balance + 1;
    this.held = table.strings[slot]!;
    return start + n;
  }

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
      table = this.tables[position] = {
        strings: new Array<string | undefined>(SLOTS).fill(undefined),
        bytes: new Array<Uint8Array | undefined>(SLOTS).fill(undefined),
        byPrefix: new Int8Array(PREFIXES).fill(-1),
      };
      this.balance[position] = 0;
    }
    const balance = this.balance[position];
    if (balance <= GIVE_UP) return decode(b, start, end, ascii);
    // Every byte in the hash (categories often share their length and first and last letters), mixed down to a slot.
    const slot = (hash ^ (hash >>> 5) ^ (hash >>> 10) ^ n) & (SLOTS - 1);
    const held = table.strings[slot];
    const prefix = prefixOf(b[start], b[start + 1]);
    if (held !== undefined) {
      const heldBytes = table.bytes[slot]!;
      if (heldBytes.length === n && sameBytes(heldBytes, b, start, n)) {
        if (balance < 0) this.balance[position] = balance + 1;
        // Strings sharing their first two bytes take turns at heldEnd's slot: the latest is tried first.
        if (table.byPrefix[prefix] !== slot && isPlain(heldBytes)) table.byPrefix[prefix] = slot;
        return held;
      }
    }
    this.balance[position] = balance - 1;
    const copy = new Uint8Array(n);
    for (let j = 0; j < n; j++) copy[j] = b[start + j];
    table.bytes[slot] = copy;
    // The slot's previous string may still be some prefix's: that prefix now leads to this string,
    // which heldEnd compares anyway, unless JSON text cannot spell it as it is.
    if (isPlain(copy)) table.byPrefix[prefix] = slot;
    else for (let p = 0; p < PREFIXES; p++) if (table.byPrefix[p] === slot) table.byPrefix[p] = -1;
    return (table.strings[slot] = decode(b, start, end, ascii));
  }
}

function decode(b: Buffer, start: number, end: number, ascii: boolean): string {
  // latin1 is the same as utf8 for ASCII, and cheaper (no decoding).
  return b.toString(ascii ? 'latin1' : 'utf8', start, end);
}

/** heldEnd's index (of PREFIXES) for a string starting with bytes c0, c1 (either may be the closing quote, or past the buffer: undefined). */
function prefixOf(c0: number | undefined, c1: number | undefined): number {
  return ((c0 ?? 0) ^ ((c1 ?? 0) << 3) ^ ((c1 ?? 0) >>> 3)) & (PREFIXES - 1);
}

/** Bytes a JSON string may spell as they are: no quote, backslash or control character (those are escaped). */
function isPlain(bytes: Uint8Array): boolean {
  for (let j = 0; j < bytes.length; j++) {
    const c = bytes[j];
    if (c < 0x20 || c === QUOTE || c === 0x5c) return false;
  }
  return true;
}

function sameBytes(held: Uint8Array, b: Uint8Array, start: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (held[j] !== b[start + j]) return false;
  return true;
}
