/**
 * Typed arrays in JSON state files: their bytes as base64 (compact, exact for every float), read
 * back into an array of the expected type and length, or refused.
 *
 * A snapshot holds a *copy of the bytes* (TypedCopy), not the base64 text: the checkpoint writer
 * encodes it into its buffer while it streams the file (JsonChunkWriter calls writeJson), so no
 * string of it is built. Built up front, the base64 of a state (~6 MB at 1,000 records/s) lived in
 * the large-object space until a full collection, every 5 s; a copy's bytes sit outside the V8 heap
 * and are a memcpy. The file holds the same base64 strings as before (toJSON gives them to
 * JSON.stringify and to tests), so a checkpoint of either version restores in the other.
 */
import { captureCopy } from './capture-arena.js';
import type { JsonChunkWriter, JsonStreamable, Pending } from './json-chunk-writer.js';

export class TypedCopy implements JsonStreamable {
  /** `bytes`: a copy the snapshot owns (encodeTyped makes one). */
  constructor(readonly bytes: Uint8Array) {}

  toJSON(): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('base64');
  }

  writeJson(out: JsonChunkWriter): Pending {
    return out.base64(this.bytes);
  }
}

/** A typed array as saved: base64 text (read from a file) or a copy (a snapshot not yet written). */
export type EncodedTyped = string | TypedCopy;

/** A copy of `a`'s bytes as they are now (the array may change after the capture). */
export function encodeTyped(a: Float64Array | Int32Array | Uint8Array): TypedCopy {
  // Zeroed memory + set: a memcpy; %TypedArray%.prototype.slice took 7× as long here (80 KB copies).
  // In the capture arena during a checkpoint's capture (core/capture-arena.ts).
  return new TypedCopy(captureCopy(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
}

/** `a` itself, for an array built for the snapshot that nothing changes afterwards (no copy). */
export function encodeOwned(a: Float64Array | Int32Array): TypedCopy {
  return new TypedCopy(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

function decode<T extends Float64Array | Int32Array | Uint8Array>(saved: EncodedTyped, kind: { new (n: number): T; BYTES_PER_ELEMENT: number; name: string }, length?: number): T {
  const bytes = saved instanceof TypedCopy ? saved.bytes : typeof saved === 'string' ? Buffer.from(saved, 'base64') : undefined;
  if (bytes === undefined) throw new Error(`saved state does not fit: ${kind.name} expected, got ${typeof saved}`);
  const size = kind.BYTES_PER_ELEMENT;
  if (bytes.length % size !== 0 || (length !== undefined && bytes.length !== length * size)) {
    throw new Error(`saved state does not fit: ${kind.name} of ${bytes.length / size} values, expected ${length}`);
  }
  const out = new kind(bytes.length / size);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function decodeFloat64(saved: EncodedTyped, length?: number): Float64Array {
  return decode(saved, Float64Array, length);
}

export function decodeInt32(saved: EncodedTyped, length?: number): Int32Array {
  return decode(saved, Int32Array, length);
}

export function decodeUint8(saved: EncodedTyped, length?: number): Uint8Array {
  return decode(saved, Uint8Array, length);
}
