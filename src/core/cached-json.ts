/**
 * A value that never changes once built (the drift reference profile made from the warm-up
 * records), whose JSON is stringified once and then written from those bytes at every checkpoint.
 *
 * Why: the warm-up profile holds 10,000 sample values per numeric feature (1.1 MB of JSON at 15
 * features); formatting its 150,000 numbers took ~38 ms at every 5 s write, for text that never
 * changes. The bytes are kept outside the V8 heap (a Buffer) for the process's life instead.
 */
import type { JsonChunkWriter, JsonStreamable } from './json-chunk-writer.js';

export class CachedJson<T> implements JsonStreamable {
  private bytes: Buffer | undefined;

  /** `value` must not change afterwards: its first written JSON is written ever after. */
  constructor(readonly value: T) {}

  toJSON(): T {
    return this.value;
  }

  async writeJson(out: JsonChunkWriter): Promise<void> {
    this.bytes ??= Buffer.from(JSON.stringify(this.value) ?? 'null', 'utf8');
    await out.rawBytes(this.bytes);
  }
}

/** The value of a CachedJson, or `v` itself (a state read from a file holds the plain value). */
export function cachedValue<T>(v: T | CachedJson<T>): T {
  return v instanceof CachedJson ? v.value : v;
}
