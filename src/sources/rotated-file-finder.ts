/**
 * After a restart, the file a checkpoint entry describes may no longer be at its path: it was
 * rotated while we were stopped. Look for it beside its old path so its unread tail is not lost.
 *
 * - A rename keeps dev+ino: an uncompressed file in the same directory whose name starts with the
 *   old name's stem (`app` for app.log: app.log.1, app.log-20240101, app-20240101.log), with the
 *   entry's inode and matching first bytes, is it.
 * - copytruncate makes a copy with a new inode: a sibling whose name starts with the old name and
 *   whose first bytes match the fingerprint is taken, but only when exactly one does.
 * The candidate must be at least as long as the checkpointed offset, and the fingerprint must cover
 * at least one byte: an empty file's fingerprint matches anything, and a freed inode number is soon
 * reused (even by the checkpoint's own temp file), so dev+ino alone would find the wrong file.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CheckpointEntry } from './checkpoint.js';
import { fingerprintBytes, openRegularFile, prefixMatches, sameInode, type OpenedFile } from './file-identity.js';
import { isCompressed } from './glob.js';

/** Bounds the work on a directory with a huge number of files. */
const MAX_CANDIDATES = 1000;

async function tryOpen(path: string): Promise<OpenedFile | undefined> {
  try {
    return await openRegularFile(path);
  } catch {
    return undefined;
  }
}

function fits(entry: CheckpointEntry, file: OpenedFile): boolean {
  return prefixMatches(entry.fingerprint, file.prefix) && file.size >= entry.offset;
}

/**
 * Returns the rotated file opened, or undefined. `taken` says an inode is already tailed elsewhere.
 */
export async function findRotatedFile(
  entry: CheckpointEntry,
  taken: (id: { dev: string; ino: string }) => boolean,
): Promise<OpenedFile | undefined> {
  if (fingerprintBytes(entry.fingerprint) === 0) return undefined;
  const dir = dirname(entry.path);
  const base = basename(entry.path);
  const stem = base.includes('.', 1) ? base.slice(0, base.indexOf('.', 1)) : base;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n !== base && n.startsWith(stem) && !isCompressed(n)).slice(0, MAX_CANDIDATES);
  } catch {
    return undefined;
  }

  for (const name of names) {
    const st = await stat(join(dir, name), { bigint: true }).catch(() => undefined);
    if (!st?.isFile() || !sameInode({ dev: st.dev.toString(), ino: st.ino.toString() }, entry)) continue;
    const file = await tryOpen(join(dir, name));
    if (file && sameInode(file.identity, entry) && fits(entry, file)) return file;
    await file?.handle.close();
  }

  const matches: OpenedFile[] = [];
  for (const name of names.filter((n) => n.startsWith(base))) {
    const file = await tryOpen(join(dir, name));
    if (!file) continue;
    if (fits(entry, file) && !taken(file.identity)) matches.push(file);
    else await file.handle.close();
  }
  if (matches.length === 1) return matches[0];
  await Promise.all(matches.map((m) => m.handle.close()));
  return undefined;
}
