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
 */

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

/**
 * A captured value that writes its own JSON: the bytes equal JSON.stringify(value), which calls
 * toJSON. What a snapshot holds as compact copies (typed-array bytes, packed request ids) is then
 * turned into text while it is streamed, a slice at a time, instead of as strings up front.
 */
export interface JsonStreamable {
  toJSON(): unknown;
  writeJson(out: JsonChunkWriter): Promise<void>;
}

function streamable(value: object): value is JsonStreamable {
  return typeof (value as Partial<JsonStreamable>).writeJson === 'function';
}

export class JsonChunkWriter {
  private readonly buf: Buffer;
  private used = 0;
  private since = performance.now();
  /** Bytes handed to the sink so far. */
  bytes = 0;

  constructor(
    private readonly sink: ChunkSink,
    size = 1 << 20,
    /** A buffer to reuse (its size wins): one per checkpoint store, not 1 MiB of new memory a write. */
    buffer?: Buffer,
  ) {
    this.buf = buffer ?? Buffer.allocUnsafe(size);
  }

  /** Writes raw text (already JSON); `ascii` says it is one-byte text needing no UTF-8 encoding. */
  async raw(text: string, ascii = false): Promise<void> {
    if (this.put(text, ascii)) return;
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

  /** Yields to I/O when the writer has run for STEP_MS since it last did. */
  async breathe(): Promise<void> {
    if (performance.now() - this.since > STEP_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.since = performance.now();
    }
  }

  /** Writes JSON.stringify(value) (undefined as `null`, as inside an array). */
  async value(value: unknown, depth = 0): Promise<void> {
    if (typeof value === 'string' && value.length >= LONG_STRING && !NOT_PLAIN_ASCII.test(value)) {
      await this.raw('"');
      await this.raw(value, true);
      await this.raw('"');
    } else if (value !== null && typeof value === 'object' && streamable(value)) {
      await value.writeJson(this);
    } else if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH || 'toJSON' in value) {
      await this.raw(JSON.stringify(value) ?? 'null');
    } else if (Array.isArray(value)) {
      await this.array(value, depth);
    } else {
      await this.object(value as Record<string, unknown>, depth);
    }
    await this.breathe();
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

  private async array(a: readonly unknown[], depth: number): Promise<void> {
    if (a.length <= ARRAY_SLICE && a.every(isSmall)) {
      await this.raw(JSON.stringify(a));
      return;
    }
    await this.raw('[');
    if (a.length <= ARRAY_SLICE) {
      for (let i = 0; i < a.length; i++) {
        if (i > 0 && !this.put(',')) await this.raw(',');
        const v = a[i];
        await this.value(typeof v === 'function' || typeof v === 'symbol' ? undefined : v, depth + 1);
      }
    } else {
      for (let i = 0; i < a.length; i += ARRAY_SLICE) {
        const text = JSON.stringify(a.slice(i, i + ARRAY_SLICE));
        await this.raw(i > 0 ? `,${text.slice(1, -1)}` : text.slice(1, -1));
      }
    }
    await this.raw(']');
  }

  private async object(o: Record<string, unknown>, depth: number): Promise<void> {
    await this.raw('{');
    let first = true;
    for (const key of Object.keys(o)) {
      const v = o[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      const name = `${first ? '' : ','}${JSON.stringify(key)}:`;
      if (!this.put(name)) await this.raw(name);
      first = false;
      await this.value(v, depth + 1);
    }
    await this.raw('}');
  }
}

/** A primitive or short string: an array of these is stringified whole. */
function isSmall(v: unknown): boolean {
  return v === null || (typeof v !== 'object' && (typeof v !== 'string' || v.length < LONG_STRING));
}
