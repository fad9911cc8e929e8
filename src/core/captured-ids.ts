/**
 * Request ids copied out of an IdTable for a snapshot, still packed (16 bytes an id), and written
 * to the checkpoint as a JSON array of strings straight into the writer's buffer.
 *
 * Why: the label join's 100,000 waiting ids were turned into strings at every 5 s capture (a UUID
 * is ten intermediate strings) and held in a 100,000-element array until the write finished; that
 * array and its strings outlived the young generation and were megabytes for the full collector.
 * The JSON is the same array of strings (toJSON gives it), so the file format does not change.
 *
 * In the checkpoint (inside stringifyWithBinary) the ids go still packed, their columns raw in the
 * binary file: `{"packedIds": {"kind", "lengths", "words": {"$bin": …}, "long": [[i, id], …]}}`.
 * As an array of strings, data quality's 10,000 recent ids were 33 of the 83 MB a live minute
 * allocated once the typed arrays went raw (docs/performance.md, "The checkpoint's typed arrays
 * written raw"); packed they are a memcpy. fromSaved reads that form back.
 */
import { gatheringBinary } from './binary-refs.js';
import type { JsonChunkWriter, JsonStreamable } from './json-chunk-writer.js';
import { LONG, MAX_PACKED_JSON, packedText, writePackedJson } from './packed-id.js';
import { TypedCopy } from './typed-codec.js';

/** The checkpoint's form of packed ids (its columns' bytes resolved to TypedCopy when read back). */
interface SavedPacked {
  packedIds: { kind: TypedCopy; lengths: TypedCopy; words: TypedCopy; long: [number, string][] };
}

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

  toJSON(): string[] | SavedPacked {
    if (gatheringBinary()) {
      const w = this.words;
      return { packedIds: { kind: new TypedCopy(this.kind), lengths: new TypedCopy(this.lengths), words: new TypedCopy(new Uint8Array(w.buffer, w.byteOffset, w.byteLength)), long: [...this.long] } };
    }
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }

  /** The ids of the checkpoint's packed form read back; undefined for another form; throws when it does not fit. */
  static fromSaved(saved: unknown): CapturedIds | undefined {
    const p = (saved as Partial<SavedPacked> | null)?.packedIds;
    if (p === undefined || saved === null || typeof saved !== 'object') return undefined;
    const { kind, lengths, words, long } = p;
    if (!(kind instanceof TypedCopy) || !(lengths instanceof TypedCopy) || !(words instanceof TypedCopy) || !Array.isArray(long)) throw new Error('saved packed ids: columns missing');
    const n = kind.bytes.length;
    if (lengths.bytes.length !== n || words.bytes.length !== 16 * n) throw new Error(`saved packed ids: columns of ${n}, ${lengths.bytes.length} and ${words.bytes.length / 16} ids`);
    const byPosition = new Map<number, string>();
    for (const e of long as unknown[]) {
      if (!Array.isArray(e) || !Number.isInteger(e[0]) || typeof e[1] !== 'string' || kind.bytes[e[0] as number] !== LONG) throw new Error('saved packed ids: a long id out of place');
      byPosition.set(e[0] as number, e[1]);
    }
    for (let i = 0; i < n; i++) if (kind.bytes[i] === LONG && !byPosition.has(i)) throw new Error(`saved packed ids: long id ${i} missing`);
    // Copies: the words must be 4-byte aligned, and the file's bytes are not kept.
    const wordsCopy = new Uint32Array(4 * n);
    new Uint8Array(wordsCopy.buffer).set(words.bytes);
    return new CapturedIds(kind.bytes.slice(), lengths.bytes.slice(), wordsCopy, byPosition);
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
