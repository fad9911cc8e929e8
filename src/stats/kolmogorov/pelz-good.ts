/**
 * Pelz & Good (1976), "Approximating the lower tail-areas of the Kolmogorov-Smirnov one-sample
 * statistic", JRSS B 38(2): the Li-Chien/Korolyuk expansion P(D_n ≤ x) ≈ K0(z) + K1(z)/√n +
 * K2(z)/n + K3(z)/n^{3/2} (z = x√n), each term rewritten with Jacobi theta identities so it converges
 * fast for small z. Used for large n where the matrix method is too costly (port of scipy's
 * _kolmogn_PelzGood).
 */
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const SQRT3 = Math.sqrt(3);
const MIN_LOG = -708;

export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qLog = -PI2 / 8 / z2;
  if (qLog < MIN_LOG) return 0;
  let q = Math.exp(qLog);

  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  // Horner over odd m = 2k − 1 of Σ c(m) q^{m²}, the four terms in locals (an array of
  // coefficients per k was most of a drift tick's KS garbage), the same operations in the same order.
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = q ** (8 * k);
    t0 = t0 * qPower + 1;
    t1 = t1 * qPower + (k1a + k1b * m2);
    t2 = t2 * qPower + (k2a + k2b * m2 + k2c * m4);
    t3 = t3 * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
  }
  const terms = [t0, t1, t2, t3];
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) terms[i] = (terms[i] * q * SQRT_2PI) / divisors[i];

  // The remaining sums over all integers k for K2 and K3.
  q = Math.exp(-PI2 / 2 / z2);
  let k2Extra = 0;
  let k3Extra = 0;
  const sqrt3z = SQRT3 * z;
  for (let k = maxK; k > 0; k--) {
    const k2 = k * k;
    const qPower = q ** k2;
    const kPi = Math.PI * k;
    k2Extra += k2 * qPower;
    k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qPower;
  }
  terms[2] += (k2Extra * PI2 * SQRT_2PI) / (-36 * z3);
  terms[3] += (k3Extra * PI2 * SQRT_2PI) / (216 * z6);

  let sum = 0;
  for (let i = 0; i < 4; i++) sum += terms[i] / n ** (i / 2);
  return sum;
}
