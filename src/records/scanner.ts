/**
 * A targeted scanner for one-object-per-line logs: walks the line's bytes once, in the read buffer,
 * and keeps only the configured top-level fields, building the feature row straight from the bytes
 * instead of decoding the line to a string, materialising the whole object with JSON.parse and then
 * copying out of it. Numbers are read from their ASCII digits; a string is decoded only when it is
 * a wanted value, and a repeated one (a category, the model, the version) is found by its bytes
 * (string-interner.ts) without decoding anything. A line held as a string (stdin tests, the string
 * path) is encoded to bytes first, so both paths are the same code.
 *
 * It gives exactly what JSON.parse + the field getters give, or declines (returns false) and the
 * caller parses the line with JSON.parse as before. It declines on anything it does not handle
 * itself: invalid JSON anywhere in the line, a top-level value that is not an object, a wanted field
 * given twice, a feature value that is not a scalar, a repeated or `__proto__` feature key, nesting
 * deeper than the cursor allows. Wanted values that are arrays or objects (score vectors, feature
 * arrays) are decoded with JSON.parse on their own text.
 *
 * Keys are matched against the previous line's keys first: structured logs repeat the same keys in
 * the same order, so the row's keys are the same (already internalised) strings line after line:
 * a key is compared with the previous line's key by its UTF-8 bytes and decoded only when it differs.
 * The time field, when it is a string in the canonical UTC form, is read from its bytes
 * (timestamps.ts canonicalUtcSeconds) into `time`, and no string is made for it.
 *
 * A line is first read by the layout of the last line read the long way (line-layout.ts): the runs
 * of bytes between that line's values compared as they are, each value read by what the long way
 * called for it. Only a line whose runs differ (new keys, other whitespace) is read token by token.
 */
import { FALSE, featureColumns, NULL, NUMBER, STRING, TRUE, valueAt, type FeatureColumns } from '../core/feature-columns.js';
import type { FeatureRow } from './features.js';
import { asciiStringEnd, numberEnd, scanned, setLineEnd, skipWhitespace, spells, stringEnd, stringValue, valueEnd } from './scanner-cursor.js';
import { StringInterner } from './string-interner.js';
import { canonicalUtcSeconds } from './timestamps.js';
import { setIdBytes, type IdBytes } from '../core/id-bytes.js';
import { FEATURE, LANES_BELOW, LANES_FROM, LineLayout } from './line-layout.js';

const QUOTE = 0x22;
const hasOwn = Object.prototype.hasOwnProperty;

export class LineScanner {
  /** Per wanted field (constructor order): its raw value in the last scanned line, undefined when absent. */
  readonly values: unknown[];
  /**
   * The time field's seconds when it was read from its bytes (a canonical UTC string, as
   * parseTimestamp reads it); its slot in `values` is then left undefined. Undefined otherwise: the
   * raw value is in `values`.
   */
  time: number | undefined;
  /**
   * The id field's bytes when the line spelled it as a plain ASCII string (no escape); its slot in
   * `values` is then left undefined (idText() decodes it). Undefined otherwise: the value is in `values`.
   */
  idBytes: IdBytes | undefined;
  private readonly id: IdBytes & { bytes: Buffer } = { bytes: Buffer.alloc(0), start: 0, end: 0, serial: 0 };
  /** Object.keys(row), one shared array per key sequence (set with `row`). */
  rowKeys: readonly string[] | undefined;
  /**
   * The features as typed columns, when the features object had the previous line's keys in the
   * same order; then `row` is built from them only when read. Reused by the next line.
   */
  columns: FeatureColumns | undefined;
  /** The row of a line whose keys differed from the previous line's (or `{}`), or the row made from `columns` once read. */
  private objectRow: FeatureRow | undefined;
  private storage: FeatureColumns = featureColumns(0);
  private readonly slotsByKey = new Map<string, number[]>();
  private readonly seen: Uint32Array;
  private generation = 0;
  private topKeys: string[] = [];
  /** Per cached key: the slots that want it (slotsByKey's entry, looked up once per key sequence), undefined: none. */
  private topSlots: (number[] | undefined)[] = [];
  /** Per cached key: its UTF-8 bytes when the JSON text spells it so (see plainBytes), else undefined. */
  private readonly topPlain: (Uint8Array | undefined)[] = [];
  private shape: RowShape = EMPTY_SHAPE;
  private shapesCompiled = 0;
  private readonly featureValues: unknown[] = [];
  /** Repeated string values by feature position (features) and by field slot (top-level fields). */
  private readonly featureStrings = new StringInterner();
  private readonly fieldStrings = new StringInterner();
  /** The last line read the long way, as runs of bytes between its values (line-layout.ts). */
  private readonly layout = new LineLayout();
  /** Lines read by the layout minus lines it missed, capped at 0; at GIVE_UP the layout is no longer kept. */
  private layoutBalance = 0;
  /** Set by featureObject when it marked the features as columns (the features value is then not marked whole). */
  private featuresMarked = false;
  /** The memory of the last line's buffer, and it seen as 32-bit words: laidOut compares the layout's runs a word at a time. */
  private wordsOf: ArrayBufferLike | undefined;
  private lineWords: Int32Array = new Int32Array(0);

  /**
   * @param fields top-level key of each wanted field (a key may be wanted twice)
   * @param featuresSlot index in `fields` of the features object, −1 for none
   * @param timeSlot index in `fields` of the event time, read into `time` when canonical; −1 for none
   * @param idSlot index in `fields` of the request id, left in `idBytes` when plain; −1 for none
   */
  constructor(
    fields: readonly string[],
    private readonly featuresSlot: number,
    private readonly timeSlot = -1,
    private readonly idSlot = -1,
  ) {
    fields.forEach((key, slot) => {
      const slots = this.slotsByKey.get(key);
      if (slots) slots.push(slot);
      else this.slotsByKey.set(key, [slot]);
    });
    this.values = new Array<unknown>(fields.length).fill(undefined);
    this.seen = new Uint32Array(fields.length);
  }

  /** Lines read by the previous line's layout (laidOut), of `lines`. */
  laidOutLines = 0;

  /** Lines scanned so far: tells a lent record whether `columns` are still its line's. */
  get lines(): number {
    return this.generation;
  }

  /**
   * `scanBytes` of the string's UTF-8 bytes. A string that is not well-formed UTF-16 (a lone
   * surrogate, which JSON.parse keeps as it is and UTF-8 cannot hold) is declined.
   */
  scan(text: string): boolean {
    if (!isWellFormed(text)) {
      this.startLine();
      return false;
    }
    const b = Buffer.from(text, 'utf8');
    return this.scanBytes(b, 0, b.length);
  }

  /**
   * True when `values`/`row` now hold the fields of the line b[start, end) (valid UTF-8, without
   * its terminator); false: use JSON.parse.
   */
  scanBytes(b: Buffer, start: number, end: number): boolean {
    const layout = this.layout;
    if (layout.values >= 0) {
      this.startLine();
      setLineEnd(end);
      if (this.laidOut(b, start, end)) {
        this.laidOutLines++;
        if (this.layoutBalance < 0) this.layoutBalance++;
        return true;
      }
      // A log whose layouts keep changing: stop keeping one (and marking), read every line the long way.
      if (--this.layoutBalance <= GIVE_UP) layout.forget();
    }
    if (this.layoutBalance <= GIVE_UP) return this.scanLong(b, start, end);
    layout.begin();
    this.featuresMarked = false;
    if (!this.scanLong(b, start, end)) {
      layout.drop();
      return false;
    }
    // Features read key by key (new keys; the next line reads them as columns) or `{}` give no layout.
    if (this.columns !== undefined || this.objectRow === undefined) layout.take(b, start, end, this.columns !== undefined);
    else layout.drop();
    return true;
  }

  /**
   * The line read by the layout of the last line read the long way: each run of layout bytes
   * compared, each value read by what the long way called for it. False when a run differs or a
   * value is not readable (then the line is read the long way from its start: what was set here
   * is set again or cleared by startLine).
   */
  private laidOut(b: Buffer, start: number, end: number): boolean {
    const layout = this.layout;
    const runs = layout.runs;
    const ops = layout.ops;
    const n = layout.values;
    const values = this.values;
    const { kinds, numbers } = this.storage;
    if (b.buffer !== this.wordsOf) {
      this.wordsOf = b.buffer;
      // Word indexes past 2^31 bytes would not fit the int32 arithmetic below: such memory is compared byte by byte.
      this.lineWords = b.buffer.byteLength < 2 ** 31 ? new Int32Array(b.buffer, 0, b.buffer.byteLength >> 2) : new Int32Array(0);
    }
    const lineWords = this.lineWords;
    const offset = b.byteOffset;
    // Runs compared by words when the line's last byte lies in a whole word of the memory (not in the 1–3 bytes after its last word).
    const byWords = (offset + end - 1) >> 2 < lineWords.length;
    const words = layout.words;
    const wordAt = layout.wordAt;
    const bytes = layout.bytes;
    let i = start;
    for (let v = 0; ; v++) {
      const from = runs[v];
      const length = runs[v + 1] - from;
      // In the line (a layout's runs all are), so every byte compared is the line's.
      if (i + length > end) return false;
      if (byWords) {
        const at = offset + i;
        if (!wordsMatch(lineWords, at, words, wordAt[4 * v + (at & 3)], length)) return false;
      } else if (!bytesMatch(b, i, bytes, from, length)) return false;
      i += length;
      if (v === n) break;
      const op = ops[v];
      if (op >= 0) {
        const slots = this.topSlots[op];
        i = slots === undefined ? valueEnd(b, i) : this.wantedValue(b, i, slots, values);
      } else {
        const k = FEATURE - op;
        const c = b[i];
        // As featureObject reads a value of the previous line's keys.
        if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
          i = numberEnd(b, i);
          kinds[k] = NUMBER;
          numbers[k] = scanned.number;
        } else i = this.columnValue(b, i, k);
      }
      if (i < 0) return false;
    }
    if (i !== end) return false;
    if (layout.columns) {
      const columns = this.storage;
      columns.keys = this.shape.keys;
      this.columns = columns;
      this.rowKeys = this.shape.keys;
    }
    return true;
  }

  /** scanBytes the long way: token by token, marking the values for the layout. */
  private scanLong(b: Buffer, start: number, end: number): boolean {
    const gen = this.startLine();
    const values = this.values;
    const layout = this.layout;
    setLineEnd(end);
    let i = skipWhitespace(b, start);
    if (b[i] !== 0x7b) return false;
    i = skipWhitespace(b, i + 1);
    if (b[i] === 0x7d) return skipWhitespace(b, i + 1) === end;
    const cached = this.topKeys;
    let k = 0;
    for (;; k++) {
      if (b[i] !== QUOTE) return false;
      let slots: number[] | undefined;
      let keyClose = k < cached.length ? plainKeyEnd(this.topPlain[k], b, i + 1) : -1;
      if (keyClose >= 0) slots = this.topSlots[k];
      else {
        keyClose = stringEnd(b, i + 1);
        if (keyClose < 0) return false;
        const key = stringValue(b, i, keyClose);
        cached[k] = key;
        this.topPlain[k] = plainBytes(key);
        slots = this.topSlots[k] = this.slotsByKey.get(key);
      }
      i = colonAfter(b, keyClose + 1);
      if (i < 0) return false;
      const valueStart = i;
      if (slots === undefined) i = valueEnd(b, i);
      else {
        for (const slot of slots) {
          if (this.seen[slot] === gen) return false;
          this.seen[slot] = gen;
        }
        i = this.wantedValue(b, i, slots, values);
      }
      if (i < 0) return false;
      if (this.featuresMarked) this.featuresMarked = false;
      else layout.mark(valueStart, i, k);
      i = skipWhitespace(b, i);
      const c = b[i];
      if (c === 0x7d) break;
      if (c !== 0x2c) return false;
      i = skipWhitespace(b, i + 1);
    }
    if (cached.length !== k + 1) cached.length = this.topPlain.length = this.topSlots.length = k + 1;
    return skipWhitespace(b, i + 1) === end;
  }

  /** The id left in `idBytes`, as a string. */
  idText(): string | undefined {
    // ASCII: latin1 decodes it as utf8 would, and cheaper.
    return this.idBytes === undefined ? undefined : this.id.bytes.toString('latin1', this.id.start, this.id.end);
  }

  /** Starts a line: nothing held from the previous one. Returns the line's generation. */
  private startLine(): number {
    const gen = ++this.generation;
    const values = this.values;
    // A loop, not fill(): ~10 slots, and fill is a call into the runtime each line.
    for (let s = 0; s < values.length; s++) values[s] = undefined;
    this.time = undefined;
    this.idBytes = undefined;
    this.objectRow = undefined;
    this.columns = undefined;
    this.rowKeys = undefined;
    return gen;
  }

  /** The feature row, when the features field was an object of scalars; else see `values`. */
  get row(): FeatureRow | undefined {
    if (this.objectRow === undefined && this.columns !== undefined) {
      const c = this.columns;
      const values = this.featureValues;
      for (let k = 0; k < c.keys.length; k++) values[k] = valueAt(c, k);
      this.objectRow = this.shape.make(values);
    }
    return this.objectRow;
  }

  private wantedValue(b: Buffer, i: number, slots: number[], values: unknown[]): number {
    const c = b[i];
    if (c === 0x7b && slots.length === 1 && slots[0] === this.featuresSlot) {
      const end = this.featureObject(b, i + 1);
      // Columns: the row is made when `row` is read (`values` does not hold it: read `row`).
      if (end >= 0 && this.columns === undefined) values[this.featuresSlot] = this.objectRow;
      return end;
    }
    if (c === QUOTE && slots.length === 1 && slots[0] === this.timeSlot) {
      // Plain ASCII (nearly always): its end found without stringEnd's hash.
      const plain = asciiStringEnd(b, i + 1);
      if (plain >= 0) {
        const time = canonicalUtcSeconds(b, i + 1, plain);
        if (time !== undefined) {
          this.time = time;
          return plain + 1;
        }
      }
      const close = stringEnd(b, i + 1);
      if (close < 0) return -1;
      // Escaped or not ASCII: never the canonical form; decoded as any string, parsed as before.
      const time = scanned.escaped || !scanned.ascii ? undefined : canonicalUtcSeconds(b, i + 1, close);
      if (time !== undefined) this.time = time;
      else values[this.timeSlot] = stringValue(b, i, close);
      return close + 1;
    }
    if (c === QUOTE && slots.length === 1 && slots[0] === this.idSlot) {
      const plain = asciiStringEnd(b, i + 1);
      if (plain > i + 1) {
        setIdBytes((this.idBytes = this.id), b, i + 1, plain);
        return plain + 1;
      }
      const close = stringEnd(b, i + 1);
      if (close < 0) return -1;
      // Left in the bytes (the id stores pack it from there); escaped, not ASCII or empty (no id): decoded as any string.
      if (!scanned.escaped && scanned.ascii && close > i + 1) setIdBytes((this.idBytes = this.id), b, i + 1, close);
      else values[this.idSlot] = stringValue(b, i, close);
      return close + 1;
    }
    const end = c === QUOTE ? internedStringEnd(b, i, this.fieldStrings, slots[0]) : scalarEnd(b, i);
    if (end === -2) {
      // An array or object: rare for wanted fields; JSON.parse decodes its text exactly.
      const close = valueEnd(b, i);
      if (close < 0) return -1;
      for (const slot of slots) values[slot] = JSON.parse(b.toString('utf8', i, close));
      return close;
    }
    for (const slot of slots) values[slot] = scalar;
    return end;
  }

  /**
   * The features object as columns or a row; −1 (decline) on a non-scalar value or a repeated key.
   * While the keys match the previous line's, values go to the typed columns (numbers unboxed);
   * the first key that differs switches to building the row key by key, checking for repeats, and
   * the new sequence becomes the cached one.
   */
  private featureObject(b: Buffer, i: number): number {
    const layout = this.layout;
    const marked = layout.count;
    const shape = this.shape;
    const columns = this.storage;
    const { kinds, numbers } = columns;
    const width = shape.keys.length;
    let row: FeatureRow | undefined;
    i = skipWhitespace(b, i);
    if (b[i] === 0x7d) {
      this.objectRow = {};
      this.rowKeys = EMPTY_SHAPE.keys;
      return i + 1;
    }
    for (let k = 0; ; k++) {
      if (b[i] !== QUOTE) return -1;
      let key: string | undefined;
      let keyClose = row === undefined && k < width ? plainKeyEnd(shape.plain[k], b, i + 1) : -1;
      if (keyClose >= 0) key = shape.keys[k];
      else {
        keyClose = stringEnd(b, i + 1);
        if (keyClose < 0) return -1;
        row ??= rowOfColumns(shape.keys, columns, k);
        key = stringValue(b, i, keyClose);
        if (key === '__proto__' || hasOwn.call(row, key)) return -1;
      }
      i = colonAfter(b, keyClose + 1);
      if (i < 0) return -1;
      if (row === undefined) {
        const c = b[i];
        const valueStart = i;
        // A number (most features) straight into its typed column here, no box and no call; other values in columnValue.
        if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
          i = numberEnd(b, i);
          kinds[k] = NUMBER;
          numbers[k] = scanned.number;
        } else i = this.columnValue(b, i, k);
        layout.mark(valueStart, i, FEATURE - k);
      } else {
        i = b[i] === QUOTE ? internedStringEnd(b, i, this.featureStrings, k) : scalarEnd(b, i);
        row[key!] = scalar as FeatureRow[string];
      }
      if (i < 0) return -1;
      i = skipWhitespace(b, i);
      const c = b[i];
      if (c === 0x7d) {
        if (row === undefined && k + 1 === width) {
          columns.keys = shape.keys;
          this.columns = columns;
          this.featuresMarked = true;
        } else {
          // Read key by key: the values are marked as one (the features value), not as columns.
          layout.count = marked;
          row ??= rowOfColumns(shape.keys, columns, k + 1);
          // Logs whose key sets keep changing (sparse features) would compile a maker per line: stop compiling.
          this.shape = rowShape(Object.keys(row), this.shapesCompiled++ < MAX_COMPILED_SHAPES);
          if (this.shape.keys.length > columns.kinds.length) this.storage = featureColumns(this.shape.keys.length);
          this.objectRow = row;
        }
        // The shape's keys are the row's own keys in enumeration order: built from Object.keys of such a row.
        this.rowKeys = this.shape.keys;
        return i + 1;
      }
      if (c !== 0x2c) return -1;
      i = skipWhitespace(b, i + 1);
    }
  }

  /** One feature value other than a number into column k (k < the shape's width); the end index, −1 invalid or not a scalar. */
  private columnValue(b: Buffer, i: number, k: number): number {
    const columns = this.storage;
    const c = b[i];
    if (c === QUOTE) {
      const end = internedStringEnd(b, i, this.featureStrings, k);
      if (end < 0) return -1;
      columns.kinds[k] = STRING;
      columns.strings[k] = scalar as string;
      return end;
    }
    if (c === 0x74 || c === 0x66 || c === 0x6e) {
      const end = scalarEnd(b, i);
      columns.kinds[k] = scalar === true ? TRUE : scalar === false ? FALSE : NULL;
      return end;
    }
    // Not a scalar (an object or array), or no JSON value at all (a number is read by the caller).
    return -1;
  }
}

interface RowShape {
  keys: readonly string[];
  /** Per key: its UTF-8 bytes when JSON text spells it so (plainBytes), else undefined. */
  plain: readonly (Uint8Array | undefined)[];
  make: (values: readonly unknown[]) => FeatureRow;
}

/** Layout hits minus misses at which a scanner stops keeping a layout (lines whose layouts keep changing). */
const GIVE_UP = -512;

/** Row makers compiled per scanner; past this, rows are built key by key. */
const MAX_COMPILED_SHAPES = 64;

const EMPTY_SHAPE: RowShape = { keys: Object.freeze([]), plain: [], make: () => ({}) };

/**
 * A maker for rows with these keys in this order. The keys come from a row built key by key
 * (distinct, no `__proto__`, in the row's own enumeration order), so an object literal with the
 * same keys has the same keys in the same order, made in one allocation with its final shape.
 */
function rowShape(keys: readonly string[], compile: boolean): RowShape {
  if (keys.length === 0) return EMPTY_SHAPE;
  // Handed to every record of this key sequence as its featureKeys.
  Object.freeze(keys);
  if (!compile) return { keys, plain: keys.map(plainBytes), make: (values) => rowOf(keys, values, keys.length) };
  // JSON.stringify quotes any key as a valid JS string literal: log text never becomes code.
  const body = keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(', ');
  const make = new Function('v', `return { ${body} };`) as RowShape['make'];
  // One row of nulls first, so V8 gives every field the tagged representation. A field that first
  // holds a double gets the double representation instead: each row then copies every number
  // into a box of its own, and every generic read of it (row[name] in the analyzers, megamorphic)
  // boxes it once more — ~1 kB of garbage per 20-feature record. Tagged fields share the box the
  // scanner already made. (Measured: 424 → 185 bytes per row made, 240 → 0 per 20 reads.)
  make(keys.map(() => null));
  return { keys, plain: keys.map(plainBytes), make };
}

/** The row of the first `count` keys and columns. */
function rowOfColumns(keys: readonly string[], columns: FeatureColumns, count: number): FeatureRow {
  const row: FeatureRow = {};
  for (let k = 0; k < count; k++) row[keys[k]] = valueAt(columns, k) as FeatureRow[string];
  return row;
}

/** The row of the first `count` keys and values. */
function rowOf(keys: readonly string[], values: readonly unknown[], count: number): FeatureRow {
  const row: FeatureRow = {};
  for (let k = 0; k < count; k++) row[keys[k]] = values[k] as FeatureRow[string];
  return row;
}

/**
 * Whether the run of `length` (≥ 1) bytes starting at byte `at` of the memory `lineWords` views equals
 * the layout's copy of it for that alignment, `words[k …]` (LineLayout.words): its first and last
 * words compared in the run's lanes only, the words between whole.
 */
function wordsMatch(lineWords: Int32Array, at: number, words: Int32Array, k: number, length: number): boolean {
  const lane = at & 3;
  let w = at >> 2;
  const last = k + ((lane + length - 1) >> 2);
  let x = lineWords[w] & LANES_FROM[lane];
  // The differences or-ed together, one test a run (a run nearly always matches).
  let diff = 0;
  for (; k < last; k++) {
    diff |= x ^ words[k];
    x = lineWords[++w];
  }
  return (diff | ((x & LANES_BELOW[(lane + length) & 3]) ^ words[last])) === 0;
}

/** Whether b[i, i + length) equals bytes[from, from + length). */
function bytesMatch(b: Uint8Array, i: number, bytes: Uint8Array, from: number, length: number): boolean {
  for (let j = 0; j < length; j++) if (b[i + j] !== bytes[from + j]) return false;
  return true;
}

/** The index just past the `:` that follows a key (whitespace allowed around it), −1 if none. */
function colonAfter(b: Buffer, i: number): number {
  if (b[i] === 0x3a) return skipWhitespace(b, i + 1);
  i = skipWhitespace(b, i);
  return b[i] === 0x3a ? skipWhitespace(b, i + 1) : -1;
}

/** Set by scalarEnd: the scalar just read. */
let scalar: string | number | boolean | null = null;

/** A string, number, true, false or null into `scalar`; −2 for an array or object, −1 invalid. */
function scalarEnd(b: Buffer, i: number): number {
  const c = b[i];
  if (c === QUOTE) {
    const close = stringEnd(b, i + 1);
    if (close < 0) return -1;
    scalar = stringValue(b, i, close);
    return close + 1;
  }
  if (c === 0x7b || c === 0x5b) return -2;
  if (c === 0x74) return literal(b, i, 'true', true);
  if (c === 0x66) return literal(b, i, 'false', false);
  if (c === 0x6e) return literal(b, i, 'null', null);
  const end = numberEnd(b, i);
  scalar = scanned.number;
  return end;
}

/** A string into `scalar` as scalarEnd reads it, reusing an equal string `position` gave before. */
function internedStringEnd(b: Buffer, i: number, strings: StringInterner, position: number): number {
  const held = strings.heldEnd(b, i + 1, position);
  if (held >= 0) {
    scalar = strings.held;
    return held + 1;
  }
  const close = stringEnd(b, i + 1);
  if (close < 0) return -1;
  scalar = scanned.escaped ? stringValue(b, i, close) : strings.get(b, i + 1, close, position, scanned.ascii, scanned.hash);
  return close + 1;
}

function literal(b: Buffer, i: number, word: string, value: boolean | null): number {
  if (!spells(b, i, word)) return -1;
  scalar = value;
  return i + word.length;
}

/**
 * When the bytes at `i` (just past an opening quote) are exactly a cached key's bytes and its
 * closing quote, the index of that quote; else −1 (then the key is scanned as any string).
 */
function plainKeyEnd(key: Uint8Array | undefined, b: Buffer, i: number): number {
  if (key === undefined) return -1;
  const n = key.length;
  if (b[i + n] !== QUOTE) return -1;
  for (let j = 0; j < n; j++) if (b[i + j] !== key[j]) return -1;
  return i + n;
}

/**
 * The key's UTF-8 bytes when a line spelling exactly these bytes between quotes means this key:
 * no quote, backslash or control character (those are escaped in JSON text), and no lone surrogate
 * (it came from an escape; its UTF-8 encoding would be U+FFFD's, which a line may spell raw).
 */
function plainBytes(key: string): Uint8Array | undefined {
  for (let j = 0; j < key.length; j++) {
    const c = key.charCodeAt(j);
    if (c < 0x20 || c === QUOTE || c === 0x5c) return undefined;
  }
  return isWellFormed(key) ? Buffer.from(key, 'utf8') : undefined;
}

/** No lone surrogate: the string has a UTF-8 encoding that decodes back to it. */
function isWellFormed(t: string): boolean {
  for (let j = 0; j < t.length; j++) {
    const c = t.charCodeAt(j);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c > 0xdbff) return false;
    const next = t.charCodeAt(j + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
    j++;
  }
  return true;
}
