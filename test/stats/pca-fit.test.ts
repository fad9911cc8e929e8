/**
 * The PCA fit's shortcuts against its definition computed the long way. The fit reads the encoded
 * reference compactly, gets both folds' moments in one pass and the whole reference's by combining
 * them, and scores rows by projection; here the reference is a dense matrix, each of the three sets
 * of rows (all, fold 0, fold 1) gets its own covariance and eigen-decomposition, and every error is
 * an explicit residual. The held-out errors (the `auto` threshold) are the point: no fixture from
 * scikit-learn covers them, as they depend on the seeded split.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/stats/linalg/symmetric-eigen.js';
import { fitReconstruction } from '../../src/stats/multivariate/pca-reconstruction.js';
import type { ReconstructionModel } from '../../src/stats/multivariate/reconstruction-model.js';
import { categoryIndex, encodeInto, type EncodedValue } from '../../src/stats/multivariate/record-encoder.js';
import { mulberry32 } from '../../src/stats/random.js';
import { close, FIXTURE_DIR } from './drift-fixtures.js';

type Columns = { name: string; type: 'numeric' | 'categorical'; values: EncodedValue[] }[];

function denseAxes(x: Float64Array[], rows: number[], share: number) {
  const d = x[0].length;
  const centre = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) centre[j] += x[r][j] / rows.length;
  const covariance = new Float64Array(d * d);
  for (const r of rows) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) covariance[i * d + j] += ((x[r][i] - centre[i]) * (x[r][j] - centre[j])) / (rows.length - 1);
  const { values, vectors } = symmetricEigen(covariance, d);
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  // scikit-learn: the fewest components whose cumulative ratio exceeds the share.
  let k = 0;
  for (let cumulative = 0; k < d && cumulative + Math.max(0, values[k]) / total <= share; k++) cumulative += Math.max(0, values[k]) / total;
  return { centre, axes: vectors.slice(0, Math.min(d, k + 1)) };
}

function residual(x: Float64Array, { centre, axes }: ReturnType<typeof denseAxes>): number {
  const r = x.map((v, j) => v - centre[j]);
  const c = Float64Array.from(r);
  for (const axis of axes) {
    const dot = axis.reduce((s, a, j) => s + a * c[j], 0);
    axis.forEach((a, j) => (r[j] -= dot * a));
  }
  return Math.sqrt(r.reduce((s, v) => s + v * v, 0));
}

function meanAndStd(values: number[]): [number, number] {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return [mean, Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length)];
}

/** The model's numbers by definition, with its encoder (which the shortcuts do not touch). */
function byDefinition(model: ReconstructionModel, columns: Columns, share: number) {
  const n = columns[0].values.length;
  const index = categoryIndex(model.encoder);
  const x = Array.from({ length: n }, (_, r) => {
    const out = new Float64Array(model.encoder.width);
    encodeInto(model.encoder, (f) => columns[f].values[r], out, index);
    return out;
  });
  const all = [...x.keys()];
  const full = denseAxes(x, all, share);
  // The split: every other row of a shuffle seeded by the row count.
  const order = [...all];
  const rand = mulberry32(n);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const a = order.filter((_, i) => i % 2 === 0).sort((p, q) => p - q);
  const b = order.filter((_, i) => i % 2 === 1).sort((p, q) => p - q);
  const heldOut = [
    ...(a.length >= 2 ? b.map((r) => residual(x[r], denseAxes(x, a, share))) : []),
    ...(b.length >= 2 ? a.map((r) => residual(x[r], denseAxes(x, b, share))) : []),
  ];
  return { full, reference: meanAndStd(all.map((r) => residual(x[r], full))), heldOut: heldOut.length > 0 ? meanAndStd(heldOut) : undefined };
}

function expectDefinition(columns: Columns, share = 0.65, maxCategories?: number) {
  const model = fitReconstruction(columns, { explainedVariance: share, maxCategories })!;
  const want = byDefinition(model, columns, share);
  const near = (got: number, expected: number, what: string) => expect(close(got, expected, 1e-10, 1e-13), `${what}: ${got} vs ${expected}`).toBe(true);
  expect(model.components).toHaveLength(want.full.axes.length);
  model.centre.forEach((c, j) => near(c, want.full.centre[j], `centre[${j}]`));
  near(model.referenceMean, want.reference[0], 'reference mean');
  near(model.referenceStd, want.reference[1], 'reference sd');
  near(model.heldOutMean, want.heldOut?.[0] ?? want.reference[0], 'held-out mean');
  near(model.heldOutStd, want.heldOut?.[1] ?? want.reference[1], 'held-out sd');
  return model;
}

describe('the PCA fit equals its definition computed densely, held-out errors included', () => {
  const { cases } = JSON.parse(readFileSync(join(FIXTURE_DIR, 'multivariate.json'), 'utf8')) as {
    cases: { name: string; columns: { name: string; type: 'numeric' | 'categorical' }[]; explained_variance_share: number; reference: Record<string, EncodedValue[]> }[];
  };
  for (const c of cases) {
    it(c.name, () => {
      expectDefinition(c.columns.map((col) => ({ ...col, values: c.reference[col.name] })), c.explained_variance_share);
    });
  }

  const rand = mulberry32(5);
  const mixed = (rows: number): Columns => [
    // Categorical first, numeric between: the one-hot and numeric columns interleave.
    { name: 'colour', type: 'categorical', values: Array.from({ length: rows }, (_, i) => (i % 13 === 0 ? null : ['red', 'green', 'blue', 'grey'][Math.floor(rand() * 4)])) },
    { name: 'x', type: 'numeric', values: Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? 'NaN' : rand() * 10)) },
    { name: 'size', type: 'categorical', values: Array.from({ length: rows }, () => (rand() < 0.8 ? 's' : 'm')) },
    { name: 'y', type: 'numeric', values: Array.from({ length: rows }, () => rand() * 3) },
    { name: 'constant', type: 'numeric', values: Array.from({ length: rows }, () => 4) },
  ];

  for (const share of [0.3, 0.65, 0.95]) {
    it(`mixed numeric and categorical, missing values, a constant column (explained variance ${share})`, () => {
      expectDefinition(mixed(500), share);
    });
  }

  it('categories past max_categories (rows with no one-hot column set)', () => {
    const model = expectDefinition(mixed(300), 0.65, 2);
    expect(model.encoder.width).toBe(2 + 1 + 2 + 1 + 1);
  });

  it('three rows: one fold of two refitted, the other of one left out', () => {
    expectDefinition(mixed(3), 0.65);
  });
});
