/**
 * A value that never changes once built (the drift reference profile made from the warm-up
 * records), whose JSON is stringified once and then written from those bytes, and which the
 * checkpoint writes to a journal file of its own once per process and names from then on.
 *
 * Why: the warm-up profile holds 10,000 sample values per numeric feature (1.1 MB of JSON at 15
 * features); formatting its 150,000 numbers took ~38 ms at every 5 s write, for text that never
 * changes. The bytes are kept outside the V8 heap (a Buffer) for the process's life instead. Copying
 * them into every 5 s checkpoint was still 1.1 of its 7.4 MB at 1,000 records/s: journaled as an
 * unchanged part (core/journaled.ts), a checkpoint names the file they were written to instead.
 */
import type { JsonChunkWriter, JsonStreamable } from './json-chunk-writer.js';
import { JOURNALED, journalSegments, nextJournalEpoch, type Journaled } from './journaled.js';

export class CachedJson<T> implements JsonStreamable {
  private bytes: Buffer | undefined;
  /** The checkpoint journal's view: the whole value, always the same as the last committed write. */
  readonly [JOURNALED]: Journaled;

  /**
   * `value` must not change afterwards: its first written JSON is written ever after. `journalKey`
   * names its journal in a checkpoint (one file per key).
   */
  constructor(
    readonly value: T,
    journalKey = 'constant',
  ) {
    let epoch = 0;
    this[JOURNALED] = {
      key: journalKey,
      full: this,
      delta: undefined,
      get baseEpoch() {
        return epoch;
      },
      unchanged: true,
      rows: 1,
      addedRows: 0,
      commit: () => (epoch = nextJournalEpoch()),
    };
  }

  toJSON(): T {
    return this.value;
  }

  async writeJson(out: JsonChunkWriter): Promise<void> {
    this.bytes ??= Buffer.from(JSON.stringify(this.value) ?? 'null', 'utf8');
    await out.rawBytes(this.bytes);
  }
}

/**
 * The value of a CachedJson, or of `v` as a state read from a file holds it: the plain value, or
 * the journal it was written to (its one segment).
 */
export function cachedValue<T>(v: T | CachedJson<T>): T {
  if (v instanceof CachedJson) return v.value;
  const segments = journalSegments(v);
  if (segments === undefined) return v;
  // Only ever written whole: a second segment is not something this process wrote.
  if (segments.length !== 1) throw new Error(`saved constant journal holds ${segments.length} segments, not 1`);
  return segments[0] as T;
}
