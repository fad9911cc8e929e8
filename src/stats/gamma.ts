/**
 * log Γ and the regularized upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a), for chi-squared p-values
 * (chi2.sf(x, k) = Q(k/2, x/2)). Q is evaluated from the power series of P(a, x) when x < a + 1 and
 * from the Lentz continued fraction for Q otherwise (Press et al., Numerical Recipes 3rd ed. §6.2;
 * the same split as Cephes igam/igamc), so neither side suffers from cancellation.
 */

// Lanczos approximation, g = 7, n = 9 (Godfrey's coefficients): ~15 significant digits.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-16;
const TINY = 1e-300;

/** exp(−x + a·ln x − ln Γ(a)): the common prefactor of both expansions. */
function prefactor(a: number, x: number): number {
  return Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** P(a, x) by its power series; converges quickly for x < a + 1. */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  const maxIterations = 10000 + Math.ceil(10 * Math.sqrt(a));
  for (let n = 1; n < maxIterations; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * prefactor(a, x);
}

/** Q(a, x) by the modified Lentz continued fraction; converges quickly for x ≥ a + 1. */
function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  const maxIterations = 10000 + Math.ceil(10 * Math.sqrt(a));
  for (let i = 1; i < maxIterations; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h * prefactor(a, x);
}

/** Q(a, x) for a > 0, x ≥ 0. */
export function regularizedUpperGamma(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || a <= 0 || x < 0) return Number.NaN;
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (x < a + 1) return Math.min(1, Math.max(0, 1 - lowerSeries(a, x)));
  return Math.min(1, Math.max(0, upperContinuedFraction(a, x)));
}

/** Chi-squared survival function P(X ≥ x) with k degrees of freedom (k > 0). */
export function chiSquaredSf(x: number, k: number): number {
  if (x <= 0) return 1;
  return regularizedUpperGamma(k / 2, x / 2);
}

/**
 * The x with chiSquaredSf(x, k) = p (the inverse survival function, scipy chi2.isf), for 0 < p < 1:
 * bisection on a bracket, 200 halvings at most, to a relative width of 1e-12 (sf is monotone).
 */
export function chiSquaredIsf(p: number, k: number): number {
  if (!(p > 0)) return Number.POSITIVE_INFINITY;
  if (p >= 1) return 0;
  let lo = 0;
  let hi = Math.max(1, k);
  while (chiSquaredSf(hi, k) > p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (chiSquaredSf(mid, k) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
