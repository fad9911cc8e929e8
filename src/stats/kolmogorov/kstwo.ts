/**
 * Survival function of the two-sided one-sample Kolmogorov–Smirnov statistic for finite n,
 * P(D_n ≥ d): what scipy.stats.kstwo.sf(d, n) computes, and what ks_2samp(method='asymp') uses as
 * its p-value with n = round(m·n/(m+n)).
 *
 * The method follows Simard & L'Ecuyer (2011), "Computing the Two-Sided Kolmogorov-Smirnov
 * Distribution", J. Stat. Softw. 39(11), with scipy's cut-offs (scipy/stats/_ksstats.py):
 *   n·d ≤ 1 or n·d ≥ n − 1  Ruben–Gambino closed forms;
 *   d ≥ 0.5                 exactly 2·smirnov (D⁺ and D⁻ cannot both exceed ½);
 *   n ≤ 140                 Durbin matrix (n·d² ≤ 0.754693), Pomeranz (≤ 4), else 2·smirnov;
 *   n > 140                 2·smirnov when n·d² ≥ 2.2 (0 beyond 370), else 1 − CDF with the
 *                           Durbin matrix (n ≤ 1e5 and n·d^1.5 ≤ 1.4) or Pelz–Good.
 * The limiting Kolmogorov distribution (kstwobign) is NOT used: at n ≈ 90 it is off by up to 0.016.
 */
import { durbinCdf } from './durbin-matrix.js';
import { pelzGoodCdf } from './pelz-good.js';
import { pomeranzCdf } from './pomeranz.js';
import { clipProbability } from './scaling.js';
import { smirnovSf } from './smirnov.js';

/** log(n!/n^n) by Stirling's series with n·log n removed up front (no cancellation). */
function logFactorialOverPower(n: number): number {
  // B_{2j} / (2j(2j−1)) for j = 8 … 1 (Bernoulli numbers), highest order first.
  const coefficients = [-3617 / 122400, 1 / 156, -691 / 360360, 1 / 1188, -1 / 1680, 1 / 1260, -1 / 360, 1 / 12];
  const rn = 1 / n;
  const u = rn / n;
  let series = 0;
  for (const c of coefficients) series = series * u + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * series;
}

/** P(D_n ≥ d) for integer n ≥ 1; NaN for a non-integer or non-positive n. */
export function kolmogorovSf(n: number, d: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(d)) return Number.NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clipProbability(1 - cdf);
  }
  if (t >= n - 1) return clipProbability(2 * (1 - d) ** n);
  if (d >= 0.5) return clipProbability(2 * smirnovSf(n, d));

  const nd2 = t * d;
  if (n <= 140) {
    if (nd2 <= 0.754693) return clipProbability(1 - durbinCdf(n, d));
    if (nd2 <= 4) return clipProbability(1 - pomeranzCdf(n, d));
    return clipProbability(2 * smirnovSf(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clipProbability(2 * smirnovSf(n, d));
  const cdf = n <= 100000 && n * d ** 1.5 <= 1.4 ? durbinCdf(n, d) : pelzGoodCdf(n, d);
  return clipProbability(1 - cdf);
}
