/**
 * One open log file: its handle, identity, read position and line splitter, and the question asked
 * at every end of file: is the file at my path still the one I hold?
 *
 * Offsets: `position` is where the next read starts; `committed` (base + bytes through the last LF)
 * is what a checkpoint stores, always a line start.
 */
import { lstat, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import {
  fingerprintBytes,
  fingerprintOf,
  prefixMatches,
  readPrefix,
  sameInode,
  type FileIdentity,
  type OpenedFile,
} from './file-identity.js';
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

  /** One positioned read into `buffer`; the bytes are split into lines. Returns the count (0 at EOF). */
  async readChunk(buffer: Buffer): Promise<number> {
    const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, this.next);
    if (bytesRead > 0) {
      this.next += bytesRead;
      if (this.next > this.size) this.size = this.next;
      this.splitter.push(buffer.subarray(0, bytesRead));
    }
    return bytesRead;
  }

  async refreshSize(): Promise<void> {
    this.size = Math.max(this.next, Number((await this.handle.stat()).size));
  }

  /**
   * Called only after a read returned 0 bytes (the mtail way: no stat while data flows).
   * Stats the watched path and compares it with the handle.
   */
  async checkPath(): Promise<PathChange> {
    let st;
    try {
      st = await stat(this.key, { bigint: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'gone' };
      return { kind: 'unknown', error: err };
    }
    if (!sameInode({ dev: st.dev.toString(), ino: st.ino.toString() }, this.identity)) {
      const link = await lstat(this.key).catch(() => undefined);
      return { kind: 'replaced', viaSymlink: link?.isSymbolicLink() ?? false };
    }
    const size = Number(st.size);
    this.size = size;
    if (size < this.next || (await this.firstBytesChanged())) return { kind: 'truncated' };
    return { kind: 'same' };
  }

  /**
   * A truncate-and-rewrite that outgrows our offset between two polls is invisible to size checks;
   * its first bytes give it away. Also extends a short fingerprint as the file grows.
   */
  async firstBytesChanged(): Promise<boolean> {
    const prefix = await readPrefix(this.handle);
    if (!prefixMatches(this.identity.fingerprint, prefix)) return true;
    if (prefix.length > fingerprintBytes(this.identity.fingerprint)) this.identity.fingerprint = fingerprintOf(prefix);
    return false;
  }

  /** After a truncation: read again from 0, and from now on this content is what identifies the file. */
  async restart(): Promise<void> {
    this.seek(0);
    this.identity.fingerprint = fingerprintOf(await readPrefix(this.handle));
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
