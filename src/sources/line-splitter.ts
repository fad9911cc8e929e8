/**
 * Byte-level line splitting, with no I/O: feed it reads of any size and it hands back complete lines.
 *
 * - A line ends at LF; one trailing CR is stripped (CRLF logs). Empty lines are skipped, not counted.
 * - Splitting is done on bytes, before decoding. LF (0x0A) never occurs inside a multi-byte UTF-8
 *   sequence, so a character cut across two reads is simply reassembled with the rest of its line.
 * - Each complete line is checked as UTF-8; an invalid one is dropped as `invalid_utf8`.
 * - A valid line is decoded to a string for `line`, or, to a handler that has `bytes`, handed as
 *   its place in the read buffer, not decoded (the records stage scans the bytes).
 * - A line longer than maxLineBytes is dropped as `too_long` once, and the rest of it up to the next
 *   LF is skipped without being buffered: memory stays bounded by maxLineBytes however long it is.
 * - The lines of one push() (one read) are handed on inside the handler's `read`, if it has one:
 *   they arrived together (the analyzers read the clock once for them).
 * - `committedBytes` counts bytes through the last LF. A tailer stores base + committedBytes as its
 *   offset, so a restart always resumes at a line start and a partial line is re-read whole.
 */
import { isUtf8 } from 'node:buffer';

export type LineDropReason = 'too_long' | 'invalid_utf8';

export interface LineHandler {
  line(text: string): void;
  /**
   * Optional: each line as its bytes, bytes[start, end), instead of line(text): valid UTF-8 without
   * its terminator or byte-order mark, not decoded, in a buffer that is reused once this returns.
   */
  bytes?(bytes: Buffer, start: number, end: number): void;
  dropped(reason: LineDropReason): void;
  /** Optional: called once per push(); every line and drop of that chunk is handed on inside `deliver` (LineSink.read). */
  read?(deliver: () => void): void;
}

const LF = 0x0a;
const CR = 0x0d;
const BOM = '\uFEFF';

export class LineSplitter {
  /** Copies of the bytes of the current unterminated line (read buffers are reused by callers). */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Inside an over-long line: bytes are skipped until the next LF. */
  private discarding = false;
  private consumed = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly out: LineHandler,
  ) {
    if (!(maxLineBytes >= 1)) throw new RangeError(`maxLineBytes must be at least 1, got ${maxLineBytes}`);
  }

  /** Bytes consumed through the last line terminator since creation or reset(). */
  get committedBytes(): number {
    return this.consumed;
  }

  /** Bytes seen after the last line terminator (buffered or being skipped). */
  get pendingBytes(): number {
    return this.pendingLength;
  }

  /** Hands on the complete lines of `chunk` (one read), inside the handler's `read` when it has one. */
  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const read = this.out.read;
    if (read === undefined) this.split(buf);
    else read.call(this.out, () => this.split(buf));
  }

  private split(buf: Buffer): void {
    let start = 0;
    // The first line may continue one buffered (or being skipped) from the previous push.
    if (this.pendingLength > 0 || this.discarding) {
      const lf = buf.indexOf(LF);
      if (lf === -1) {
        this.keepPartial(buf, 0, buf.length);
        return;
      }
      this.completeLine(buf, 0, lf);
      this.lineEnded(lf + 1);
      start = lf + 1;
    }
    // Lines wholly inside this chunk are checked as UTF-8 in one call: LF never occurs inside a
    // multi-byte sequence, so every line of a valid run is valid. A run that is not is checked line by line.
    const last = buf.lastIndexOf(LF);
    const valid = last > start && isUtf8(buf.subarray(start, last));
    while (start < buf.length) {
      const lf = buf.indexOf(LF, start);
      if (lf === -1) {
        this.keepPartial(buf, start, buf.length);
        return;
      }
      if (valid) this.emitValid(buf, start, lf);
      else this.completeLine(buf, start, lf);
      this.lineEnded(lf - start + 1);
      start = lf + 1;
    }
  }

  /** After a line's delivery (its offset is still the line's start while it is delivered). */
  private lineEnded(bytes: number): void {
    this.consumed += this.pendingLength + bytes;
    if (this.pendingLength > 0) this.pending = [];
    this.pendingLength = 0;
    this.discarding = false;
  }

  /** End of stream: an unterminated last line counts as a line (stdin); files never call this. */
  end(): void {
    if (this.pendingLength > 0 && !this.discarding) {
      const bytes = Buffer.concat(this.pending, this.pendingLength);
      this.consumed += bytes.length;
      this.pending = [];
      this.pendingLength = 0;
      this.emit(bytes);
    }
  }

  /**
   * Starting mid-line (start_at end while a line is being written): skip up to the next LF
   * silently; that fragment is not a line and not an error.
   */
  skipToNextLine(): void {
    this.pending = [];
    this.discarding = true;
  }

  /** Forget everything, e.g. after a truncation: the next byte pushed is offset 0 again. */
  reset(): void {
    this.pending = [];
    this.pendingLength = 0;
    this.discarding = false;
    this.consumed = 0;
  }

  private keepPartial(buf: Buffer, from: number, to: number): void {
    const length = to - from;
    if (this.discarding) {
      this.pendingLength += length;
      return;
    }
    // One extra byte is allowed for a CR that may turn out to precede the LF.
    if (this.pendingLength + length > this.maxLineBytes + 1) {
      this.startDiscarding(length);
      return;
    }
    this.pending.push(Buffer.from(buf.subarray(from, to)));
    this.pendingLength += length;
  }

  private startDiscarding(extra: number): void {
    this.out.dropped('too_long');
    this.pending = [];
    this.pendingLength += extra;
    this.discarding = true;
  }

  private completeLine(buf: Buffer, from: number, lf: number): void {
    if (this.discarding) return;
    let bytes = this.pendingLength === 0 ? buf.subarray(from, lf) : Buffer.concat([...this.pending, buf.subarray(from, lf)]);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes.length > this.maxLineBytes) {
      this.out.dropped('too_long');
      return;
    }
    this.emit(bytes);
  }

  /** A line of a run already checked as UTF-8: decoded straight from the read buffer, no copy or view. */
  private emitValid(buf: Buffer, from: number, lf: number): void {
    const end = lf > from && buf[lf - 1] === CR ? lf - 1 : lf;
    if (end - from > this.maxLineBytes) {
      this.out.dropped('too_long');
      return;
    }
    if (end === from) return;
    if (this.out.bytes !== undefined) {
      this.emitBytes(buf, from, end);
      return;
    }
    const text = buf.toString('utf8', from, end);
    // A byte-order mark at the start of a file would break JSON.parse downstream.
    if (text.charCodeAt(0) !== 0xfeff) this.out.line(text);
    else if (text.length > 1) this.out.line(text.slice(1));
  }

  /** A valid UTF-8 line to a handler that takes bytes: the byte-order mark is dropped as line() drops it. */
  private emitBytes(buf: Buffer, from: number, end: number): void {
    if (buf[from] === 0xef && buf[from + 1] === 0xbb && buf[from + 2] === 0xbf && end - from >= 3) from += 3;
    if (end > from) this.out.bytes!(buf, from, end);
  }

  private emit(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (!isUtf8(bytes)) {
      this.out.dropped('invalid_utf8');
      return;
    }
    if (this.out.bytes !== undefined) {
      this.emitBytes(bytes, 0, bytes.length);
      return;
    }
    let text = bytes.toString('utf8');
    // A byte-order mark at the start of a file would break JSON.parse downstream.
    if (text.startsWith(BOM)) text = text.slice(1);
    if (text.length > 0) this.out.line(text);
  }
}
