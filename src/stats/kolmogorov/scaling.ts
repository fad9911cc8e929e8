/**
 * Shared constants for the exact Kolmogorov algorithms: products of many small (or large) factors
 * are rescaled by 2^±128 and the exponent is tracked separately, as scipy's _ksstats.py does.
 */
export const SCALE_EXPONENT = 128;
export const SCALE_UP = 2 ** 128;
export const SCALE_DOWN = 2 ** -128;

/** x · 2^exponent without overflowing on the way (exponent may be well beyond ±1023). */
export function ldexp(x: number, exponent: number): number {
  let result = x;
  let e = exponent;
  while (e > 1000) {
    result *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    result *= 2 ** -1000;
    e += 1000;
  }
  return result * 2 ** e;
}

export const clipProbability = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);
