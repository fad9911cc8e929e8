import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Length, encodeBase64Into } from '../../src/core/base64-into.js';

describe('encodeBase64Into', () => {
  it("writes Buffer#toString('base64') of any bytes at any offset, padding included", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(20), (bytes, at) => {
        const out = Buffer.alloc(at + base64Length(bytes.length) + 3, 0xff);
        const n = encodeBase64Into(bytes, 0, bytes.length, out, at);
        expect(n).toBe(base64Length(bytes.length));
        expect(out.toString('latin1', at, at + n)).toBe(Buffer.from(bytes).toString('base64'));
        // Nothing outside [at, at + n) touched.
        expect([...out.subarray(0, at), ...out.subarray(at + n)].every((b) => b === 0xff)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('joins slices cut at multiples of 3 into the base64 of the whole', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(40), { maxLength: 8 }), (bytes, steps) => {
        const out = Buffer.alloc(base64Length(bytes.length));
        let at = 0;
        let from = 0;
        for (const step of steps) {
          const to = Math.min(bytes.length, from + 3 * step);
          at += encodeBase64Into(bytes, from, to, out, at);
          from = to;
        }
        at += encodeBase64Into(bytes, from, bytes.length, out, at);
        expect(out.toString('latin1', 0, at)).toBe(Buffer.from(bytes).toString('base64'));
      }),
      { numRuns: 300 },
    );
  });

  it('encodes the RFC 4648 test vectors', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
    for (const [plain, encoded] of vectors) {
      const bytes = Buffer.from(plain, 'latin1');
      const out = Buffer.alloc(base64Length(bytes.length));
      expect(out.toString('latin1', 0, encodeBase64Into(bytes, 0, bytes.length, out, 0))).toBe(encoded);
    }
  });
});
