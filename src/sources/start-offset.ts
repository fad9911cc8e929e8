/**
 * Where `start_at: end` begins: after the last complete line, not at the raw end of the file. A line
 * being written at startup is then read whole once finished, instead of its tail showing up as a
 * broken line. Only the last 64 KiB are searched; a longer unfinished line is skipped to its end.
 */
import type { FileHandle } from 'node:fs/promises';

const SEARCH_BYTES = 64 * 1024;
const LF = 0x0a;

export interface StartOffset {
  offset: number;
  /** The offset is inside a line: skip to its end before emitting lines. */
  midLine: boolean;
}

export async function endStartOffset(handle: FileHandle, size: number): Promise<StartOffset> {
  if (size === 0) return { offset: 0, midLine: false };
  const from = Math.max(0, size - SEARCH_BYTES);
  const tail = Buffer.alloc(size - from);
  let filled = 0;
  while (filled < tail.length) {
    const { bytesRead } = await handle.read(tail, filled, tail.length - filled, from + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  const lf = tail.subarray(0, filled).lastIndexOf(LF);
  if (lf >= 0) return { offset: from + lf + 1, midLine: false };
  // No line end at all: the file so far is one unfinished line, which will be new when finished.
  if (from === 0) return { offset: 0, midLine: false };
  return { offset: size, midLine: true };
}
