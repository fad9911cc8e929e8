/**
 * The exposition is written as bytes into one growable Buffer, never built as strings to join: a
 * 6,000-series scrape as strings is ~50,000 pieces whose joins and flattening, and the 730 kB string
 * they make, cost more than formatting them (and the string is encoded to bytes again for the socket).
 * Buffers are reused across scrapes (BufferPool): a large allocation is slow on a loaded machine.
 */

const NEWLINE = 10;

export class ByteWriter {
  len = 0;

  constructor(public buf: Buffer) {}

  /** Room for `n` more bytes: doubles the buffer (and drops the old one) when it is full. */
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  newline(): void {
    this.byte(NEWLINE);
  }

  bytes(src: Uint8Array, start = 0, end = src.length): void {
    this.ensure(end - start);
    this.len += (src as Buffer).copy(this.buf, this.len, start, end);
  }

  /**
   * Any string, as UTF-8. Metric names, numbers and nearly every label value are ASCII: copied a
   * char at a time (short strings: cheaper than a call into the encoder); the rest from the first
   * non-ASCII char by the encoder.
   */
  text(s: string): void {
    const n = s.length;
    if (n > 64) {
      this.ensure(3 * n);
      this.len += this.buf.write(s, this.len);
      return;
    }
    this.ensure(n);
    const buf = this.buf;
    let len = this.len;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.len = len;
        this.ensure(3 * (n - i));
        this.len += this.buf.write(s.slice(i), this.len);
        return;
      }
      buf[len++] = c;
    }
    this.len = len;
  }

  /** A number in the text format: NaN, +Inf, -Inf, else JavaScript's shortest round-trip form. */
  number(v: number): void {
    // Small integers (counts, bucket counts, flags) digit by digit, without a string.
    if ((v | 0) === v && v >= 0) {
      this.ensure(10);
      const buf = this.buf;
      const digits = v < 10 ? 1 : v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : v < 1e9 ? 9 : 10;
      let i = this.len + digits;
      this.len = i;
      do {
        buf[--i] = 48 + (v % 10);
        v = (v / 10) | 0;
      } while (v > 0);
      return;
    }
    this.text(formatValue(v));
  }

  toString(): string {
    return this.buf.toString('utf8', 0, this.len);
  }
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** The written bytes of one render, and the hand-back of its buffer once they are sent. */
export interface ExpositionBody {
  bytes: Buffer;
  /** Call once the bytes are no longer needed (sent, compressed, copied); the buffer is reused. */
  release(): void;
}

/**
 * Buffers for renders. A body's bytes may still be queued on a slow socket when the next scrape
 * renders, so a buffer comes back only when released; a body never released is just garbage.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];
  /** The largest render so far: a new buffer is made big enough for it at once. */
  private size: number;

  constructor(initial = 64 * 1024) {
    this.size = initial;
  }

  writer(): ByteWriter {
    return new ByteWriter(this.free.pop() ?? Buffer.allocUnsafe(this.size));
  }

  body(w: ByteWriter): ExpositionBody {
    const buf = w.buf;
    this.size = Math.max(this.size, buf.length);
    let released = false;
    return {
      bytes: buf.subarray(0, w.len),
      release: () => {
        if (released) return;
        released = true;
        // One kept: scrapes come one at a time (a concurrent one gets a new buffer). One outgrown is dropped.
        if (this.free.length === 0 && buf.length >= this.size) this.free.push(buf);
      },
    };
  }
}
