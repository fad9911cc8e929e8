import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizeValues } from '../../src/stats/value-summary.js';
import { mulberry32 } from '../../src/stats/random.js';

/** The summary as it was computed before the radix sort: the built-in typed-array sort. */
function builtInSummary(values: Float64Array): Float64Array | undefined {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return undefined;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i];
  mean /= n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (sorted[i] - mean) ** 2;
  const q = (p: number) => {
    const position = p * (n - 1);
    const lo = Math.floor(position);
    const hi = Math.min(lo + 1, n - 1);
    const fraction = position - lo;
    return fraction === 0 ? sorted[lo] : sorted[lo] + fraction * (sorted[hi] - sorted[lo]);
  };
  return Float64Array.of(mean, Math.sqrt(squares / n), sorted[0], sorted[n - 1], q(0.5), q(0.95));
}

/**
 * Bit-for-bit equality, −0 and +0 told apart; every NaN counts as one. Why: a NaN's sign bit is what
 * the processor's operation left (∞ − ∞ gives the negative default NaN on x86), which V8 passes on or
 * not by version (Node 26 keeps it where Node 20 did not); nothing reads it (JSON, the exposition).
 */
function expectSameBits(a: Float64Array | undefined, b: Float64Array | undefined): void {
  expect(a === undefined).toBe(b === undefined);
  if (!a || !b) return;
  expect(bitsOf(a)).toEqual(bitsOf(b));
}

/** The bytes of `a` with each NaN stored as the literal NaN (the canonical quiet NaN). */
function bitsOf(a: Float64Array): number[] {
  return [...new Uint8Array(Float64Array.from(a, (x) => (Number.isNaN(x) ? NaN : x)).buffer)];
}

describe('summarizeValues', () => {
  it('equals the summary over the built-in sort bit for bit, radix-sized windows included (order-dependent mean)', () => {
    const values = fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(-0, 0, 1e-300, -1e300, Infinity, -Infinity), fc.integer({ min: -5, max: 5 }));
    fc.assert(
      fc.property(fc.array(values, { maxLength: 300 }), fc.integer({ min: 0, max: 3 }), (small, repeat) => {
        // Repeated up to ~5,000 values so that both the built-in (< 2,048) and the radix paths run.
        const all: number[] = [];
        for (let r = 0; r <= repeat * 6; r++) all.push(...small);
        const input = Float64Array.from(all);
        expectSameBits(summarizeValues(Float64Array.from(input)), builtInSummary(input));
      }),
      { numRuns: 150 },
    );
  });

  it('summarises a window of +Infinity alone as the built-in sort does: mean +Infinity, std NaN', () => {
    const summary = summarizeValues(Float64Array.of(Infinity));
    expectSameBits(summary, builtInSummary(Float64Array.of(Infinity)));
    expect(summary?.[0]).toBe(Infinity);
    expect(summary?.[1]).toBeNaN();
  });

  it('sorts a 10,000-value window of mixed signs and zeros as the built-in sort does, and summarises it the same', () => {
    const rand = mulberry32(7);
    const input = new Float64Array(10_000);
    for (let i = 0; i < input.length; i++) input[i] = i % 97 === 0 ? (i % 2 ? -0 : 0) : (rand() - 0.4) * 10 ** Math.floor(rand() * 8 - 4);
    const sorted = Float64Array.from(input);
    expectSameBits(summarizeValues(sorted), builtInSummary(input));
    expectSameBits(sorted, Float64Array.from(input).sort());
  });
});
