/**
 * Columnar storage for batch drift: one builder per column, typed arrays instead of per-cell objects.
 * A column starts numeric (Float64Array, NaN = missing) and turns categorical (dictionary codes in an
 * Int32Array, −1 = missing) at its first non-numeric value; numbers seen before are re-coded by their
 * JavaScript string form ("8" and 8 are the same category, "1.50" becomes "1.5").
 */

export const MISSING_CODE = -1;

const textDecoder = new TextDecoder('utf-8');

function sameBytes(known: Uint8Array | undefined, bytes: Uint8Array, start: number, end: number): boolean {
  if (known === undefined || known.length !== end - start) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== bytes[start + i]) return false;
  return true;
}

export interface NumericColumn {
  kind: 'numeric';
  name: string;
  /** One entry per row; NaN is missing. */
  values: Float64Array;
  missing: number;
}

export interface CategoricalColumn {
  kind: 'categorical';
  name: string;
  /** One entry per row: an index into `dictionary`, or MISSING_CODE. */
  codes: Int32Array;
  dictionary: string[];
  missing: number;
}

export type Column = NumericColumn | CategoricalColumn;

export interface Table {
  columns: Column[];
  rowCount: number;
}

export class ColumnBuilder {
  private numbers: Float64Array<ArrayBuffer> = new Float64Array(1024);
  private codes: Int32Array<ArrayBuffer> | null = null;
  private readonly dictionary: string[] = [];
  private readonly lookup = new Map<string, number>();
  /** Byte-level lookup for CSV cells: FNV-1a hash → codes, so a repeated category decodes no string. */
  private readonly byteLookup = new Map<number, number[]>();
  private readonly dictionaryBytes: Uint8Array[] = [];
  private missingCount = 0;
  length = 0;

  constructor(readonly name: string) {}

  get isNumeric(): boolean {
    return this.codes === null;
  }

  pushMissing(): void {
    this.ensureCapacity();
    if (this.codes === null) this.numbers[this.length] = Number.NaN;
    else this.codes[this.length] = MISSING_CODE;
    this.length++;
    this.missingCount++;
  }

  pushNumber(value: number): void {
    this.ensureCapacity();
    if (this.codes === null) this.numbers[this.length] = value;
    else this.codes[this.length] = this.codeOf(String(value));
    this.length++;
  }

  pushText(text: string): void {
    if (this.codes === null) this.toCategorical();
    this.ensureCapacity();
    this.codes![this.length] = this.codeOf(text);
    this.length++;
  }

  /** A text cell given as UTF-8 bytes[start, end): decoded only the first time these bytes are seen. */
  pushTextBytes(bytes: Uint8Array, start: number, end: number): void {
    if (this.codes === null) this.toCategorical();
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
    const candidates = this.byteLookup.get(hash);
    let code = -1;
    if (candidates !== undefined) {
      for (const c of candidates) {
        if (sameBytes(this.dictionaryBytes[c], bytes, start, end)) {
          code = c;
          break;
        }
      }
    }
    if (code === -1) {
      code = this.codeOf(textDecoder.decode(bytes.subarray(start, end)));
      this.dictionaryBytes[code] = bytes.slice(start, end);
      if (candidates === undefined) this.byteLookup.set(hash, [code]);
      else candidates.push(code);
    }
    this.ensureCapacity();
    this.codes![this.length] = code;
    this.length++;
  }

  /** Rows this column never saw (a JSONL record without the key) are missing. */
  padTo(rows: number): void {
    while (this.length < rows) this.pushMissing();
  }

  finish(forceCategorical = false): Column {
    if (forceCategorical && this.codes === null) this.toCategorical();
    if (this.codes === null) {
      return { kind: 'numeric', name: this.name, values: this.numbers.subarray(0, this.length), missing: this.missingCount };
    }
    return {
      kind: 'categorical',
      name: this.name,
      codes: this.codes.subarray(0, this.length),
      dictionary: this.dictionary,
      missing: this.missingCount,
    };
  }

  private codeOf(text: string): number {
    let code = this.lookup.get(text);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(text);
      this.lookup.set(text, code);
    }
    return code;
  }

  private toCategorical(): void {
    const codes = new Int32Array(this.numbers.length);
    for (let i = 0; i < this.length; i++) {
      const v = this.numbers[i];
      codes[i] = v === v ? this.codeOf(String(v)) : MISSING_CODE;
    }
    this.codes = codes;
    this.numbers = new Float64Array(0);
  }

  private ensureCapacity(): void {
    const capacity = this.codes === null ? this.numbers.length : this.codes.length;
    if (this.length < capacity) return;
    if (this.codes === null) {
      const grown = new Float64Array(capacity * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    } else {
      const grown = new Int32Array(capacity * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
  }
}

/** Re-codes a numeric column as categorical (for --categorical, or when the other side is text). */
export function asCategorical(column: Column): CategoricalColumn {
  if (column.kind === 'categorical') return column;
  const builder = new ColumnBuilder(column.name);
  for (let i = 0; i < column.values.length; i++) {
    const v = column.values[i];
    if (v === v) builder.pushNumber(v);
    else builder.pushMissing();
  }
  return builder.finish(true) as CategoricalColumn;
}
