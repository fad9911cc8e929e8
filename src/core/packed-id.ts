/**
 * How IdTable packs a request id into 16 bytes (four 32-bit words), and the id back as text: as a
 * string, or straight into a JSON byte buffer (what a checkpoint writes for 100,000 waiting ids,
 * without a string per id).
 */

export const FREE = 0;
export const UUID_LOWER = 1;
export const UUID_UPPER = 2;
export const SHORT = 3;
export const LONG = 4;

/** The longest JSON text of a packed id written as bytes: a UUID and its two quotes. */
export const MAX_PACKED_JSON = 38;

/** The id of a packed row (kind SHORT or UUID_*), as the string it was given as. */
export function packedText(kind: number, length: number, words: Uint32Array, w: number): string {
  if (kind === SHORT) {
    let s = '';
    for (let k = 0; k < length; k++) s += String.fromCharCode((words[w + (k >> 2)] >>> ((k & 3) * 8)) & 0xff);
    return s;
  }
  let hex = '';
  for (let k = 0; k < 4; k++) hex += words[w + k].toString(16).padStart(8, '0');
  if (kind === UUID_UPPER) hex = hex.toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const QUOTE = 0x22;
const DASH = 0x2d;

/**
 * Writes JSON.stringify(packedText(…)) into `out` at `at` as UTF-8 (room for MAX_PACKED_JSON bytes);
 * returns the bytes written, or −1 for a short id that JSON escapes or encodes on two bytes (a
 * quote, a backslash, a control character, a byte ≥ 0x80: the caller stringifies those).
 */
export function writePackedJson(kind: number, length: number, words: Uint32Array, w: number, out: Uint8Array, at: number): number {
  let p = at;
  out[p++] = QUOTE;
  if (kind === SHORT) {
    for (let k = 0; k < length; k++) {
      const c = (words[w + (k >> 2)] >>> ((k & 3) * 8)) & 0xff;
      if (c < 0x20 || c === QUOTE || c === 0x5c || c >= 0x80) return -1;
      out[p++] = c;
    }
  } else {
    // Letters a–f or A–F after the ten digits.
    const letters = kind === UUID_UPPER ? 0x41 - 10 : 0x61 - 10;
    for (let k = 0; k < 32; k++) {
      if (k === 8 || k === 12 || k === 16 || k === 20) out[p++] = DASH;
      const v = (words[w + (k >> 3)] >>> ((7 - (k & 7)) * 4)) & 0xf;
      out[p++] = v < 10 ? 0x30 + v : letters + v;
    }
  }
  out[p++] = QUOTE;
  return p - at;
}
