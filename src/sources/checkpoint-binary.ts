/**
 * The checkpoint's binary file: the raw bytes of the typed arrays its state holds, which the JSON
 * references as `{"$bin":[offset,length]}` (core/binary-refs.ts). The checkpoint names the file
 * beside its state, with its length and CRC-32:
 *   "binary": {"file": ".checkpoint.json.journal-bin-…", "bytes": 3630000, "crc32": 123456789}
 *
 * A new file each write, of the journals' set (checkpoint-journal.ts addFile): written in one
 * writev and fsynced, its name made durable, before the checkpoint naming it is renamed into place;
 * deleted once a durable checkpoint names another. A restore that finds it missing, shorter than
 * named or with another CRC sets the state aside (the offsets kept, the pipeline starts fresh).
 *
 * Why: as base64 in the JSON (4.8 of a 5.0 MB checkpoint at 1,000 records/s), the typed arrays'
 * text was ~143 of the 213 MB allocated a live minute (docs/performance.md, "The checkpoint's typed
 * arrays written raw").
 */
import { open, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { isBinaryRef } from '../core/binary-refs.js';
import { TypedCopy } from '../core/typed-codec.js';
import { journalPrefix } from './checkpoint-journal.js';

/** How a checkpoint names its binary file. */
export interface BinaryName {
  file: string;
  bytes: number;
  crc32: number;
}

/** The key of the binary file in the journals' set: its files are named `<journal prefix>bin-…`. */
export const BINARY_KEY = 'bin';

export function binaryPrefix(checkpointPath: string): string {
  return `${journalPrefix(checkpointPath)}${BINARY_KEY}-`;
}

/** CRC-32 (zlib's) of the parts as one run of bytes. */
export function crc32Of(parts: readonly Uint8Array[]): number {
  let crc = 0;
  // An empty part is skipped: over an empty ArrayBuffer (no memory behind it) zlib's crc32 gets a
  // null pointer and returns 0, not the CRC so far.
  for (const p of parts) if (p.length > 0) crc = crc32(p, crc);
  return crc;
}

/** Writes `parts` as a new file at `path` (writev: no copy of them), fsyncs; returns the bytes written. */
export async function writeBinaryFile(path: string, parts: readonly Uint8Array[], bytes: number): Promise<number> {
  const fh = await open(path, 'wx', 0o644);
  try {
    // libuv writes every buffer, IOV_MAX at a time, retrying short writes.
    const { bytesWritten } = await fh.writev(parts as Uint8Array[]);
    if (bytesWritten !== bytes) throw new Error(`binary checkpoint file ${basename(path)}: wrote ${bytesWritten} of ${bytes} bytes`);
    await fh.sync();
    return bytesWritten;
  } finally {
    await fh.close();
  }
}

/**
 * Replaces each reference in a checkpoint's parsed state by a TypedCopy of the bytes it names in
 * the binary file `named` (read and checked whole). Throws when the file is not the checkpoint's
 * own, is missing, shorter than named or fails its CRC, or a reference lies outside it.
 */
export async function readBinary(checkpointPath: string, named: unknown, state: unknown): Promise<unknown> {
  if (named === undefined) return resolve(state, undefined);
  const n = named as Partial<BinaryName>;
  if (typeof n.file !== 'string' || basename(n.file) !== n.file || !n.file.startsWith(binaryPrefix(checkpointPath))) throw new Error(`checkpoint names a binary file that is not its own: ${String(n.file)}`);
  if (!Number.isSafeInteger(n.bytes) || n.bytes! < 0 || !Number.isInteger(n.crc32)) throw new Error(`checkpoint names binary file ${n.file} without a length and CRC-32`);
  const data = await readFile(join(dirname(checkpointPath), n.file));
  if (data.length < n.bytes!) throw new Error(`binary file ${n.file} holds ${data.length} bytes, the checkpoint names ${n.bytes}`);
  const bytes = data.subarray(0, n.bytes);
  if (crc32(bytes) !== n.crc32) throw new Error(`binary file ${n.file} fails its CRC-32`);
  return resolve(state, bytes);
}

function resolve(value: unknown, data: Buffer | undefined): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (isBinaryRef(value)) {
    const [at, length] = value.$bin;
    if (data === undefined) throw new Error('checkpoint state references a binary file it does not name');
    if (at < 0 || length < 0 || at + length > data.length) throw new Error(`checkpoint state references bytes ${at}…${at + length} of a ${data.length}-byte binary file`);
    return new TypedCopy(data.subarray(at, at + length));
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = resolve(value[i], data);
    return value;
  }
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) o[k] = resolve(o[k], data);
  return o;
}
