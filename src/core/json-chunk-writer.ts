/**
 * A large value's JSON text streamed to a sink through one reused buffer: the bytes are exactly
 * JSON.stringify(value) in UTF-8, but no string of the whole text (nor of any large part) is built.
 *
 * Why: the state checkpoint is 5–10 MB of JSON every few seconds, most of it base64 windows. Built as
 * strings (JSON.stringify copies each base64 string, the pieces are joined into chunks, the chunks
 * encoded to UTF-8) it cost ~3 % of a core at 1,000 records/s and doubled the peak RSS (264 MiB vs
 * 131 without checkpoints: megabyte strings live in the large-object space until a full GC). Here a
 * long string that needs no escaping (base64, ids) is copied into the buffer as one-byte text, large
 * arrays are stringified a slice at a time, and the buffer goes to the sink whenever it is full.
 *
 * Synchronous until the buffer is full: each method returns a promise only when it had to wait for
 * the sink (or to yield to I/O), `undefined` when all it wrote fit in the buffer. As `async`
 * methods awaited at every value, a checkpoint's walk made a promise per value, key and piece of
 * text (~60 MB a minute at 1,000 records/s, the collector's largest source).
 */

import { base64Length, encodeBase64Into } from './base64-into.js';

/** Strings at least this long are checked for escapes and copied as they are when they need none. */
const LONG_STRING = 256;
/** Arrays longer than this are written in slices of this many elements (ids, values). */
const ARRAY_SLICE = 1024;
/** Objects nested deeper than this are stringified whole (JSON.stringify reports cycles). */
const MAX_DEPTH = 64;
/** Yield to I/O after this long without an await (a scrape must not wait for the whole state). */
const STEP_MS = 4;
/** A character that JSON.stringify would escape or encode on more than one byte. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NOT_PLAIN_ASCII = /["\\\u0000-\u001f\u0080-\uffff]/;

export type ChunkSink = (chunk: Buffer) => Promise<void>;

/** What a write returns: a promise to wait on when it had to wait, undefined when it is done. */
export type Pending = Promise<void> | undefined;

/**
 * A captured value that writes its own JSON: the bytes equal JSON.stringify(value), which calls
 * toJSON. What a snapshot holds as compact copies (typed-array bytes, packed request ids) is then
 * turned into text while it is streamed, a slice at a time, instead of as strings up front.
 */
export interface JsonStreamable {
  toJSON(): unknown;
  writeJson(out: JsonChunkWriter): Pending;
}

function streamable(value: object): value is JsonStreamable {
  return typeof (value as Partial<JsonStreamable>).writeJson === 'function';
}

/** Values written between two looks at the clock: a reading costs as much as a small value. */
const VALUES_PER_CLOCK = 64;

export class JsonChunkWriter {
  private readonly buf: Buffer;
  private used = 0;
  private since = performance.now();
  private untilClock = VALUES_PER_CLOCK;
  /** Bytes handed to the sink so far. */
  bytes = 0;

  constructor(
    private readonly sink: ChunkSink,
    size = 1 << 20,
    /** A buffer to reuse (its size wins): one per checkpoint store, not 1 MiB of new memory a write. */
    buffer?: Buffer,
    /** How long it runs before it yields to I/O. */
    private readonly stepMs = STEP_MS,
  ) {
    this.buf = buffer ?? Buffer.allocUnsafe(size);
    // base64 goes in 4-character groups.
    if (this.buf.length < 4) throw new RangeError(`a JSON chunk buffer of ${this.buf.length} bytes: at least 4 needed`);
  }

  /** Writes raw text (already JSON); `ascii` says it is one-byte text needing no UTF-8 encoding. */
  raw(text: string, ascii = false): Pending {
    return this.put(text, ascii) ? undefined : this.rawAfterFlush(text, ascii);
  }

  private async rawAfterFlush(text: string, ascii: boolean): Promise<void> {
    await this.flush();
    if (this.put(text, ascii)) return;
    await this.emit(Buffer.from(text, ascii ? 'latin1' : 'utf8'));
  }

  /** Writes bytes that are already JSON text in UTF-8, through the buffer a part at a time. */
  async rawBytes(b: Uint8Array): Promise<void> {
    for (let at = 0; at < b.length; ) {
      if (this.used === this.buf.length) await this.flush();
      const n = Math.min(this.buf.length - this.used, b.length - at);
      this.buf.set(b.subarray(at, at + n), this.used);
      this.used += n;
      at += n;
      await this.breathe();
    }
  }

  /** Writes `bytes` as a JSON string of their base64 (Buffer#toString('base64')), encoded into the buffer. */
  base64(bytes: Uint8Array): Pending {
    const size = base64Length(bytes.length) + 2;
    if (this.used + size > this.buf.length) return this.base64InParts(bytes);
    const buf = this.buf;
    buf[this.used] = QUOTE;
    this.used += 1 + encodeBase64Into(bytes, 0, bytes.length, buf, this.used + 1);
    buf[this.used++] = QUOTE;
    return this.breathe();
  }

  /** base64() for bytes whose text does not fit in what is left of the buffer: a part per buffer. */
  private async base64InParts(bytes: Uint8Array): Promise<void> {
    await this.raw('"');
    for (let at = 0; at < bytes.length; ) {
      // Whole groups of 3 bytes until the last part: the parts' texts join into the whole's.
      const room = Math.floor((this.buf.length - this.used) / 4) * 3;
      if (room === 0) {
        await this.flush();
        continue;
      }
      const n = Math.min(room, bytes.length - at);
      this.used += encodeBase64Into(bytes, at, at + n, this.buf, this.used);
      at += n;
      await this.breathe();
    }
    await this.raw('"');
  }

  /** Copies text into the buffer if it surely fits (the common case: no promise to wait on). */
  private put(text: string, ascii = false): boolean {
    if (this.used + (ascii ? text.length : 3 * text.length) > this.buf.length) return false;
    this.used += this.buf.write(text, this.used, ascii ? 'latin1' : 'utf8');
    return true;
  }

  /**
   * For callers that write bytes themselves: where the next `n` bytes go in `buffer` when they fit
   * now (−1: flush first; n is at most the buffer's size). `wrote(k)` then counts the k written.
   */
  reserve(n: number): number {
    return this.used + n <= this.buf.length ? this.used : -1;
  }

  get buffer(): Buffer {
    return this.buf;
  }

  wrote(k: number): void {
    this.used += k;
  }

  /** Yields to I/O when the writer has run for STEP_MS since it last did (for callers that write a part at a time). */
  breathe(): Pending {
    return performance.now() - this.since <= this.stepMs ? undefined : this.yieldToIo();
  }

  /** breathe() after a value: the clock read every VALUES_PER_CLOCK values (a reading costs as much as a small value). */
  private breatheAfterValue(): Pending {
    if (--this.untilClock > 0) return undefined;
    this.untilClock = VALUES_PER_CLOCK;
    return this.breathe();
  }

  private async yieldToIo(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.since = performance.now();
  }

  /** Writes JSON.stringify(value) (undefined as `null`, as inside an array). */
  value(value: unknown, depth = 0): Pending {
    const pending = this.write(value, depth);
    return pending === undefined ? this.breatheAfterValue() : this.breatheAfter(pending);
  }

  private async breatheAfter(pending: Promise<void>): Promise<void> {
    await pending;
    await this.breathe();
  }

  private write(value: unknown, depth: number): Pending {
    if (typeof value === 'string' && value.length >= LONG_STRING && !NOT_PLAIN_ASCII.test(value)) {
      if (this.used + value.length + 2 > this.buf.length) return this.longString(value);
      this.buf[this.used++] = QUOTE;
      this.used += this.buf.write(value, this.used, 'latin1');
      this.buf[this.used++] = QUOTE;
      return undefined;
    }
    if (value === null || typeof value !== 'object') return this.raw(JSON.stringify(value) ?? 'null');
    if (streamable(value)) return value.writeJson(this);
    if (depth >= MAX_DEPTH || 'toJSON' in value) return this.raw(JSON.stringify(value) ?? 'null');
    return Array.isArray(value) ? this.array(value, depth) : this.object(value as Record<string, unknown>, depth);
  }

  /** A long plain string that does not fit in what is left of the buffer. */
  private async longString(value: string): Promise<void> {
    await this.raw('"');
    await this.raw(value, true);
    await this.raw('"');
  }

  /** Hands what is buffered to the sink (call once at the end). */
  async flush(): Promise<void> {
    if (this.used === 0) return;
    const n = this.used;
    this.used = 0;
    // The sink has taken the bytes when it resolves: the buffer is then reused.
    await this.emit(this.buf.subarray(0, n));
  }

  private async emit(chunk: Buffer): Promise<void> {
    await this.sink(chunk);
    this.bytes += chunk.length;
  }

  private array(a: readonly unknown[], depth: number): Pending {
    if (a.length <= ARRAY_SLICE && a.every(isSmall)) return this.raw(JSON.stringify(a));
    if (a.length > ARRAY_SLICE) return this.slicedArray(a);
    const open = this.raw('[');
    return open === undefined ? this.elements(a, 0, depth) : this.resumeElements(open, a, 0, depth);
  }

  /** Elements from `from` on, then the closing bracket: synchronously until a write has to wait. */
  private elements(a: readonly unknown[], from: number, depth: number): Pending {
    for (let i = from; i < a.length; i++) {
      if (i > 0 && !this.put(',')) return this.resumeElements(this.raw(','), a, i, depth, true);
      const pending = this.value(element(a, i), depth + 1);
      if (pending !== undefined) return this.resumeElements(pending, a, i + 1, depth);
    }
    return this.raw(']');
  }

  /** After `pending`: element `from`'s value when `comma` (its comma was what waited), then the rest. */
  private async resumeElements(pending: Pending, a: readonly unknown[], from: number, depth: number, comma = false): Promise<void> {
    await pending;
    if (comma) await this.value(element(a, from++), depth + 1);
    await this.elements(a, from, depth);
  }

  /** A long array: JSON.stringify a slice at a time. */
  private async slicedArray(a: readonly unknown[]): Promise<void> {
    await this.raw('[');
    for (let i = 0; i < a.length; i += ARRAY_SLICE) {
      const text = JSON.stringify(a.slice(i, i + ARRAY_SLICE));
      await this.raw(i > 0 ? `,${text.slice(1, -1)}` : text.slice(1, -1));
      await this.breathe();
    }
    await this.raw(']');
  }

  private object(o: Record<string, unknown>, depth: number): Pending {
    const keys = Object.keys(o);
    const open = this.raw('{');
    return open === undefined ? this.members(o, keys, 0, true, depth) : this.resumeMembers(open, o, keys, 0, true, depth);
  }

  /** Members from key `from` on, then the closing brace: synchronously until a write has to wait. */
  private members(o: Record<string, unknown>, keys: readonly string[], from: number, first: boolean, depth: number): Pending {
    for (let k = from; k < keys.length; k++) {
      const v = o[keys[k]];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      if (!this.putKey(keys[k], first)) return this.resumeMember(o, keys, k, first, depth);
      first = false;
      const pending = this.value(v, depth + 1);
      if (pending !== undefined) return this.resumeMembers(pending, o, keys, k + 1, false, depth);
    }
    return this.raw('}');
  }

  private async resumeMembers(pending: Promise<void>, o: Record<string, unknown>, keys: readonly string[], from: number, first: boolean, depth: number): Promise<void> {
    await pending;
    await this.members(o, keys, from, first, depth);
  }

  /** Member `k` whose name did not fit: its name and value, then the rest. */
  private async resumeMember(o: Record<string, unknown>, keys: readonly string[], k: number, first: boolean, depth: number): Promise<void> {
    await this.raw(`${first ? '' : ','}${JSON.stringify(keys[k])}:`);
    await this.value(o[keys[k]], depth + 1);
    await this.members(o, keys, k + 1, false, depth);
  }

  /** `"key":` (after a comma unless first) if it fits; a plain key is copied without a string of its JSON. */
  private putKey(key: string, first: boolean): boolean {
    if (key.length > SHORT_KEY || NOT_PLAIN_ASCII.test(key)) return this.put(`${first ? '' : ','}${JSON.stringify(key)}:`);
    if (this.used + key.length + 4 > this.buf.length) return false;
    const buf = this.buf;
    let at = this.used;
    if (!first) buf[at++] = COMMA;
    buf[at++] = QUOTE;
    for (let i = 0; i < key.length; i++) buf[at++] = key.charCodeAt(i);
    buf[at++] = QUOTE;
    buf[at++] = COLON;
    this.used = at;
    return true;
  }
}

/** Keys up to this long are copied a character at a time (longer ones through JSON.stringify). */
const SHORT_KEY = 64;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Element i as JSON.stringify sees it: a function or symbol in an array is written as null. */
function element(a: readonly unknown[], i: number): unknown {
  const v = a[i];
  return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
}

/** A primitive or short string: an array of these is stringified whole. */
function isSmall(v: unknown): boolean {
  return v === null || (typeof v !== 'object' && (typeof v !== 'string' || v.length < LONG_STRING));
}
