/**
 * Data-reconstruction (PCA) drift against scikit-learn's SimpleImputer/StandardScaler/OneHotEncoder
 * + PCA pipeline (scripts/gen_multivariate_fixtures.py, real data), the symmetric eigen-solver, and
 * the case it exists for: a correlation that flips while every marginal stays the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/stats/linalg/symmetric-eigen.js';
import { fitReconstruction, meanReconstructionError, reconstructionBand } from '../../src/stats/multivariate/pca-reconstruction.js';
import { ReconstructionScorer } from '../../src/stats/multivariate/reconstruction-scorer.js';
import { emptyRows } from '../../src/stats/multivariate/encoded-rows.js';
import { categoryIndex, encodeInto, type EncodedValue } from '../../src/stats/multivariate/record-encoder.js';
import { mulberry32 } from '../../src/stats/random.js';
import { DriftScorer } from '../../src/stats/drift-scorer.js';
import { countNumeric } from '../../src/stats/binning.js';
import { quantileEdges } from '../../src/stats/quantile-edges.js';
import { sortedFloat64 } from '../../src/stats/sort.js';
import { close, FIXTURE_DIR } from './drift-fixtures.js';
import { FALSE, featureColumns, NULL, NUMBER, STRING, TRUE } from '../../src/core/feature-columns.js';

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

describe('symmetric eigen-decomposition (Householder + implicit QL)', () => {
  // A = Σ λₖ vₖᵀvₖ with values descending and vectors orthonormal is the whole definition.
  const check = (a: Float64Array, d: number) => {
    const { values, vectors } = symmetricEigen(a, d);
    const norm = Math.max(1, ...values.map(Math.abs));
    for (let k = 1; k < d; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let sum = 0;
        for (let k = 0; k < d; k++) sum += values[k] * vectors[k][i] * vectors[k][j];
        expect(Math.abs(sum - a[i * d + j]), `A[${i}][${j}]`).toBeLessThan(1e-13 * norm);
        const dot = vectors[i].reduce((s, x, k) => s + x * vectors[j][k], 0);
        expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-13);
      }
    }
    return values;
  };

  it('reconstructs the matrix from its eigenpairs, values descending, vectors orthonormal', () => {
    const d = 5;
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) a[i * d + j] = a[j * d + i] = Math.sin(i * 7 + j * 3) + (i === j ? 3 : 0);
    check(a, d);
  });

  it('handles repeated and zero eigenvalues (one-hot blocks), a diagonal matrix and 1 × 1', () => {
    // The covariance of 40 one-hot columns in 8 blocks of 5: each block sums to 1, so 8 zero eigenvalues.
    const rand = mulberry32(11);
    const d = 40;
    const rows = Array.from({ length: 300 }, () => Array.from({ length: 8 }, (_, b) => b * 5 + Math.floor(rand() * 5)));
    const mean = new Float64Array(d);
    for (const hits of rows) for (const h of hits) mean[h] += 1 / rows.length;
    const a = new Float64Array(d * d);
    for (const hits of rows) {
      const c = Float64Array.from(mean, (m, j) => (hits.includes(j) ? 1 : 0) - m);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j] += (c[i] * c[j]) / (rows.length - 1);
    }
    const values = check(a, d);
    expect(values.slice(-8).every((v) => Math.abs(v) < 1e-14)).toBe(true);
    expect([...check(Float64Array.from([1, 0, 0, 0, 3, 0, 0, 0, 2]), 3)]).toEqual([3, 2, 1]);
    expect([...check(Float64Array.from([2, 0, 0, 2]), 2)]).toEqual([2, 2]);
    expect([...symmetricEigen(Float64Array.from([4]), 1).values]).toEqual([4]);
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

describe('per-record error without dense encoding', () => {
  // The scorer projects a record feature by feature (‖c‖² − ‖cVₖᵀ‖², one-hot blocks as single
  // columns); the dense path encodes the record and forms the residual explicitly.
  const rand = mulberry32(7);
  const colours = ['red', 'green', 'blue', 'grey'];
  const columns = (rows: number) => [
    { name: 'a', type: 'numeric' as const, values: Array.from({ length: rows }, () => rand() * 10) },
    { name: 'b', type: 'numeric' as const, values: Array.from({ length: rows }, (_, i) => (i % 17 === 0 ? null : rand() * 3 - 1)) },
    { name: 'c', type: 'categorical' as const, values: Array.from({ length: rows }, () => colours[Math.floor(rand() * 3)]) },
    { name: 'd', type: 'categorical' as const, values: Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? undefined : rand() < 0.7 ? 'x' : 'y')) },
  ];
  const odd: EncodedValue[][] = [
    [5, 0.5, 'red', 'x'],
    ['7.5', 'NaN', 'purple', null],
    [null, undefined, undefined, 'y'],
    [Infinity, '', 'blue', 'unknown'],
    [true, 2, 3, false],
    [1, 'NA', 'NA', ''],
    [2, 'null', 'null', 'NaN'],
  ];

  it('gives the same error for a record as typed columns (the scanner\'s lent rows) as for its object row', () => {
    const model = fitReconstruction(columns(400))!;
    const scorer = new ReconstructionScorer(model);
    const names = model.encoder.features.map((f) => f.name);
    const current = columns(200).map((c) => c.values as EncodedValue[]);
    const records = [...Array.from({ length: 200 }, (_, r) => current.map((col) => col[r])), ...odd];
    for (const values of records) {
      // Keys in another order than the encoder's, and an undefined value as a key that is absent.
      const keys = names.map((_, i) => i).reverse().filter((i) => values[i] !== undefined);
      const c = featureColumns(names.length);
      c.keys = keys.map((i) => names[i]);
      keys.forEach((i, p) => {
        const v = values[i];
        c.kinds[p] = typeof v === 'number' ? NUMBER : typeof v === 'string' ? STRING : v === true ? TRUE : v === false ? FALSE : NULL;
        if (typeof v === 'number') c.numbers[p] = v;
        if (typeof v === 'string') c.strings[p] = v;
      });
      const row = Object.fromEntries(names.map((name, i) => [name, values[i]]));
      expect(scorer.errorOfColumns(c), JSON.stringify(values)).toBe(scorer.errorOfRow(row));
    }
  });

  for (const share of [0.3, 0.65, 0.95]) {
    it(`equals the dense residual within 1e-9 (explained variance ${share})`, () => {
      const model = fitReconstruction(columns(400), { explainedVariance: share })!;
      const scorer = new ReconstructionScorer(model);
      const dense = new ReconstructionScorer(model);
      const encoded = new Float64Array(model.encoder.width);
      const index = categoryIndex(model.encoder);
      const current = columns(300).map((c) => c.values as EncodedValue[]);
      const records = [...Array.from({ length: 300 }, (_, r) => current.map((col) => col[r])), ...odd];
      for (const values of records) {
        const row = Object.fromEntries(model.encoder.features.map((f, i) => [f.name, values[i]]));
        encodeInto(model.encoder, (i) => values[i], encoded, index);
        const expected = dense.errorOfEncoded(encoded);
        expect(close(scorer.errorOfRow(row), expected), `${JSON.stringify(values)}: ${scorer.errorOfRow(row)} vs ${expected}`).toBe(true);
        expect(close(scorer.error((i) => values[i]), expected)).toBe(true);
      }
    });
  }

  it('encodes a category from typed columns as from its object row past the 8 texts it scans first (same and rebuilt strings, unknown, missing, numbers)', () => {
    // 12 reference categories: the first 8 string values seen are scanned, the rest go to the map.
    const names = Array.from({ length: 12 }, (_, k) => `cat-${String.fromCharCode(97 + k)}`);
    const model = fitReconstruction([
      { name: 'x', type: 'numeric', values: Array.from({ length: 600 }, () => rand()) },
      { name: 'k', type: 'categorical', values: Array.from({ length: 600 }, (_, r) => (r % 50 === 0 ? null : names[Math.floor(rand() * 12)])) },
    ])!;
    const encoding = new ReconstructionScorer(model).encoding;
    // What the scanner lends: the same string object for each repeat, now and then a rebuilt equal one.
    const values: EncodedValue[] = Array.from({ length: 400 }, (_, r) => {
      if (r % 37 === 0) return ['', 'NA', 'purple', 7, null, undefined, true][(r / 37) % 7];
      const k = Math.floor(rand() * 12);
      return r % 5 === 0 ? ['cat-', String.fromCharCode(97 + k)].join('') : names[k];
    });
    const typed = emptyRows(model.encoder, values.length);
    const rows = emptyRows(model.encoder, values.length);
    values.forEach((v, r) => {
      const c = featureColumns(2);
      c.keys = v === undefined ? ['x'] : ['k', 'x'];
      c.kinds[c.keys.length - 1] = NUMBER;
      c.numbers[c.keys.length - 1] = 0.5;
      if (v !== undefined) {
        c.kinds[0] = typeof v === 'number' ? NUMBER : typeof v === 'string' ? STRING : v === true ? TRUE : NULL;
        if (typeof v === 'number') c.numbers[0] = v;
        if (typeof v === 'string') c.strings[0] = v;
      }
      encoding.fromColumns(c, typed, r);
      encoding.fromRow({ x: 0.5, k: v }, rows, r);
    });
    expect([...typed.hits]).toEqual([...rows.hits]);
    expect([...typed.numbers]).toEqual([...rows.numbers]);
    // Every category took part, and so did an unknown one (no column).
    expect(new Set(typed.hits).size).toBe(13);
    expect(typed.hits).toContain(-1);
  });

  it('scores rows in pairs as each alone and as the dense residual, for every number of axes (groups of four, a last group of 1–3)', () => {
    // 7 numeric features (some correlated) and a 4-category one: d = 11, so the shares below give
    // k from 1 to 10, principal axes up to k = 5 and residual axes (d − k of them) above.
    const base = Array.from({ length: 500 }, () => rand());
    const wide = [
      ...Array.from({ length: 7 }, (_, j) => ({ name: `n${j}`, type: 'numeric' as const, values: base.map((x, r) => (j < 3 ? x * (j + 1) + rand() * 0.5 : rand() * (j + 1)) + (r % 29 === j ? NaN : 0)) })),
      { name: 'c', type: 'categorical' as const, values: base.map((x) => colours[Math.min(3, Math.floor(x * 4 + rand()))]) },
    ];
    const records: EncodedValue[][] = Array.from({ length: 61 }, () => [...Array.from({ length: 7 }, () => rand() * 8), colours[Math.floor(rand() * 4)]]);
    records.push([1, 2, 3, null, 'x', 5, 6, 'purple'], [0, 0, 0, 0, 0, 0, 0, undefined]);
    const axesSeen = new Set<string>();
    const kSeen = new Set<number>();
    for (let share = 0.01; share < 1; share += 0.01) {
      const model = fitReconstruction(wide, { explainedVariance: share })!;
      const m = model.residualAxes?.length ?? model.components.length;
      if (kSeen.has(model.components.length)) continue;
      kSeen.add(model.components.length);
      axesSeen.add(`${model.residualAxes ? 'residual' : 'principal'} ${m % 4}`);
      const scorer = new ReconstructionScorer(model);
      const block = emptyRows(model.encoder, records.length);
      records.forEach((values, r) => scorer.encoding.fromValues((i) => values[i], block, r));
      const together = new Float64Array(records.length);
      scorer.errors(block, 0, records.length, together, 0);
      // Paired with other rows (reversed: every row gets another partner, the odd one is alone).
      const reversed = Int32Array.from(records, (_, r) => records.length - 1 - r);
      const paired = new Float64Array(records.length);
      scorer.errorsOfRows(block, reversed, paired);
      const encoded = new Float64Array(model.encoder.width);
      const index = categoryIndex(model.encoder);
      records.forEach((values, r) => {
        const alone = scorer.error((i) => values[i]);
        expect(together[r], `k = ${model.components.length}, row ${r}`).toBe(alone);
        expect(paired[records.length - 1 - r]).toBe(alone);
        encodeInto(model.encoder, (i) => values[i], encoded, index);
        expect(close(alone, scorer.errorOfEncoded(encoded)), `k = ${model.components.length}: ${alone} vs ${scorer.errorOfEncoded(encoded)}`).toBe(true);
      });
    }
    // Every width of the last group, with principal axes and with residual ones.
    for (const kind of ['principal', 'residual']) for (const tail of [0, 1, 2, 3]) expect(axesSeen.has(`${kind} ${tail}`), `${kind} ${tail} in ${[...axesSeen]}`).toBe(true);
  });

  it('forms the residual explicitly for a record on the principal subspace (‖c‖² − ‖cVₖᵀ‖² would be all rounding)', () => {
    const base = Array.from({ length: 400 }, () => rand() * 10);
    const model = fitReconstruction([
      { name: 'a', type: 'numeric', values: base },
      { name: 'b', type: 'numeric', values: base.map((x) => 2 * x + rand()) },
      { name: 'c', type: 'numeric', values: base.map((x) => rand() * 5 - x) },
    ])!;
    expect(model.residualAxes).toBeUndefined();
    const scorer = new ReconstructionScorer(model);
    const axis = model.components[0];
    for (const t of [-30, 0.5, 40]) {
      // x = mean + scale·(μ + t·v₁): standardised and centred, it is t·v₁, so its error is 0.
      const row = Object.fromEntries(model.encoder.features.map((f, j) => [f.name, f.type === 'numeric' ? f.mean + f.scale * (model.centre[j] + t * axis[j]) : 0]));
      expect(scorer.errorOfRow(row)).toBeLessThan(1e-12 * Math.abs(t));
    }
  });
});
