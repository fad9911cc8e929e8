import { describe, expect, it } from 'vitest';
import { accuracy, precisionRecallF1 } from '../../../src/stats/quality/classification.js';
import { logLoss, logLossBinary } from '../../../src/stats/quality/log-loss.js';
import { rocAuc } from '../../../src/stats/quality/roc-auc.js';
import { expectAllClose, expectClose, loadFixture } from './fixture.js';

interface SklearnClassification {
  accuracy: number;
  precision: number[];
  recall: number[];
  f1: number[];
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  logLoss?: number;
}
interface BinaryCase {
  labels: number[];
  scores: number[];
  sklearn: SklearnClassification & { rocAuc: number; logLossBinary: number };
}
interface BinaryFixture {
  cases: Record<string, BinaryCase>;
  ties: { labels: number[]; scores: number[]; sklearn: { rocAuc: number; logLossBinary: number } };
}
interface MulticlassCase {
  nClasses: number;
  yTrue: number[];
  yPred: number[];
  proba?: number[];
  sklearn: SklearnClassification;
}

const binary = loadFixture<BinaryFixture>('binary.json');
const multiclass = loadFixture<{ cases: Record<string, MulticlassCase> }>('multiclass.json');

function checkLabelMetrics(yTrue: number[], yPred: number[], nClasses: number, sk: SklearnClassification): void {
  expectClose(accuracy(Int32Array.from(yTrue), Int32Array.from(yPred)), sk.accuracy, 'accuracy');
  const prf = precisionRecallF1(Int32Array.from(yTrue), Int32Array.from(yPred), nClasses);
  expect(prf).toBeDefined();
  if (!prf) return;
  expectAllClose(prf.precision, sk.precision, 'precision');
  expectAllClose(prf.recall, sk.recall, 'recall');
  expectAllClose(prf.f1, sk.f1, 'f1');
  expectClose(prf.macroPrecision, sk.macroPrecision, 'macro precision');
  expectClose(prf.macroRecall, sk.macroRecall, 'macro recall');
  expectClose(prf.macroF1, sk.macroF1, 'macro F1');
}

describe('binary classification vs sklearn (breast_cancer, logistic regression)', () => {
  for (const [name, c] of Object.entries(binary.cases)) {
    it(`${name}: accuracy, precision/recall/F1, ROC AUC, log loss`, () => {
      const yPred = c.scores.map((s) => (s >= 0.5 ? 1 : 0));
      checkLabelMetrics(c.labels, yPred, 2, c.sklearn);
      expectClose(rocAuc(c.labels, Float64Array.from(c.scores)), c.sklearn.rocAuc, 'roc auc');
      expectClose(logLossBinary(c.labels, Float64Array.from(c.scores)), c.sklearn.logLossBinary, 'log loss');
      // The two-column form gives the same loss as the one-score form.
      const twoColumns = c.scores.flatMap((s) => [1 - s, s]);
      expectClose(logLoss(c.labels, twoColumns, 2), c.sklearn.logLoss as number, 'log loss 2 columns');
    });
  }

  it('ROC AUC averages tied scores (scores rounded to 0.1)', () => {
    const { labels, scores, sklearn } = binary.ties;
    expectClose(rocAuc(labels, scores), sklearn.rocAuc, 'roc auc with ties');
    expectClose(logLossBinary(labels, scores), sklearn.logLossBinary, 'log loss with exact 0 and 1');
  });

  it('ROC AUC equals Mann–Whitney with average ranks on a hand case', () => {
    // Pairs (pos, neg): (0.8 vs 0.3) 1, (0.8 vs 0.8) ½, (0.4 vs 0.3) 1, (0.4 vs 0.8) 0 → 2.5 / 4.
    expect(rocAuc([1, 0, 1, 0], [0.8, 0.3, 0.4, 0.8])).toBeCloseTo(0.625, 15);
  });

  it('log loss clips with float64 eps: a confidently wrong 0 costs −log(2⁻⁵²)', () => {
    expectClose(logLossBinary([1], [0]), 52 * Math.LN2, 'clipped loss');
  });
});

describe('multiclass vs sklearn', () => {
  for (const [name, c] of Object.entries(multiclass.cases)) {
    it(`${name}: per-class and macro (union of present classes)`, () => {
      checkLabelMetrics(c.yTrue, c.yPred, c.nClasses, c.sklearn);
      if (c.proba) expectClose(logLoss(c.yTrue, Float64Array.from(c.proba), c.nClasses), c.sklearn.logLoss as number, 'log loss');
    });
  }
});

describe('edge cases', () => {
  it('empty input gives undefined, never NaN', () => {
    expect(accuracy([], [])).toBeUndefined();
    expect(precisionRecallF1([], [], 3)).toBeUndefined();
    expect(rocAuc([], [])).toBeUndefined();
    expect(logLossBinary([], [])).toBeUndefined();
    expect(logLoss([], [], 3)).toBeUndefined();
  });

  it('ROC AUC is undefined with a single class', () => {
    expect(rocAuc([1, 1, 1], [0.2, 0.5, 0.9])).toBeUndefined();
  });

  it('rejects mismatched lengths and out-of-table classes', () => {
    expect(() => accuracy([1, 0], [1])).toThrow(RangeError);
    expect(() => precisionRecallF1([0, 3], [0, 1], 3)).toThrow(RangeError);
  });
});
