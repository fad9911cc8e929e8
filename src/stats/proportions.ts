/**
 * Bin counts → proportions, and the ε floor that keeps log-ratio methods (PSI, KL) finite when a bin
 * is empty on one side. ε replaces zero proportions only; the vector is not renormalised, matching
 * the common PSI convention (and the fixtures).
 */

/** Proportion floor for empty bins in log-ratio methods. */
export const EPSILON = 1e-4;

/** counts[i] / total; all zeros when total is 0 (the caller decides that an empty window has no verdict). */
export function toProportions(counts: ArrayLike<number>, total?: number): Float64Array {
  const n = counts.length;
  let sum = total ?? 0;
  if (total === undefined) for (let i = 0; i < n; i++) sum += counts[i];
  const out = new Float64Array(n);
  if (sum <= 0) return out;
  for (let i = 0; i < n; i++) out[i] = counts[i] / sum;
  return out;
}

/** Zero proportions replaced by ε (a copy; the input is left as it is). */
export function withEpsilon(p: Float64Array, epsilon = EPSILON): Float64Array {
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i] === 0 ? epsilon : p[i];
  return out;
}

/** Sum of a vector; used to tell an empty side (sum 0) from a real distribution. */
export function total(p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i];
  return s;
}

/** True when both sides are usable distributions of the same length. */
export function comparable(r: Float64Array, c: Float64Array): boolean {
  return r.length === c.length && r.length > 0 && total(r) > 0 && total(c) > 0;
}
