/**
 * A set of request ids held in typed arrays, found by value: the index behind the label join's
 * waiting predictions and the data-quality duplicate check (one table for both: core/shared-ids.ts,
 * which hands out the rows). Each id belongs to a row that the caller manages; the table maps id → row.
 *
 * Why not a Map<string, number>: at 100 000 ids that churn (one in, one out per record) a Map costs
 * ~100 bytes an id with its string, every evicted id is old-generation garbage, and a lookup chases
 * bucket → entry → string across memory (600–1,400 ns measured on the bench machine). Here an id is
 * packed into 16 bytes: a canonical UUID (lower- or upper-case hex, 8-4-4-4-12) as its 128 bits, any
 * other id of up to 16 characters below U+0100 as those characters, one byte each. Only longer ids
 * are kept as strings (by reference, in a column). The slots are open addressing with linear probing,
 * at most half full of ids, and nothing is left behind for the garbage collector.
 *
 * A slot holds its row (row + 1, in the low `rowBits` bits) and the high bits of its id's hash
 * (the tag, in the bits above): a probe reads another id's row only when the tags agree (at
 * 110,000 rows 15 tag bits, one of them also in the slot's index: 1 in 16,384 for an id nearby),
 * so it touches the slots and the one row it finds. A removed id's slot becomes a tombstone (probes pass it, inserts take it) unless the next
 * slot is empty, then it and the tombstones just before it become empty; the slots are made again
 * from the rows when tombstones and ids fill five eighths of them (3 times in 1M records through
 * a 110,000-row table). Why: a record's id is one probe for a new id and one removal of an id
 * 100,000 records old, both into a 1 MiB slot array cold in the caches; a row read for every id
 * passed (a find) and for every id shifted back (the backward-shift deletion used before) was one
 * more cache miss each, ~2 a record.
 *
 * Exact: two ids share a row only when they are the same string (the packing is one-to-one within
 * each kind, and the kind is compared too).
 *
 * One packing per record: the last id packed is remembered (by its string, or by the serial of its
 * bytes: core/id-bytes.ts), so a find and the insert after it pack it once. An id is packed from a
 * log line's bytes exactly as from its string (findBytes, insertBytes), so that a lent record's id
 * need never be decoded.
 */

import { captureFilled } from './capture-arena.js';
import { CapturedIds } from './captured-ids.js';
import { detached } from './detached.js';
import { FREE, LONG, SHORT, UUID_LOWER, UUID_UPPER, packedText } from './packed-id.js';
import type { IdBytes } from './id-bytes.js';

const MIN_SLOTS = 16;
/** Row bits while the table holds no row (rows 0 … 14 then). */
const MIN_ROW_BITS = 4;

/**
 * The last id packed: its kind, length, words and hash (find then insert pack once), and which id
 * it was: its string, or the serial of its bytes (core/id-bytes.ts; 0 when packed from a string).
 */
const packed = { id: undefined as string | undefined, serial: 0, kind: FREE, length: 0, hash: 0 };
const words = new Uint32Array(4);

export class IdTable {
  private kind = new Uint8Array(0);
  private length = new Uint8Array(0);
  private hash = new Uint32Array(0);
  private words = new Uint32Array(0);
  private long: (string | undefined)[] = [];
  /** (hash & ~rowMask) | (row + 1) per slot; 0 is an empty slot, `tomb` a removed id's. */
  private slots = new Int32Array(MIN_SLOTS);
  private mask = MIN_SLOTS - 1;
  /** The low bits of a slot that hold its row + 1: every row + 1 fits (rows ≤ rowMask). */
  private rowMask = (1 << MIN_ROW_BITS) - 1;
  /** A removed id's slot: no row (row part 0), every tag bit set. */
  private tomb = ~this.rowMask;
  /** Tombstones in the slots. */
  private tombs = 0;
  /** The first slot of the removal touch() announced (0 while none was), read beside the next probe's first. */
  private soon = 0;
  /** What that read gave, kept so that the read is not left out as unused. */
  private touched = 0;
  size = 0;

  /**
   * `maxRows`: the caller never uses a row at or past it (a FIFO of max_entries, a ring of N). The
   * columns and slots are then allocated once at that size: no doubled copies left for the garbage
   * collector (grown arrays outlive a young-generation collection and wait for a full one, ~8 MB
   * of them at 100 000 ids), and no rows rounded up to the next power of two. Zeroed pages are
   * only resident once a row on them is used.
   */
  constructor(maxRows = Infinity) {
    if (Number.isFinite(maxRows)) this.reserve(maxRows);
  }

  /** Room for `rows` rows (0 … rows − 1) at most half full, allocated now (the stores sharing a table reserve theirs as they are made). */
  reserve(rows: number): void {
    if (rows > this.kind.length) this.growRows(rows);
    const slots = slotsFor(rows);
    if (slots > this.slots.length) this.rehash(slots);
  }

  /** The row holding `id`, or −1. */
  find(id: string): number {
    if (packed.id !== id) pack(id);
    return this.probe();
  }

  /**
   * The row holding the id whose plain ASCII bytes `ref` points at, or −1, packed as its string
   * would be; −2 when the id does not pack (longer than 16 characters and not a UUID: kept as a
   * string, so the caller finds its string).
   */
  findBytes(ref: IdBytes): number {
    if (packed.serial !== ref.serial && !packBytes(ref)) return -2;
    return this.probe();
  }

  /** The row of the id packed last, or −1. */
  private probe(): number {
    const slots = this.slots;
    const mask = this.mask;
    const rowMask = this.rowMask;
    const hash = packed.hash;
    this.touched = slots[this.soon];
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const held = slots[i];
      if (held === 0) return -1;
      // Another id's row is read only when the tags agree; a tombstone has no row (−1).
      if (((held ^ hash) & ~rowMask) === 0) {
        const row = (held & rowMask) - 1;
        if (row >= 0 && this.matches(row)) return row;
      }
    }
  }

  has(id: string): boolean {
    return this.find(id) >= 0;
  }

  /** Puts `id` (not held: the caller checks) at `row` (free: the caller manages rows). */
  insert(id: string, row: number): void {
    if (packed.id !== id) pack(id);
    this.insertPacked(id, row);
  }

  /** insert() for an id that findBytes() packed (not −2 for it). */
  insertBytes(ref: IdBytes, row: number): void {
    if (packed.serial !== ref.serial && !packBytes(ref)) throw new Error('an id that does not pack from its bytes is inserted by its string');
    this.insertPacked(undefined, row);
  }

  /** Puts the id packed last at `row`; `id`: its string, kept for a long id. */
  private insertPacked(id: string | undefined, row: number): void {
    if (row >= this.kind.length) this.growRows(Math.max(row + 1, this.kind.length * 2, 16));
    if ((this.size + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else if ((this.size + this.tombs + 1) * 8 > this.slots.length * 5) this.rehash(this.slots.length);
    this.kind[row] = packed.kind;
    this.length[row] = packed.length;
    this.hash[row] = packed.hash;
    const w = row * 4;
    this.words[w] = words[0];
    this.words[w + 1] = words[1];
    this.words[w + 2] = words[2];
    this.words[w + 3] = words[3];
    // Kept for as long as the row: must not keep the log line it was cut from alive.
    if (packed.kind === LONG) this.long[row] = detached(id!);
    this.place(row);
    this.size++;
  }

  /** Frees a held row. */
  remove(row: number): void {
    const slots = this.slots;
    const mask = this.mask;
    const rowMask = this.rowMask;
    let i = this.hash[row] & mask;
    while ((slots[i] & rowMask) !== row + 1) i = (i + 1) & mask;
    if (slots[(i + 1) & mask] !== 0) {
      // A probe run goes on past this slot: it stays in the run, as a tombstone.
      slots[i] = this.tomb;
      this.tombs++;
    } else {
      // The run ends here: this slot and the tombstones just before it end it sooner.
      slots[i] = 0;
      const tomb = this.tomb;
      for (i = (i - 1) & mask; slots[i] === tomb; i = (i - 1) & mask) {
        slots[i] = 0;
        this.tombs--;
      }
    }
    // Only a long id's column entry exists: writing one for every row would grow the array to all rows.
    if (this.kind[row] === LONG) this.long[row] = undefined;
    this.kind[row] = FREE;
    this.size--;
  }

  /**
   * Announces remove(row) (the label store's next eviction): the next probe reads the slot that
   * removal will read first beside its own first slot. Why: both are cache misses in a full store
   * (a new id's slot and an id 100,000 records old, at random in the 1 MiB slot array); read one
   * after the other, each stalls the record in turn, read together they are fetched at once. Read
   * alone a record ahead it stalled as the removal did (a load must finish before what follows it
   * can retire), so it rides with the probe. With the caches disturbed as the pipeline does (16
   * random reads of 64 MB a record) a record's id work went from ~900 to ~800 ns.
   */
  touch(row: number): void {
    this.soon = this.hash[row] & this.mask;
  }

  /** Whether a row holds an id. */
  holds(row: number): boolean {
    return row < this.kind.length && this.kind[row] !== FREE;
  }

  /** The id of a held row, as the string it was given as. */
  idAt(row: number): string {
    const kind = this.kind[row];
    return kind === LONG ? this.long[row]! : packedText(kind, this.length[row], this.words, row * 4);
  }

  /**
   * Copies of the ids of `rows` (held rows, in that order), packed as they are here: what a snapshot
   * keeps instead of a string per id (CapturedIds turns them into JSON while it is written).
   */
  capture(rows: Int32Array): CapturedIds {
    const n = rows.length;
    const kind = captureFilled(Uint8Array, n);
    const length = captureFilled(Uint8Array, n);
    const words = captureFilled(Uint32Array, 4 * n);
    const long = new Map<number, string>();
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      kind[i] = this.kind[row];
      length[i] = this.length[row];
      for (let k = 0; k < 4; k++) words[i * 4 + k] = this.words[row * 4 + k];
      if (kind[i] === LONG) long.set(i, this.long[row]!);
    }
    return new CapturedIds(kind, length, words, long);
  }

  /** Bytes of typed arrays held (what the memory budget counts per id; ids kept as strings not included). */
  bytes(): number {
    return this.slots.byteLength + this.kind.length * (1 + 1 + 4 + 16) + this.long.length * 8;
  }

  private matches(row: number): boolean {
    if (this.hash[row] !== packed.hash || this.kind[row] !== packed.kind) return false;
    if (packed.kind === LONG) return this.long[row] === packed.id;
    const w = row * 4;
    return this.length[row] === packed.length && this.words[w] === words[0] && this.words[w + 1] === words[1] && this.words[w + 2] === words[2] && this.words[w + 3] === words[3];
  }

  /** Puts a row (whose id is not in the slots) in the first empty slot or tombstone of its probe run. */
  private place(row: number): void {
    const slots = this.slots;
    const mask = this.mask;
    const tomb = this.tomb;
    const hash = this.hash[row];
    let i = hash & mask;
    for (let held = slots[i]; held !== 0 && held !== tomb; held = slots[i]) i = (i + 1) & mask;
    if (slots[i] === tomb) this.tombs--;
    slots[i] = (hash & ~this.rowMask) | (row + 1);
  }

  /** The slots made again from the rows (no tombstones), `length` of them. */
  private rehash(length: number): void {
    if (length === this.slots.length) this.slots.fill(0);
    else this.slots = new Int32Array(length);
    this.mask = length - 1;
    this.tombs = 0;
    const kind = this.kind;
    for (let row = 0; row < kind.length; row++) if (kind[row] !== FREE) this.place(row);
  }

  private growRows(rows: number): void {
    // Every row + 1 must fit below the tag: more row bits, the slots made again with them.
    let bits = MIN_ROW_BITS;
    while (2 ** bits - 1 < rows) bits++;
    // At least two tag bits: a tombstone (row part 0, tag bits set) is then never an empty slot.
    if (bits > 30) throw new RangeError(`an id table holds at most ${2 ** 30 - 1} rows, asked for ${rows}`);
    const remake = bits !== 32 - Math.clz32(this.rowMask);
    const kind = new Uint8Array(rows);
    kind.set(this.kind);
    this.kind = kind;
    const length = new Uint8Array(rows);
    length.set(this.length);
    this.length = length;
    const hash = new Uint32Array(rows);
    hash.set(this.hash);
    this.hash = hash;
    const w = new Uint32Array(rows * 4);
    w.set(this.words);
    this.words = w;
    if (!remake) return;
    this.rowMask = 2 ** bits - 1;
    this.tomb = ~this.rowMask;
    this.rehash(this.slots.length);
  }
}

/** Slots for `rows` ids at most half full (open addressing), a power of two for the mask. */
export function slotsFor(rows: number): number {
  let slots = MIN_SLOTS;
  while (slots < 2 * rows) slots *= 2;
  return slots;
}

/** Packs `id` into `words` and `packed` (kind, length, hash). */
function pack(id: string): void {
  packed.id = id;
  packed.serial = 0;
  words[0] = words[1] = words[2] = words[3] = 0;
  const n = id.length;
  if (n === 36 && packUuid(id)) {
    packed.length = 16;
  } else if (n <= 16 && packShort(id)) {
    packed.kind = SHORT;
    packed.length = n;
  } else {
    packed.kind = LONG;
    packed.length = 0;
    packed.hash = hashString(id);
    return;
  }
  packed.hash = mix(words[0], words[1], words[2], words[3], packed.kind + packed.length * 8);
}

/**
 * Packs the id whose bytes `ref` points at (ASCII: a byte is its character) as pack() packs its
 * string; false (nothing packed) when pack() would keep it as a string (LONG).
 */
function packBytes(ref: IdBytes): boolean {
  const { bytes: b, start } = ref;
  const n = ref.end - start;
  packed.id = undefined;
  packed.serial = 0;
  if (n === 36 && packUuidBytes(b, start)) {
    packed.length = 16;
  } else if (n <= 16) {
    // A word at a time: a byte at a time into `words` (a read and a write of the array a byte) was
    // a fifth of the profile of a record's id work alone (RecentIds.seen + addPrediction).
    words[0] = wordOf(b, start, n);
    words[1] = wordOf(b, start + 4, n - 4);
    words[2] = wordOf(b, start + 8, n - 8);
    words[3] = wordOf(b, start + 12, n - 12);
    packed.kind = SHORT;
    packed.length = n;
  } else {
    return false;
  }
  packed.hash = mix(words[0], words[1], words[2], words[3], packed.kind + packed.length * 8);
  packed.serial = ref.serial;
  return true;
}

/** The `left` bytes b[at, at + left) (at most 4 of them; none when left ≤ 0) as a little-endian word, as packShort() puts characters. */
function wordOf(b: Uint8Array, at: number, left: number): number {
  if (left >= 4) return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
  let w = 0;
  for (let k = 0; k < left; k++) w |= b[at + k] << (k * 8);
  return w;
}

function packShort(id: string): boolean {
  for (let k = 0; k < id.length; k++) {
    const c = id.charCodeAt(k);
    if (c > 0xff) return false;
    words[k >> 2] |= c << ((k & 3) * 8);
  }
  return true;
}

/** Per character code below 128: its hex value, with LOWER or UPPER for a letter; NOT_HEX for any other. */
const LOWER = 0x10;
const UPPER = 0x20;
const NOT_HEX = 0x40;
const HEX = new Uint8Array(128).fill(NOT_HEX);
for (let v = 0; v < 10; v++) HEX[0x30 + v] = v;
for (let v = 10; v < 16; v++) {
  HEX[0x61 + v - 10] = v | LOWER;
  HEX[0x41 + v - 10] = v | UPPER;
}
/** Where the 32 hex digits of an 8-4-4-4-12 UUID are. */
const DIGIT_AT = Uint8Array.from({ length: 36 }, (_, k) => k).filter((k) => k !== 8 && k !== 13 && k !== 18 && k !== 23);

/**
 * 8-4-4-4-12 hex digits, all lower-case or all upper-case (digits alone count as either). One table
 * lookup per character and one word store per 8 digits: the branch per character range cost
 * ~10 ns a character, more than the table lookup that follows.
 */
function packUuid(id: string): boolean {
  if (id.charCodeAt(8) !== 0x2d || id.charCodeAt(13) !== 0x2d || id.charCodeAt(18) !== 0x2d || id.charCodeAt(23) !== 0x2d) return false;
  let seen = 0;
  let w = 0;
  for (let k = 0; k < 32; k++) {
    const c = id.charCodeAt(DIGIT_AT[k]);
    const e = c < 128 ? HEX[c] : NOT_HEX;
    seen |= e;
    w = (w << 4) | (e & 0xf);
    if ((k & 7) === 7) words[k >> 3] = w;
  }
  if ((seen & NOT_HEX) !== 0 || (seen & (LOWER | UPPER)) === (LOWER | UPPER)) return false;
  packed.kind = (seen & UPPER) !== 0 ? UUID_UPPER : UUID_LOWER;
  return true;
}

/** packUuid() over ASCII bytes b[start, start + 36). */
function packUuidBytes(b: Uint8Array, start: number): boolean {
  if (b[start + 8] !== 0x2d || b[start + 13] !== 0x2d || b[start + 18] !== 0x2d || b[start + 23] !== 0x2d) return false;
  let seen = 0;
  let w = 0;
  for (let k = 0; k < 32; k++) {
    const c = b[start + DIGIT_AT[k]];
    const e = c < 128 ? HEX[c] : NOT_HEX;
    seen |= e;
    w = (w << 4) | (e & 0xf);
    if ((k & 7) === 7) words[k >> 3] = w;
  }
  if ((seen & NOT_HEX) !== 0 || (seen & (LOWER | UPPER)) === (LOWER | UPPER)) return false;
  packed.kind = (seen & UPPER) !== 0 ? UUID_UPPER : UUID_LOWER;
  return true;
}

/** murmur3's 32-bit finalizer over the four words. */
function mix(a: number, b: number, c: number, d: number, seed: number): number {
  let h = seed;
  h = Math.imul(h ^ a, 0xcc9e2d51);
  h = Math.imul((h << 13) | (h >>> 19), 0x1b873593);
  h = Math.imul(h ^ b, 0xcc9e2d51);
  h = Math.imul((h << 13) | (h >>> 19), 0x1b873593);
  h = Math.imul(h ^ c, 0xcc9e2d51);
  h = Math.imul((h << 13) | (h >>> 19), 0x1b873593);
  h = Math.imul(h ^ d, 0xcc9e2d51);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, then the finalizer. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return mix(h, s.length, 0, 0, LONG);
}
