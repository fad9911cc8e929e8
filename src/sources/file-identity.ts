/**
 * What makes a log file "the same file": device + inode + a fingerprint of its first bytes.
 *
 * dev+ino alone is not enough: an inode freed by a deleted file is soon handed to a new one, and a
 * truncate-and-rewrite keeps the inode while replacing the content. The fingerprint catches both.
 *
 * The fingerprint is a SHA-256 of the first min(size, 256) bytes, written `<count>:<hex>` so the
 * number of bytes it covers travels with it. Hashing raw bytes rather than "the first line" keeps it
 * stable while a file grows (an append never changes a prefix) and lets a file that starts with a
 * common header line still differ from its siblings within 256 bytes. A fingerprint taken while the
 * file was short is upgraded as the file grows, up to 256 bytes. An empty file's fingerprint (`0:`)
 * matches anything, so only dev+ino identify it.
 *
 * dev and ino are kept as decimal strings: inode numbers can exceed 2^53 (overlayfs, XFS).
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { sha256Hex } from '../core/sha256.js';

export const FINGERPRINT_BYTES = 256;

export interface FileIdentity {
  dev: string;
  ino: string;
  fingerprint: string;
}

interface ParsedFingerprint {
  bytes: number;
  hash: string;
}

function hashHex(prefix: Uint8Array): string {
  return sha256Hex(prefix).slice(0, 32);
}

export function fingerprintOf(prefix: Uint8Array): string {
  const n = Math.min(prefix.length, FINGERPRINT_BYTES);
  return `${n}:${hashHex(prefix.subarray(0, n))}`;
}

export function parseFingerprint(fingerprint: string): ParsedFingerprint | undefined {
  const m = /^(\d+):([0-9a-f]*)$/.exec(fingerprint);
  if (!m) return undefined;
  const bytes = Number(m[1]);
  if (bytes > FINGERPRINT_BYTES || (bytes > 0 && m[2].length === 0)) return undefined;
  return { bytes, hash: m[2] };
}

/** How many bytes this fingerprint covers (0 for an empty file, or when unparsable). */
export function fingerprintBytes(fingerprint: string): number {
  return parseFingerprint(fingerprint)?.bytes ?? 0;
}

/** True when `prefix` (the file's first bytes, at least as many as the fingerprint covers) matches. */
export function prefixMatches(fingerprint: string, prefix: Uint8Array): boolean {
  const parsed = parseFingerprint(fingerprint);
  if (!parsed) return false;
  if (parsed.bytes === 0) return true;
  if (prefix.length < parsed.bytes) return false;
  return hashHex(prefix.subarray(0, parsed.bytes)) === parsed.hash;
}

export function sameInode(a: { dev: string; ino: string }, b: { dev: string; ino: string }): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

export function inodeKey(id: { dev: string; ino: string }): string {
  return `${id.dev}:${id.ino}`;
}

/** Reads up to FINGERPRINT_BYTES from the start of an open file (a positioned read: no seek). */
export async function readPrefix(handle: FileHandle, scratch: Buffer = Buffer.alloc(FINGERPRINT_BYTES)): Promise<Buffer> {
  let filled = 0;
  while (filled < FINGERPRINT_BYTES) {
    const { bytesRead } = await handle.read(scratch, filled, FINGERPRINT_BYTES - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return scratch.subarray(0, filled);
}

/** A file opened for tailing, with what was learnt about it while opening. */
export interface OpenedFile {
  path: string;
  handle: FileHandle;
  identity: FileIdentity;
  prefix: Buffer;
  size: number;
}

/**
 * Opens a regular file for reading. O_NONBLOCK keeps a FIFO or device named by mistake from blocking
 * a thread-pool thread; anything but a regular file is refused with code ENOTREG.
 */
export async function openRegularFile(path: string): Promise<OpenedFile> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await handle.stat({ bigint: true });
    if (!st.isFile()) {
      throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREG' });
    }
    const prefix = Buffer.from(await readPrefix(handle));
    return {
      path,
      handle,
      identity: { dev: st.dev.toString(), ino: st.ino.toString(), fingerprint: fingerprintOf(prefix) },
      prefix,
      size: Number(st.size),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
