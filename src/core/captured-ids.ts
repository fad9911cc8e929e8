/**
 * Request ids copied out of an IdTable for a snapshot, still packed (16 bytes an id), and written
 * to the checkpoint as a JSON array of strings straight into the writer's buffer.
 *
 * Why: the label join's 100,000 waiting ids were turned into strings at every 5 s capture (a UUID
 * is ten intermediate strings) and held in a 100,000-element array until the write finished; that
 * array and its strings outlived the young generation and were megabytes for the full collector.
 * The JSON is the same array of strings (toJSON gives it), so the file format does not change.
 */
import type { JsonChunkWriter, JsonStreamable } from './json-chunk-writer.js';
import { LONG, MAX_PACKED_JSON, packedText, writePackedJson } from './packed-id.js';

export class CapturedIds implements JsonStreamable {
  constructor(
    private readonly kind: Uint8Array,
    private readonly lengths: Uint8Array,
    private readonly words: Uint32Array,
    /** Ids too long to pack, by position. */
    private readonly long: ReadonlyMap<number, string>,
  ) {}

  /** How many ids (as an array's length: a snapshot's readers take either). */
  get length(): number {
    return this.kind.length;
  }

  at(i: number): string {
    return this.kind[i] === LONG ? this.long.get(i)! : packedText(this.kind[i], this.lengths[i], this.words, i * 4);
  }

  /** The ids from position `from` on (views of the same copies). */
  from(from: number): CapturedIds {
    const long = new Map<number, string>();
    for (const [i, id] of this.long) if (i >= from) long.set(i - from, id);
    return new CapturedIds(this.kind.subarray(from), this.lengths.subarray(from), this.words.subarray(4 * from), long);
  }

  toJSON(): string[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }

  async writeJson(out: JsonChunkWriter): Promise<void> {
    await out.raw('[');
    for (let i = 0; i < this.length; i++) {
      let at = out.reserve(MAX_PACKED_JSON + 1);
      if (at < 0) {
        await out.flush();
        at = out.reserve(MAX_PACKED_JSON + 1);
      }
      if (at < 0) {
        // A buffer too small for one id (tests): the plain way.
        await out.raw(`${i > 0 ? ',' : ''}${JSON.stringify(this.at(i))}`);
        continue;
      }
      const buf = out.buffer;
      let p = at;
      if (i > 0) buf[p++] = 0x2c;
      const k = this.kind[i] === LONG ? -1 : writePackedJson(this.kind[i], this.lengths[i], this.words, i * 4, buf, p);
      if (k >= 0) {
        out.wrote(p + k - at);
      } else {
        out.wrote(p - at);
        await out.raw(JSON.stringify(this.at(i)));
      }
      if ((i & 1023) === 1023) await out.breathe();
    }
    await out.raw(']');
  }
}
