/**
 * Typed arrays in JSON state files: their bytes as base64 (compact, exact for every float), read
 * back into an array of the expected type and length, or refused.
 */
export function encodeTyped(a: Float64Array | Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function decode<T extends Float64Array | Int32Array>(text: string, kind: { new (n: number): T; BYTES_PER_ELEMENT: number; name: string }, length?: number): T {
  const bytes = Buffer.from(text, 'base64');
  const size = kind.BYTES_PER_ELEMENT;
  if (bytes.length % size !== 0 || (length !== undefined && bytes.length !== length * size)) {
    throw new Error(`saved state does not fit: ${kind.name} of ${bytes.length / size} values, expected ${length}`);
  }
  const out = new kind(bytes.length / size);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function decodeFloat64(text: string, length?: number): Float64Array {
  return decode(text, Float64Array, length);
}

export function decodeInt32(text: string, length?: number): Int32Array {
  return decode(text, Int32Array, length);
}
