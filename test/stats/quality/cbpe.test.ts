/**
 * CBPE on real data: breast_cancer, logistic regression fitted on a stratified half; the other half
 * is the monitored stream (scores from predict_proba). Calibration uses out-of-fold scores on the
 * reference half. Chunks of 100: the consecutive ones plus 200 seeded bootstrap chunks.
 *
 * Mean absolute error of the estimates against the realized metrics, measured with this fixture
 * and seed (the thresholds below sit just above them):
 *   full model (30 features)  raw: acc 0.028, F1 0.023, AUC 0.007   calibrated: acc 0.023, F1 0.019, AUC 0.005
 *   weak model (2 features)   raw: acc 0.036, F1 0.028, AUC 0.037   calibrated: acc 0.025, F1 0.020, AUC 0.021
 */
import { describe, expect, it } from 'vitest';
import { estimateBinaryPerformance, type CbpeOptions } from '../../../src/stats/quality/cbpe.js';
import { accuracy, precisionRecallF1 } from '../../../src/stats/quality/classification.js';
import { calibrate, fitIsotonic } from '../../../src/stats/quality/isotonic.js';
import { rocAuc } from '../../../src/stats/quality/roc-auc.js';
import { mulberry32 } from '../../../src/stats/random.js';
import { expectAllClose, expectClose, loadFixture } from './fixture.js';

interface BinaryCase {
  labels: number[];
  scores: number[];
  referenceLabels: number[];
  referenceScores: number[];
  sklearn: { accuracy: number; cbpeRocAuc: number; isotonic: number[] };
}
const fixture = loadFixture<{ cases: Record<string, BinaryCase> }>('binary.json');

function chunksOf100(n: number, seed: number): number[][] {
  const chunks: number[][] = [];
  for (let start = 0; start < n; start += 100) {
    chunks.push(Array.from({ length: Math.min(100, n - start) }, (_, k) => start + k));
  }
  const random = mulberry32(seed);
  for (let r = 0; r < 200; r++) chunks.push(Array.from({ length: 100 }, () => Math.floor(random() * n)));
  return chunks;
}

interface Errors {
  accuracy: number;
  f1: number;
  rocAuc: number;
}

/** Mean absolute error of CBPE estimates vs realized metrics over the chunks. */
function meanAbsErrors(c: BinaryCase, options: CbpeOptions): Errors {
  const sums = { accuracy: 0, f1: 0, rocAuc: 0 };
  let aucChunks = 0;
  const chunks = chunksOf100(c.scores.length, 7);
  for (const idx of chunks) {
    const scores = idx.map((i) => c.scores[i]);
    const labels = idx.map((i) => c.labels[i]);
    const predicted = scores.map((s) => (s >= 0.5 ? 1 : 0));
    const estimate = estimateBinaryPerformance(scores, options);
    const realized = precisionRecallF1(labels, predicted, 2);
    if (!estimate || !realized) throw new Error('empty chunk');
    sums.accuracy += Math.abs(estimate.accuracy - (accuracy(labels, predicted) as number));
    sums.f1 += Math.abs(estimate.f1 - realized.f1[1]);
    const realizedAuc = rocAuc(labels, scores);
    if (realizedAuc !== undefined && estimate.rocAuc !== undefined) {
      sums.rocAuc += Math.abs(estimate.rocAuc - realizedAuc);
      aucChunks++;
    }
  }
  return { accuracy: sums.accuracy / chunks.length, f1: sums.f1 / chunks.length, rocAuc: sums.rocAuc / aucChunks };
}

describe('CBPE expected confusion matrix', () => {
  it('sums p and 1 − p on each side of the threshold', () => {
    const e = estimateBinaryPerformance([0.9, 0.2, 0.6, 0.1]);
    expect(e?.expectedTruePositives).toBeCloseTo(1.5, 12);
    expect(e?.expectedFalsePositives).toBeCloseTo(0.5, 12);
    expect(e?.expectedFalseNegatives).toBeCloseTo(0.3, 12);
    expect(e?.expectedTrueNegatives).toBeCloseTo(1.7, 12);
    expect(e?.accuracy).toBeCloseTo(3.2 / 4, 12);
    expect(e?.precision).toBeCloseTo(0.75, 12);
    expect(e?.recall).toBeCloseTo(1.5 / 1.8, 12);
  });

  it('honours the threshold on the raw score', () => {
    const e = estimateBinaryPerformance([0.9, 0.2, 0.6, 0.1], { threshold: 0.7 });
    expect(e?.expectedTruePositives).toBeCloseTo(0.9, 12);
    expect(e?.expectedFalseNegatives).toBeCloseTo(0.9, 12);
  });

  it('empty chunk gives undefined', () => {
    expect(estimateBinaryPerformance([])).toBeUndefined();
  });

  it('estimated ROC AUC matches the numpy reference of the expected curve', () => {
    for (const c of Object.values(fixture.cases)) {
      expectClose(estimateBinaryPerformance(c.scores)?.rocAuc, c.sklearn.cbpeRocAuc, 'cbpe roc auc');
    }
  });
});

describe('isotonic calibration vs sklearn IsotonicRegression(out_of_bounds="clip")', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(name, () => {
      const calibration = fitIsotonic(c.referenceScores, c.referenceLabels);
      expect(calibration).toBeDefined();
      if (!calibration) return;
      expectAllClose(calibrate(calibration, c.scores), c.sklearn.isotonic, 'calibrated');
      for (let k = 1; k < calibration.values.length; k++) {
        expect(calibration.values[k]).toBeGreaterThanOrEqual(calibration.values[k - 1]);
      }
    });
  }
});

describe('CBPE tracks realized metrics on chunks of 100 (breast_cancer)', () => {
  const tolerance = {
    full: { raw: { accuracy: 0.035, f1: 0.03, rocAuc: 0.012 }, calibrated: { accuracy: 0.03, f1: 0.025, rocAuc: 0.01 } },
    weak: { raw: { accuracy: 0.045, f1: 0.035, rocAuc: 0.045 }, calibrated: { accuracy: 0.035, f1: 0.03, rocAuc: 0.03 } },
  } as const;

  for (const name of ['full', 'weak'] as const) {
    const c = fixture.cases[name];
    it(`${name} model, raw scores`, () => {
      const errors = meanAbsErrors(c, {});
      expect(errors.accuracy).toBeLessThanOrEqual(tolerance[name].raw.accuracy);
      expect(errors.f1).toBeLessThanOrEqual(tolerance[name].raw.f1);
      expect(errors.rocAuc).toBeLessThanOrEqual(tolerance[name].raw.rocAuc);
    });
    it(`${name} model, isotonic-calibrated on the reference half`, () => {
      const calibration = fitIsotonic(c.referenceScores, c.referenceLabels);
      const errors = meanAbsErrors(c, { calibration });
      expect(errors.accuracy).toBeLessThanOrEqual(tolerance[name].calibrated.accuracy);
      expect(errors.f1).toBeLessThanOrEqual(tolerance[name].calibrated.f1);
      expect(errors.rocAuc).toBeLessThanOrEqual(tolerance[name].calibrated.rocAuc);
    });
  }

  it('follows a drop in accuracy that a constant reference value would miss', () => {
    // Only the uncertain records (score in [0.2, 0.8]) of the weak model: realized accuracy falls
    // far below the overall one; the estimate must fall with it.
    const c = fixture.cases.weak;
    const idx = c.scores.flatMap((s, i) => (s >= 0.2 && s <= 0.8 ? [i] : []));
    const scores = idx.map((i) => c.scores[i]);
    const labels = idx.map((i) => c.labels[i]);
    const realized = accuracy(labels, scores.map((s) => (s >= 0.5 ? 1 : 0))) as number;
    const estimate = estimateBinaryPerformance(scores, { calibration: fitIsotonic(c.referenceScores, c.referenceLabels) });
    expect(c.sklearn.accuracy - realized).toBeGreaterThan(0.15);
    expect(Math.abs((estimate?.accuracy as number) - realized)).toBeLessThan(0.06);
  });
});
