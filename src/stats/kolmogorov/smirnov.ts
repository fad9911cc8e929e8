/**
 * One-sided Smirnov survival function P(D_n⁺ ≥ d), as scipy.special.smirnov(n, d), by the
 * Birnbaum–Tingey (1951) sum
 *   P = d · Σ_{v=0}^{⌊n(1−d)⌋} C(n, v) (d + v/n)^{v−1} (1 − d − v/n)^{n−v}.
 * All terms are positive, so the sum is stable; each term is formed in logs (log C(n, v) updated
 * incrementally) so large n neither overflows nor underflows. O(n) per call.
 */
export function smirnovSf(n: number, d: number): number {
  if (!(d >= 0 && d <= 1) || n < 1) return Number.NaN;
  if (d === 0) return 1;
  if (d === 1) return 0;
  const last = Math.floor(n * (1 - d));
  let logBinomial = 0;
  let sum = 0;
  for (let v = 0; v <= last; v++) {
    const evn = d + v / n;
    const omevn = 1 - evn;
    if (omevn > 0 || n - v === 0) {
      const logTerm =
        logBinomial + (v - 1) * Math.log(evn) + (n - v === 0 ? 0 : (n - v) * Math.log(omevn));
      if (logTerm > -745) sum += Math.exp(logTerm);
    }
    logBinomial += Math.log((n - v) / (v + 1));
  }
  const p = d * sum;
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
