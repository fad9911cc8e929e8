/**
 * Data-reconstruction (PCA) drift against scikit-learn's SimpleImputer/StandardScaler/OneHotEncoder
 * + PCA pipeline (scripts/gen_multivariate_fixtures.py, real data), the Jacobi eigen-solver, and
 * the case it exists for: a correlation that flips while every marginal stays the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/stats/linalg/symmetric-eigen.js';
import { fitReconstruction, meanReconstructionError, reconstructionBand } from '../../src/stats/multivariate/pca-reconstruction.js';
import type { EncodedValue } from '../../src/stats/multivariate/record-encoder.js';
import { DriftScorer } from '../../src/stats/drift-scorer.js';
import { countNumeric } from '../../src/stats/binning.js';
import { quantileEdges } from '../../src/stats/quantile-edges.js';
import { sortedFloat64 } from '../../src/stats/sort.js';
import { close, FIXTURE_DIR } from './drift-fixtures.js';

interface Case {
  name: string;
  columns: { name: string; type: 'numeric' | 'categorical' }[];
  explained_variance_share: number;
  reference: Record<string, EncodedValue[]>;
  current: Record<string, EncodedValue[]>;
  expected: { width: number; components: number; explained_variance: number; reference_mean: number; reference_std: number; current_errors: number[]; current_mean: number; reference_errors: number[] };
}

const { cases } = JSON.parse(readFileSync(join(FIXTURE_DIR, 'multivariate.json'), 'utf8')) as { cases: Case[] };

const fit = (c: Case, side: 'reference' | 'current' = 'reference') =>
  fitReconstruction(c.columns.map((col) => ({ ...col, values: c[side][col.name] })), { explainedVariance: c.explained_variance_share })!;

describe('pca_reconstruction equals scikit-learn on real data', () => {
  it('covers cars, penguins and seattle-weather, with missing values and categories', () => {
    expect(cases.map((c) => c.name.split(':')[0].split(' ')[0])).toEqual(expect.arrayContaining(['cars', 'penguins', 'seattle-weather']));
  });

  for (const c of cases) {
    it(c.name, () => {
      const model = fit(c);
      expect(model.encoder.width).toBe(c.expected.width);
      expect(model.components).toHaveLength(c.expected.components);
      expect(close(model.explainedVariance, c.expected.explained_variance)).toBe(true);
      expect(close(model.referenceMean, c.expected.reference_mean), `reference mean ${model.referenceMean} vs ${c.expected.reference_mean}`).toBe(true);
      expect(close(model.referenceStd, c.expected.reference_std)).toBe(true);
      const { mean, errors } = meanReconstructionError(model, c.columns.map((col) => c.current[col.name]));
      expect(close(mean, c.expected.current_mean), `current mean ${mean} vs ${c.expected.current_mean}`).toBe(true);
      c.expected.current_errors.forEach((e, i) => expect(close(errors[i], e), `record ${i}: ${errors[i]} vs ${e}`).toBe(true));
    });
  }
});

describe('symmetric eigen-decomposition (Jacobi)', () => {
  it('reconstructs the matrix from its eigenpairs, values descending, vectors orthonormal', () => {
    const d = 5;
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) a[i * d + j] = a[j * d + i] = Math.sin(i * 7 + j * 3) + (i === j ? 3 : 0);
    const { values, vectors } = symmetricEigen(a, d);
    for (let k = 1; k < d; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let sum = 0;
        for (let k = 0; k < d; k++) sum += values[k] * vectors[k][i] * vectors[k][j];
        expect(Math.abs(sum - a[i * d + j])).toBeLessThan(1e-12);
        const dot = vectors[i].reduce((s, x, k) => s + x * vectors[j][k], 0);
        expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
  });
});

describe('a correlation flip with unchanged marginals', () => {
  // Auto MPG: weight and displacement go together (r ≈ 0.93). The current window holds exactly the
  // same values of each, re-paired so that the heaviest car gets the smallest engine.
  const cars = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'node_modules', 'vega-datasets', 'data', 'cars.json'), 'utf8')) as Record<string, number>[];
  const weight = cars.map((r) => r.Weight_in_lbs);
  const displacement = cars.map((r) => r.Displacement);
  const byWeight = [...weight.keys()].sort((a, b) => weight[a] - weight[b]);
  const flipped = new Array<number>(cars.length);
  const descending = [...displacement].sort((a, b) => b - a);
  byWeight.forEach((row, rank) => (flipped[row] = descending[rank]));

  it('leaves every univariate method quiet', () => {
    for (const [ref, cur] of [[weight, weight], [displacement, flipped]]) {
      const refSorted = sortedFloat64(ref);
      const edges = quantileEdges(refSorted, 10);
      const score = new DriftScorer('numeric', { primary: 'psi' }).score({ refCounts: countNumeric(edges, refSorted), curCounts: countNumeric(edges, cur), refTotal: ref.length, curTotal: cur.length, refSorted, curSorted: () => sortedFloat64(cur) });
      for (const m of score.methods) expect(m.drifted, m.method.name).toBe(false);
    }
  });

  it('fires the multivariate score', () => {
    const model = fitReconstruction([
      { name: 'weight', type: 'numeric', values: weight },
      { name: 'displacement', type: 'numeric', values: displacement },
    ])!;
    const same = meanReconstructionError(model, [weight, displacement]).mean;
    const changed = meanReconstructionError(model, [weight, flipped]).mean;
    const band = reconstructionBand(model, cars.length);
    expect(same).toBeLessThanOrEqual(band.upper);
    expect(changed).toBeGreaterThan(band.upper);
    expect(changed / same).toBeGreaterThan(3);
  });
});
