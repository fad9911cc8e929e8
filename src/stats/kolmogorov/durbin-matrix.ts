/**
 * P(D_n ≤ d) by Durbin's matrix algorithm as organised by Marsaglia, Tsang & Wang (2003),
 * "Evaluating Kolmogorov's Distribution", J. Stat. Softw. 8(18). Write n·d = k − h (k integer,
 * 0 ≤ h < 1); the answer is (n!/n^n) · (H^n)[k−1][k−1] for an m×m matrix H, m = 2k − 1. H^n is
 * taken by repeated squaring with 2^128 rescaling so intermediate powers neither overflow nor
 * underflow. O(m³ log n): used for small n·d only (a port of scipy's _kolmogn_DMTW).
 */
import { SCALE_DOWN, SCALE_EXPONENT, SCALE_UP, clipProbability, ldexp } from './scaling.js';

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l];
      if (ail === 0) continue;
      const rowB = l * m;
      const rowOut = i * m;
      for (let j = 0; j < m; j++) out[rowOut + j] += ail * b[rowB + j];
    }
  }
  return out;
}

export function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  // v: first column (and reversed last row) of H; w[j] = 1/j!.
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - h ** j) * factorial;
  }
  const tail = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tail) * factorial;

  let matrix = new Float64Array(m * m);
  for (let i = 1; i < m; i++) {
    for (let row = i - 1; row < m; row++) matrix[row * m + i] = w[row - (i - 1)];
  }
  for (let row = 0; row < m; row++) matrix[row * m] = v[row];
  for (let col = 0; col < m; col++) matrix[(m - 1) * m + col] = v[m - 1 - col];

  let power = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let remaining = n;
  let exponent = 0;
  let matrixExponent = 0;
  while (remaining > 0) {
    if (remaining % 2 === 1) {
      power = multiply(power, matrix, m);
      exponent += matrixExponent;
    }
    matrix = multiply(matrix, matrix, m);
    matrixExponent *= 2;
    if (Math.abs(matrix[(k - 1) * m + (k - 1)]) > SCALE_UP) {
      for (let i = 0; i < matrix.length; i++) matrix[i] *= SCALE_DOWN;
      matrixExponent += SCALE_EXPONENT;
    }
    remaining = Math.floor(remaining / 2);
  }

  let p = power[(k - 1) * m + (k - 1)];
  // Multiply by n!/n^n one factor at a time, rescaling to stay in range.
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      exponent -= SCALE_EXPONENT;
    }
  }
  if (exponent !== 0) p = ldexp(p, exponent);
  return clipProbability(p);
}
