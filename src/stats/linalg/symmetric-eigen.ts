/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method (Jacobi 1846; Golub &
 * Van Loan, "Matrix Computations", 4th ed., §8.5; the rotation as in Numerical Recipes 3rd ed.
 * §11.1). Each sweep zeroes every off-diagonal element once with a plane rotation chosen so that
 * tan θ is the smaller root (|θ| ≤ π/4, no cancellation); sweeps repeat until the off-diagonal
 * mass is below 1e-30 of the diagonal's or 100 sweeps. Jacobi is slower than QR (O(d³) per sweep,
 * ~6–10 sweeps) but simple, and accurate to a few ulps in eigenvalues of any size, which is what
 * matters for PCA on a few hundred encoded columns: no dependency, and testable against numpy.
 */

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Eigenvectors as rows, vectors[i] for values[i], unit length. */
  vectors: Float64Array[];
}

/** `a` is d×d, row-major, symmetric (only its upper triangle is read); it is not modified. */
export function symmetricEigen(a: Float64Array, d: number): SymmetricEigen {
  const m = Float64Array.from(a);
  // v holds the accumulated rotations; its columns become the eigenvectors.
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) m[i * d + j] = m[j * d + i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < d; i++) {
      diag += m[i * d + i] * m[i * d + i];
      for (let j = i + 1; j < d; j++) off += m[i * d + j] * m[i * d + j];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q];
        if (apq === 0) continue;
        const theta = (m[q * d + q] - m[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A ← Jᵀ A J on rows and columns p, q.
        for (let k = 0; k < d; k++) {
          const akp = m[k * d + p];
          const akq = m[k * d + q];
          m[k * d + p] = c * akp - s * akq;
          m[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = m[p * d + k];
          const aqk = m[q * d + k];
          m[p * d + k] = c * apk - s * aqk;
          m[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => m[j * d + j] - m[i * d + i] || i - j);
  return {
    values: Float64Array.from(order, (i) => m[i * d + i]),
    vectors: order.map((i) => Float64Array.from({ length: d }, (_, k) => v[k * d + i])),
  };
}
