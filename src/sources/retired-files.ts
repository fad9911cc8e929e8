/**
 * Files the tailer let go of (deleted or replaced at their path), remembered by inode with their
 * fingerprint and final offset. When the same file turns up under another watched name (renamed to
 * a name the glob also matches, or a symlink pointed back at it) it resumes there instead of being
 * read again from 0. The fingerprint guards against a reused inode number. Bounded, oldest first out.
 */
import { inodeKey, prefixMatches, type FileIdentity, type OpenedFile } from './file-identity.js';

const MAX_RETIRED = 256;

export class RetiredFiles {
  private readonly byInode = new Map<string, { fingerprint: string; offset: number }>();

  remember(identity: FileIdentity, committedOffset: number): void {
    const key = inodeKey(identity);
    this.byInode.delete(key);
    this.byInode.set(key, { fingerprint: identity.fingerprint, offset: committedOffset });
    if (this.byInode.size > MAX_RETIRED) this.byInode.delete(this.byInode.keys().next().value as string);
  }

  /** The offset to resume a just-opened file at, when it is one we let go of; else undefined. */
  resumeOffset(file: OpenedFile): number | undefined {
    const previous = this.byInode.get(inodeKey(file.identity));
    if (!previous || !prefixMatches(previous.fingerprint, file.prefix) || file.size < previous.offset) return undefined;
    return previous.offset;
  }
}
