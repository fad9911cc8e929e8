/** The JavaScript SHA-256 equals node:crypto's on every length across the padding boundaries and on known vectors. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/sha256.js';

const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 test vectors', () => {
    expect(sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it("equals node:crypto's digest for every length from 0 to 300 bytes, and on a subarray", () => {
    let seed = 7;
    const bytes = Uint8Array.from({ length: 320 }, () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff);
    for (let n = 0; n <= 300; n++) expect(sha256Hex(bytes.subarray(0, n)), `length ${n}`).toBe(node(bytes.subarray(0, n)));
    expect(sha256Hex(bytes.subarray(17, 273))).toBe(node(bytes.subarray(17, 273)));
  });
});
