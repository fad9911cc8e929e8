/**
 * The layout of the last line the scanner read the long way: the bytes between its values (the
 * line's keys with their quotes, colons, commas, braces and any whitespace), kept in one packed
 * copy, and what each value between them is (the k-th top-level key's value, or the k-th feature).
 * Structured logs write every line with the same keys in the same order, so the next line is
 * nearly always these same bytes with other values in between: the scanner then compares each run
 * of layout bytes in one tight loop and reads the value after it, instead of finding every token
 * (whitespace, comma, quote, key, closing quote, colon) and comparing every key on its own.
 *
 * Why that is exact: the layout's runs come from a line the scanner accepted, each run between two
 * complete values (JSON values end by themselves: a string at its quote, a number at the first byte
 * that cannot continue it, a container at its bracket, and no run starts with a byte that could
 * continue a number). A line that spells the same runs around its values therefore has the same
 * tokens in the same places as that line: the same keys in the same order (so no key given twice
 * where that line had none), the same nesting, and each value read by the same function the long
 * way would call for it. The last run must end exactly at the line's end.
 */

/** An op for a top-level value: the key's position among the line's top-level keys (≥ 0). A feature column k: FEATURE − k. */
export const FEATURE = -1;

/** Longest layout kept (values, bytes); a line with more is read the long way. */
const MAX_VALUES = 512;
const MAX_BYTES = 16_384;

/**
 * Masks of a word's lanes (bytes in memory order, whatever the platform's endianness): LANES_FROM[a]
 * keeps lanes a…3 (a run's first word, the run starting at lane a), LANES_BELOW[r] keeps lanes
 * 0…r−1 and LANES_BELOW[0] all four (a run's last word, the run ending before lane r).
 */
export const LANES_FROM = lanes((lane, a) => lane >= a);
export const LANES_BELOW = lanes((lane, r) => r === 0 || lane < r);

function lanes(kept: (lane: number, at: number) => boolean): Int32Array {
  const masks = new Int32Array(4);
  const bytes = new Uint8Array(masks.buffer);
  for (let at = 0; at < 4; at++) for (let lane = 0; lane < 4; lane++) bytes[4 * at + lane] = kept(lane, at) ? 0xff : 0;
  return masks;
}

export class LineLayout {
  /** Values marked in the line being read the long way. */
  count = 0;
  /** Set when a mark did not fit: the line gives no layout. */
  overflow = false;
  /** Per value: start and end (exclusive) index in the line, as marked. */
  readonly marks = new Int32Array(2 * MAX_VALUES);
  /** Per value: its op (a top-level key position, or FEATURE − k), as marked. */
  private readonly marked = new Int32Array(MAX_VALUES);
  /** Whether `mark` records (only while a line is read the long way: a line read by the layout calls the same value readers). */
  private marking = false;
  /** The layout in use: number of values (−1: none), whether they include the feature columns, and each value's op. */
  values = -1;
  columns = false;
  readonly ops = new Int32Array(MAX_VALUES);
  /** The runs between values, packed: run j is bytes[runs[j], runs[j + 1]) (values + 1 runs). */
  bytes = new Uint8Array(256);
  readonly runs = new Int32Array(MAX_VALUES + 2);
  /**
   * The runs again as 32-bit words, once for each of the four places a run can start in a word
   * (its alignment in the line's buffer varies with the values before it): run j starting at byte a
   * of a word is words[wordAt[4j + a] …], its first byte in lane a of that word (the lanes before it
   * and after its end 0). The scanner compares a line's words with these, masking those lanes: a
   * quarter of the byte loop's loads and tests (aligned-words.ts).
   */
  words = new Int32Array(256);
  readonly wordAt = new Int32Array(4 * (MAX_VALUES + 1));

  /** Stops marking (the line was declined, or gives no layout). */
  drop(): void {
    this.marking = false;
  }

  /** No layout in use, none marked. */
  forget(): void {
    this.marking = false;
    this.values = -1;
  }

  /** Starts marking a line read the long way (and forgets the layout in use: the caches it relies on may change). */
  begin(): void {
    this.count = 0;
    this.overflow = false;
    this.marking = true;
    this.values = -1;
  }

  /** Marks the value b[start, end) of the line, read as `op`. */
  mark(start: number, end: number, op: number): void {
    if (!this.marking) return;
    const n = this.count;
    if (n >= MAX_VALUES) {
      this.overflow = true;
      return;
    }
    this.marks[2 * n] = start;
    this.marks[2 * n + 1] = end;
    this.marked[n] = op;
    this.count = n + 1;
  }

  /** Takes the marked line b[start, end) (accepted) as the layout in use; `columns`: its features went to the typed columns. */
  take(b: Uint8Array, start: number, end: number, columns: boolean): void {
    this.marking = false;
    const n = this.count;
    if (this.overflow || n === 0) return;
    // The runs' total length: the line less its values.
    let total = end - start;
    for (let v = 0; v < n; v++) total -= this.marks[2 * v + 1] - this.marks[2 * v];
    if (total > MAX_BYTES) return;
    if (this.bytes.length < total) this.bytes = new Uint8Array(Math.max(total, 2 * this.bytes.length));
    const bytes = this.bytes;
    let at = 0;
    let from = start;
    for (let v = 0; v <= n; v++) {
      const to = v < n ? this.marks[2 * v] : end;
      this.runs[v] = at;
      for (let i = from; i < to; i++) bytes[at++] = b[i];
      if (v < n) {
        from = this.marks[2 * v + 1];
        this.ops[v] = this.marked[v];
      }
    }
    this.runs[n + 1] = at;
    // Never empty (values are separated by a comma or colon, the line opens with `{` and closes with
    // `}`); the word compare reads a run's first word, so a layout with an empty run is not kept.
    for (let v = 0; v <= n; v++) if (this.runs[v + 1] === this.runs[v]) return;
    this.alignWords(n + 1);
    this.values = n;
    this.columns = columns;
  }

  /** Fills words and wordAt from bytes and runs (`count` runs). */
  private alignWords(count: number): void {
    let total = 0;
    for (let j = 0; j < count; j++) {
      const length = this.runs[j + 1] - this.runs[j];
      for (let a = 0; a < 4; a++) total += (a + length + 3) >> 2;
    }
    if (this.words.length < total) this.words = new Int32Array(Math.max(total, 2 * this.words.length));
    else this.words.fill(0, 0, total);
    // Written through the words' own bytes, so each lane holds the byte a view of the line's buffer reads there (any endianness).
    const lanes = new Uint8Array(this.words.buffer);
    let w = 0;
    for (let j = 0; j < count; j++) {
      const from = this.runs[j];
      const length = this.runs[j + 1] - from;
      for (let a = 0; a < 4; a++) {
        this.wordAt[4 * j + a] = w;
        for (let t = 0; t < length; t++) lanes[4 * w + a + t] = this.bytes[from + t];
        w += (a + length + 3) >> 2;
      }
    }
  }
}
