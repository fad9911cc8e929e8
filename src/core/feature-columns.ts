/**
 * A feature row as typed columns: what the line scanner writes for a features object whose keys
 * are the previous line's keys in the same order (nearly every line of a structured log). Position
 * k is the k-th key of `keys`; a number is kept unboxed in `numbers`, a string in `strings`, and
 * `kinds` says which of the JSON scalars the value was, so a reader tells a missing feature (not
 * among the keys), a null, a boolean, a numeric string and a number apart exactly as it would
 * reading the object row.
 *
 * The scanner reuses one set of columns line after line: a record carries them only while it is
 * being delivered (records/record-stream.ts, a consumer that says it keeps no record), and readers go
 * through positions found once per key sequence (ColumnPositions), never a property lookup per
 * feature. (In core: the records stage writes them, windows and stats read them.)
 */

/** Not among the keys (position −1): the feature is missing. */
export const ABSENT = 0;
export const NUMBER = 1;
export const STRING = 2;
export const TRUE = 3;
export const FALSE = 4;
export const NULL = 5;

export interface FeatureColumns {
  /** The key sequence (frozen, shared by every line that has it: the record's featureKeys). */
  keys: readonly string[];
  /** Per position: NUMBER, STRING, TRUE, FALSE or NULL. */
  readonly kinds: Uint8Array;
  /** Per position: the number, when kinds says NUMBER. */
  readonly numbers: Float64Array;
  /** Per position: the string, when kinds says STRING. */
  readonly strings: string[];
}

/** Columns with room for `width` values. */
export function featureColumns(width: number): FeatureColumns {
  return { keys: [], kinds: new Uint8Array(width), numbers: new Float64Array(width), strings: new Array<string>(width).fill('') };
}

/** The kind at a position, ABSENT for −1. */
export function kindAt(c: FeatureColumns, p: number): number {
  return p < 0 ? ABSENT : c.kinds[p];
}

/** The value at a position exactly as the object row holds it (undefined for −1). Boxes a number: not for numeric hot paths. */
export function valueAt(c: FeatureColumns, p: number): number | string | boolean | null | undefined {
  switch (kindAt(c, p)) {
    case NUMBER:
      return c.numbers[p];
    case STRING:
      return c.strings[p];
    case TRUE:
      return true;
    case FALSE:
      return false;
    case NULL:
      return null;
    default:
      return undefined;
  }
}

/**
 * Where each of a reader's features sits in a key sequence (−1: not there), found again only when
 * the sequence changes (the scanner hands every line of one sequence the same keys array).
 */
export class ColumnPositions {
  private keys: readonly string[] | undefined;
  private positions: Int32Array;

  constructor(private readonly names: readonly string[]) {
    this.positions = new Int32Array(names.length);
  }

  of(keys: readonly string[]): Int32Array {
    if (keys !== this.keys) {
      const at = new Map<string, number>();
      keys.forEach((k, i) => at.set(k, i));
      this.positions = Int32Array.from(this.names, (name) => at.get(name) ?? -1);
      this.keys = keys;
    }
    return this.positions;
  }
}
