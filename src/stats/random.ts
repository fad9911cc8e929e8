/**
 * A small seeded PRNG so that tests, benches and synthetic streams are reproducible.
 *
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state advanced by a Weyl sequence and
 * mixed with two multiply-xorshift rounds. Period 2^32, passes gjrand/PractRand up to a few GB,
 * which is ample for test streams; not for cryptography.
 */

/** Returns a function yielding uniform floats in [0, 1), deterministic for a given seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * mulberry32 as an object, for hot loops: the same sequence as mulberry32(seed), but a method call
 * V8 can inline, so no float is boxed per draw (a closure stored per instance is not inlined, and
 * every draw it returned was a 16-byte heap number: ~35 a record in the time windows).
 */
export class Mulberry32 {
  /** Kept as an int32 (the same 32 bits as mulberry32's uint32 state), so the field stays a small integer. */
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.bits() / 4294967296;
  }

  /**
   * Math.floor(next() · n): a uniform integer in [0, n) for n ≥ 1. Computed here, not by calling
   * next() or bits(): when the caller has used up V8's inlining budget, an integer comes back unboxed.
   */
  below(n: number): number {
    // bits() written out: a uint32 returned from a call that was not inlined is a heap number
    // (above the small-integer range), 150 bytes a record in the time windows' reservoirs.
    const state = (this.state + 0x6d2b79f5) | 0;
    this.state = state;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  }

  /** The next 32 random bits, as a uint32. */
  private bits(): number {
    const state = (this.state + 0x6d2b79f5) | 0;
    this.state = state;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}
