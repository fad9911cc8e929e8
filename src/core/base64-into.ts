/**
 * Standard base64 (RFC 4648 §4, with `=` padding: what Buffer#toString('base64') gives) written
 * straight into a byte buffer, so a checkpoint's typed arrays become text without a string.
 *
 * Why: the checkpoint writes ~1.5 MB of window bytes as base64 every interval. Through
 * toString('base64') each 48 KB slice was a 64 KB heap string, copied again into the write buffer
 * and left to the collector (30 ms of the main thread a minute at 1,000 records/s, plus the scavenges).
 */

const ALPHABET = Uint8Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', (c) => c.charCodeAt(0));
const PAD = 0x3d;

/** Characters of the base64 text of `n` bytes. */
export function base64Length(n: number): number {
  return 4 * Math.ceil(n / 3);
}

/**
 * Writes the base64 of src[from, to) into out from `at`; returns the bytes written
 * (base64Length(to − from)). Slices that start at multiples of 3 from one origin, the last one
 * excepted, join into the base64 of the whole.
 */
export function encodeBase64Into(src: Uint8Array, from: number, to: number, out: Uint8Array, at: number): number {
  const start = at;
  const whole = to - ((to - from) % 3);
  let i = from;
  for (; i < whole; i += 3) {
    const v = (src[i] << 16) | (src[i + 1] << 8) | src[i + 2];
    out[at] = ALPHABET[v >>> 18];
    out[at + 1] = ALPHABET[(v >>> 12) & 63];
    out[at + 2] = ALPHABET[(v >>> 6) & 63];
    out[at + 3] = ALPHABET[v & 63];
    at += 4;
  }
  const left = to - i;
  if (left > 0) {
    const v = (src[i] << 16) | (left === 2 ? src[i + 1] << 8 : 0);
    out[at] = ALPHABET[v >>> 18];
    out[at + 1] = ALPHABET[(v >>> 12) & 63];
    out[at + 2] = left === 2 ? ALPHABET[(v >>> 6) & 63] : PAD;
    out[at + 3] = PAD;
    at += 4;
  }
  return at - start;
}
