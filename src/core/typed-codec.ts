/**
 * Typed arrays in JSON state files: their bytes as base64 (compact, exact for every float), or, in
 * the checkpoint, raw in its binary file and referenced from the JSON (core/binary-refs.ts,
 * sources/checkpoint-binary.ts); read back into an array of the expected type and length, or refused.
 *
 * A snapshot holds a *copy of the bytes* (TypedCopy), not the base64 text: a copy's bytes sit outside
 * the V8 heap and are a memcpy. Built up front, the base64 of a state (~6 MB at 1,000 records/s)
 * lived in the large-object space until a full collection, every 5 s. The checkpoint writes the
 * copies raw (toJSON gives a reference inside stringifyWithBinary); the journals still stream them
 * as base64 a slice at a time (JsonChunkWriter calls writeJson), and toJSON gives the same base64
 * to a plain JSON.stringify (tests, the state files of batch runs).
 */
import { binaryRef, type BinaryRef } from './binary-refs.js';
import { captureCopy } from './capture-arena.js';
import type { JsonChunkWriter, JsonStreamable } from './json-chunk-writer.js';

/** Bytes per base64 slice: a multiple of 3, so the slices' texts joined equal the whole's. */
const SLICE_BYTES = 3 * 16_384;

export class TypedCopy implements JsonStreamable {
  /** `bytes`: a copy the snapshot owns (encodeTyped makes one). */
  constructor(readonly bytes: Uint8Array) {}

  /** Base64, or a reference to the bytes while the checkpoint gathers them (stringifyWithBinary). */
  toJSON(): string | BinaryRef {
    return binaryRef(this.bytes) ?? this.base64();
  }

  base64(): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('base64');
  }

  async writeJson(out: JsonChunkWriter): Promise<void> {
    await out.raw('"');
    const b = this.bytes;
    for (let at = 0; at < b.length; at += SLICE_BYTES) {
      await out.raw(Buffer.from(b.buffer, b.byteOffset + at, Math.min(SLICE_BYTES, b.length - at)).toString('base64'), true);
    }
    await out.raw('"');
  }
}

/**
 * A typed array as saved: base64 text (read from a file), or a copy (a snapshot not yet written, or
 * the bytes a checkpoint's reference named in its binary file).
 */
export type EncodedTyped = string | TypedCopy;

/** A copy of `a`'s bytes as they are now (the array may change after the capture). */
export function encodeTyped(a: Float64Array | Int32Array): TypedCopy {
  // Zeroed memory + set: a memcpy; %TypedArray%.prototype.slice took 7× as long here (80 KB copies).
  // In the capture arena during a checkpoint's capture (core/capture-arena.ts).
  return new TypedCopy(captureCopy(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
}

/** `a` itself, for an array built for the snapshot that nothing changes afterwards (no copy). */
export function encodeOwned(a: Float64Array | Int32Array): TypedCopy {
  return new TypedCopy(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

function decode<T extends Float64Array | Int32Array>(saved: EncodedTyped, kind: { new (n: number): T; BYTES_PER_ELEMENT: number; name: string }, length?: number): T {
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
