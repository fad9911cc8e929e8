/**
 * After a restart: which file continues a checkpoint entry, and from where.
 *   1. the file still at the path, same dev+ino, same first bytes, long enough → its offset;
 *   2. else the file rotated away while we were stopped (rotated-file-finder.ts) → its offset; the
 *      normal rotation check then moves on to the file now at the path;
 *   3. else the file now at the path, from 0: it was truncated (same inode) or replaced;
 *   4. else nothing: the path is missing and is retried like any other.
 */
import type { CheckpointEntry } from './checkpoint.js';
import { openRegularFile, prefixMatches, sameInode, type OpenedFile } from './file-identity.js';
import { findRotatedFile } from './rotated-file-finder.js';

export interface Resumption {
  file: OpenedFile;
  offset: number;
  /** Set when the checkpointed file is not the one continued from its offset. */
  change?: 'truncate' | 'rename';
}

export async function resumeEntry(
  entry: CheckpointEntry,
  isTailed: (id: { dev: string; ino: string }) => boolean,
): Promise<Resumption | undefined> {
  const here = await openRegularFile(entry.path).catch(() => undefined);
  if (here && sameInode(here.identity, entry) && prefixMatches(entry.fingerprint, here.prefix) && here.size >= entry.offset) {
    return { file: here, offset: entry.offset };
  }
  const moved = await findRotatedFile(entry, isTailed);
  if (moved) {
    await here?.handle.close();
    return { file: moved, offset: entry.offset };
  }
  if (!here) return undefined;
  return { file: here, offset: 0, change: sameInode(here.identity, entry) ? 'truncate' : 'rename' };
}
