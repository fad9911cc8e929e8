/**
 * P(D_n ≤ d) by Pomeranz's recursion (1974, "Exact cumulative distribution of the Kolmogorov-Smirnov
 * statistic for small samples", CACM 17(12), Algorithm 487). Each of the 2n+1 steps convolves the
 * previous row with truncated Poisson weights; only a short window of each row can be non-zero, so
 * two rows and their start offsets are kept. A port of scipy's _kolmogn_Pomeranz, used for
 * n ≤ 140 and 0.754693 < n·d² ≤ 4 as Simard & L'Ecuyer (2011) recommend.
 */
import { SCALE_DOWN, SCALE_EXPONENT, SCALE_UP, clipProbability, ldexp } from './scaling.js';

function rowBounds(i: number, n: number, ll: number, ceilF: number, roundF: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

export function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  // (g/n)^m/m!, (2g/n)^m/m!, ((1−2g)/n)^m/m!: Poisson weights without their normalising factor.
  const gPower = new Float64Array(size);
  const twoGPower = new Float64Array(size);
  const oneMinusTwoGPower = new Float64Array(size);
  gPower[0] = twoGPower[0] = oneMinusTwoGPower[0] = 1;
  for (let m = 1; m < size; m++) {
    gPower[m] = (gPower[m - 1] * (g / n)) / m;
    twoGPower[m] = (twoGPower[m - 1] * ((2 * g) / n)) / m;
    oneMinusTwoGPower[m] = (oneMinusTwoGPower[m - 1] * ((1 - 2 * g) / n)) / m;
  }

  let v0 = new Float64Array(size);
  let v1 = new Float64Array(size);
  v1[0] = 1;
  let v0Start = 0;
  let v1Start = 0;
  let exponent = 0;
  let [j1, j2] = rowBounds(0, n, ll, ceilF, roundF);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0Start, v1Start] = [v1Start, v0Start];
    v1.fill(0);
    [j1, j2] = rowBounds(i, n, ll, ceilF, roundF);
    const weights = i === 1 || i === 2 * n + 1 ? gPower : i % 2 === 1 ? twoGPower : oneMinusTwoGPower;
    const span = j2 - k1 + 1;
    if (span <= 0) continue;
    // Full convolution of v0[k1 − v0Start …] (numpy slices stop at the array end) with weights[0 … span).
    const aStart = k1 - v0Start;
    const aLength = Math.min(span, size - aStart);
    const bLength = Math.min(span, size);
    const convStart = j1 - k1;
    const convLength = j2 - j1 + 1;
    let largest = 0;
    for (let out = 0; out < convLength; out++) {
      const index = convStart + out;
      let sum = 0;
      const lo = Math.max(0, index - bLength + 1);
      const hi = Math.min(index, aLength - 1);
      for (let a = lo; a <= hi; a++) sum += v0[aStart + a] * weights[index - a];
      v1[out] = sum;
      if (sum > largest) largest = sum;
    }
    if (largest > 0 && largest < SCALE_DOWN) {
      for (let out = 0; out < convLength; out++) v1[out] *= SCALE_UP;
      exponent -= SCALE_EXPONENT;
    }
    v1Start = v0Start + j1 - k1;
  }

  let answer = v1[n - v1Start];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > SCALE_UP) {
      answer *= SCALE_DOWN;
      exponent += SCALE_EXPONENT;
    }
    answer *= m;
  }
  if (exponent !== 0) answer = ldexp(answer, exponent);
  return clipProbability(answer);
}
