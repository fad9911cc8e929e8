/**
 * Typed arrays in JSON state files: their bytes as base64 (compact, exact for every float), read
 * back into an array of the expected type and length, or refused.
 */
export function encodeTyped(a: Float64Array | Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function decodeFloat64(text: string, length?: number): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 8 !== 0 || (length !== undefined && bytes.length !== length * 8)) throw new Error('saved state does not fit: Float64Array length differs');
  const out = new Float64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function decodeInt32(text: string, length?: number): Int32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 4 !== 0 || (length !== undefined && bytes.length !== length * 4)) throw new Error('saved state does not fit: Int32Array length differs');
  const out = new Int32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
