/**
 * One open log file: its handle, identity, read position and line splitter, and the question asked
 * at every end of file: is the file at my path still the one I hold?
 *
 * Offsets: `position` is where the next read starts; `committed` (base + bytes through the last LF)
 * is what a checkpoint stores, always a line start.
 */
import { lstat, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { FINGERPRINT_BYTES, fingerprintBytes, fingerprintOf, readPrefix, sameInode, type FileIdentity, type OpenedFile } from './file-identity.js';
import { LineSplitter, type LineHandler } from './line-splitter.js';
import type { LineOrigin } from './source.js';

export type PathChange =
  | { kind: 'same' }
  | { kind: 'gone' }
  | { kind: 'replaced'; viaSymlink: boolean }
  | { kind: 'truncated' }
  | { kind: 'unknown'; error: unknown };

export class TailedFile implements LineOrigin {
  readonly handle: FileHandle;
  /** Where the handle was opened: the watched path, or a rotated sibling resumed after a restart. */
  readonly openedPath: string;
  readonly identity: FileIdentity;
  /** Last known size, for lag. */
  size: number;
  private base = 0;
  private next = 0;
  private readonly splitter: LineSplitter;
  /**
   * The first bytes the fingerprint covers, as they were when it was taken: each check compares the
   * bytes read with these, where hashing them and parsing the fingerprint again cost ~10 µs a poll.
   */
  private known: Buffer;
  /** Where each check reads the first bytes (no 256 bytes of new memory a poll). */
  private readonly scratch = Buffer.allocUnsafe(FINGERPRINT_BYTES);
  /**
   * dev and ino as numbers when both are exact (below 2^53): the path is then stat'ed every poll
   * without bigints (a BigIntStats is 18 BigInts); a larger inode number (overlayfs, XFS) takes bigint stats.
   */
  private readonly numericId: { dev: number; ino: number } | undefined;

  constructor(
    /** The watched path: the checkpoint key, and the path checked for rotation. */
    readonly key: string,
    opened: OpenedFile,
    offset: number,
    maxLineBytes: number,
    lines: LineHandler,
    /** The offset is inside a line (start_at end while a long line is written): skip to its end. */
    midLine = false,
  ) {
    this.handle = opened.handle;
    this.openedPath = opened.path;
    this.identity = { ...opened.identity };
    this.size = opened.size;
    this.known = Buffer.from(opened.prefix.subarray(0, fingerprintBytes(opened.identity.fingerprint)));
    const dev = Number(opened.identity.dev);
    const ino = Number(opened.identity.ino);
    this.numericId = Number.isSafeInteger(dev) && Number.isSafeInteger(ino) ? { dev, ino } : undefined;
    this.splitter = new LineSplitter(maxLineBytes, lines);
    this.seek(offset, midLine);
  }

  get position(): number {
    return this.next;
  }

  get committed(): number {
    return this.base + this.splitter.committedBytes;
  }

  lagBytes(): number {
    return Math.max(0, this.size - this.committed);
  }

  /** During a line's delivery `committed` is still that line's start: its offset in the file. */
  origin(): { file: string; offset: number } {
    return { file: this.openedPath, offset: this.committed };
  }

  seek(offset: number, midLine = false): void {
    this.base = offset;
    this.next = offset;
    this.splitter.reset();
    if (midLine) this.splitter.skipToNextLine();
  }

  /**
   * One positioned read into `buffer` from the read position; nothing moves until deliver() hands
   * the bytes on. Returns the count (0 at end of file).
   */
  async read(buffer: Buffer): Promise<number> {
    return (await this.handle.read(buffer, 0, buffer.length, this.next)).bytesRead;
  }

  /** The `count` bytes just read into `buffer` are split into lines and handed on. */
  deliver(buffer: Buffer, count: number): void {
    this.next += count;
    if (this.next > this.size) this.size = this.next;
    this.splitter.push(buffer.subarray(0, count));
  }

  /**
   * Stats the watched path and compares it with the handle (the tailer asks at each end of file,
   * the mtail way: no stat while data flows). `verified`: this pass's reads found bytes, and the
   * first bytes were checked after each of them (firstBytesChanged): they are not read again.
   */
  async checkPath(verified: boolean): Promise<PathChange> {
    let same: boolean;
    let size: number;
    try {
      const id = this.numericId;
      if (id !== undefined) {
        const st = await stat(this.key);
        same = st.dev === id.dev && st.ino === id.ino;
        size = st.size;
      } else {
        const st = await stat(this.key, { bigint: true });
        same = sameInode({ dev: st.dev.toString(), ino: st.ino.toString() }, this.identity);
        size = Number(st.size);
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'gone' };
      return { kind: 'unknown', error: err };
    }
    if (!same) {
      const link = await lstat(this.key).catch(() => undefined);
      return { kind: 'replaced', viaSymlink: link?.isSymbolicLink() ?? false };
    }
    this.size = size;
    if (size < this.next) return { kind: 'truncated' };
    // A truncate-and-rewrite to exactly our offset, with nothing after it, is told by the first bytes
    // alone; one that went past it, by the check of the bytes a read finds (next pass, if not this one).
    if (!verified && (await this.firstBytesChanged())) return { kind: 'truncated' };
    return { kind: 'same' };
  }

  /**
   * A truncate-and-rewrite that outgrows our offset between two polls is invisible to size checks;
   * its first bytes give it away. Also extends a short fingerprint as the file grows.
   */
  async firstBytesChanged(): Promise<boolean> {
    const prefix = await readPrefix(this.handle, this.scratch);
    const known = this.known;
    if (prefix.length < known.length || prefix.compare(known, 0, known.length, 0, known.length) !== 0) return true;
    if (prefix.length > known.length) this.learn(prefix);
    return false;
  }

  /** After a truncation: read again from 0, and from now on this content is what identifies the file. */
  async restart(): Promise<void> {
    this.seek(0);
    this.learn(await readPrefix(this.handle, this.scratch));
  }

  /** From now on these first bytes identify the file. */
  private learn(prefix: Buffer): void {
    this.known = Buffer.from(prefix);
    this.identity.fingerprint = fingerprintOf(prefix);
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
