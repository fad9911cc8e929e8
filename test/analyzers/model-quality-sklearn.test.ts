/**
 * The streamed quality metrics equal scikit-learn's on committed fixtures from real data
 * (test/fixtures/quality, scripts/gen_quality_fixtures.py): predictions and labels go through the
 * analyzer's label join and windows, and the values are read back from /metrics text.
 */
import { describe, expect, it } from 'vitest';
import { closeTo, modelQuality, qualityFixture, sample, writeTemp } from './quality-helpers.js';

interface BinaryCase {
  labels: number[];
  scores: number[];
  referenceLabels: number[];
  referenceScores: number[];
  sklearn: { accuracy: number; precision: number[]; recall: number[]; f1: number[]; macroPrecision: number; macroRecall: number; macroF1: number; rocAuc: number; logLossBinary: number; cbpeRocAuc: number; isotonic: number[] };
}
interface MulticlassCase {
  nClasses: number;
  yTrue: number[];
  yPred: number[];
  proba?: number[];
  sklearn: { accuracy: number; precision: number[]; recall: number[]; f1: number[]; macroPrecision: number; macroRecall: number; macroF1: number; logLoss?: number };
}
interface RegressionCase {
  yTrue: number[];
  yPred: number[];
  sklearn: { mae: number; rmse: number; mape: number; r2: number };
}

const M = { model: 'm', version: 'v1' };

function expectMetric(text: string, labels: Record<string, string>, expected: number, name = 'modelwatch_model_quality'): void {
  const actual = sample(text, name, { ...M, ...labels });
  expect(closeTo(actual, expected), `${JSON.stringify(labels)}: ${actual} vs sklearn ${expected}`).toBe(true);
}

/** CBPE's estimates computed straight from their definition on the fixture's probabilities. */
function expectedCbpe(scores: number[], p: number[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  scores.forEach((s, i) => {
    if (s >= 0.5) {
      tp += p[i];
      fp += 1 - p[i];
    } else {
      fn += p[i];
      tn += 1 - p[i];
    }
  });
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return { accuracy: (tp + tn) / scores.length, precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}

describe('model quality equals scikit-learn', () => {
  const binary = qualityFixture<{ cases: Record<string, BinaryCase> }>('binary.json').cases;

  it.each(['full', 'weak'])('binary breast_cancer (%s): accuracy, per-class and macro P/R/F1, ROC AUC, log loss, CBPE', async (name) => {
    const c = binary[name];
    const { registry, analyzer } = modelQuality({ quality: { min_samples: 1, windows: [{ count: 1000 }] } });
    c.scores.forEach((s, i) => analyzer.onRecord({ timestamp: 10, requestId: `r${i}`, ...M, features: {}, prediction: s >= 0.5 ? 1 : 0, scores: [s] }));
    c.labels.forEach((y, i) => analyzer.onLabel({ timestamp: 20, requestId: `r${i}`, label: y }));
    analyzer.tick(0);
    const text = await registry.metrics();
    const w = { window: 'last_1000' };
    expectMetric(text, { metric: 'accuracy', ...w }, c.sklearn.accuracy);
    expectMetric(text, { metric: 'precision_macro', ...w }, c.sklearn.macroPrecision);
    expectMetric(text, { metric: 'recall_macro', ...w }, c.sklearn.macroRecall);
    expectMetric(text, { metric: 'f1_macro', ...w }, c.sklearn.macroF1);
    for (const cls of [0, 1]) {
      expectMetric(text, { metric: 'precision', class: String(cls), ...w }, c.sklearn.precision[cls]);
      expectMetric(text, { metric: 'recall', class: String(cls), ...w }, c.sklearn.recall[cls]);
      expectMetric(text, { metric: 'f1', class: String(cls), ...w }, c.sklearn.f1[cls]);
    }
    expectMetric(text, { metric: 'roc_auc', ...w }, c.sklearn.rocAuc);
    expectMetric(text, { metric: 'log_loss', ...w }, c.sklearn.logLossBinary);
    expect(sample(text, 'modelwatch_model_quality_samples', { ...M, ...w })).toBe(c.labels.length);
    // CBPE on raw scores (no reference): the estimated ROC AUC as the fixture computed it with numpy.
    expectMetric(text, { metric: 'roc_auc', ...w }, c.sklearn.cbpeRocAuc, 'modelwatch_model_quality_estimated');
    const e = expectedCbpe(c.scores, c.scores);
    for (const metric of ['accuracy', 'precision', 'recall', 'f1'] as const) expectMetric(text, { metric, ...w }, e[metric], 'modelwatch_model_quality_estimated');
  });

  it('calibrates CBPE on the reference scores and labels (sklearn IsotonicRegression), and reports reference quality', async () => {
    const c = binary.weak;
    const rows = c.referenceScores.map((s, i) => `${c.referenceLabels[i]},${s >= 0.5 ? 1 : 0},${s}`);
    const path = writeTemp('reference.csv', ['label,prediction,score', ...rows].join('\n') + '\n');
    const { registry, analyzer } = modelQuality({
      reference: { path, label_column: 'label', prediction_column: 'prediction' },
      quality: { min_samples: 1, score_column: 'score', windows: [{ count: 1000 }] },
    });
    c.scores.forEach((s, i) => analyzer.onRecord({ timestamp: 10, requestId: `r${i}`, ...M, features: {}, prediction: s >= 0.5 ? 1 : 0, scores: [s] }));
    analyzer.tick(0);
    const text = await registry.metrics();
    const e = expectedCbpe(c.scores, c.sklearn.isotonic);
    for (const metric of ['accuracy', 'precision', 'recall', 'f1'] as const) {
      const actual = sample(text, 'modelwatch_model_quality_estimated', { ...M, metric, window: 'last_1000' });
      // Isotonic interpolation matches sklearn to 1e-9, not to the last ulp.
      expect(Math.abs((actual ?? NaN) - e[metric]), metric).toBeLessThan(1e-8);
    }
    // The reference's own accuracy, computed independently here.
    const correct = c.referenceScores.filter((s, i) => (s >= 0.5 ? 1 : 0) === c.referenceLabels[i]).length;
    expectMetric(text, { metric: 'accuracy' }, correct / c.referenceScores.length, 'modelwatch_model_quality_reference');
    expect(sample(text, 'modelwatch_model_quality_reference', { ...M, metric: 'roc_auc' })).toBeGreaterThan(0.8);
    // No labels joined yet: no realized metrics.
    expect(sample(text, 'modelwatch_model_quality', { ...M, metric: 'accuracy', window: 'last_1000' })).toBeUndefined();
    // quality.cbpe.calibrate auto: the cross-validated check chose calibration for this model.
    expect(sample(text, 'modelwatch_cbpe_calibrated', M)).toBe(1);
  });

  it('reference quality equals sklearn on the same pairs', async () => {
    const c = binary.full;
    const rows = c.scores.map((s, i) => `${c.labels[i]},${s >= 0.5 ? 1 : 0},${s}`);
    const path = writeTemp('reference.csv', ['label,prediction,score', ...rows].join('\n') + '\n');
    const { registry, analyzer } = modelQuality({
      reference: { path, label_column: 'label', prediction_column: 'prediction' },
      quality: { score_column: 'score' },
    });
    analyzer.onRecord({ timestamp: 10, ...M, features: {}, prediction: 1, scores: [0.9] });
    const text = await registry.metrics();
    expectMetric(text, { metric: 'accuracy' }, c.sklearn.accuracy, 'modelwatch_model_quality_reference');
    expectMetric(text, { metric: 'f1_macro' }, c.sklearn.macroF1, 'modelwatch_model_quality_reference');
    expectMetric(text, { metric: 'roc_auc' }, c.sklearn.rocAuc, 'modelwatch_model_quality_reference');
    expectMetric(text, { metric: 'log_loss' }, c.sklearn.logLossBinary, 'modelwatch_model_quality_reference');
  });

  it('multiclass wine: class names from config, probabilities for log loss', async () => {
    const c = qualityFixture<{ cases: Record<string, MulticlassCase> }>('multiclass.json').cases.wine;
    const classes = ['class_0', 'class_1', 'class_2'];
    const { registry, analyzer } = modelQuality({ quality: { min_samples: 1, classes, positive_class: 'class_1' } });
    c.yPred.forEach((p, i) => {
      const scores = c.proba!.slice(i * 3, i * 3 + 3);
      analyzer.onRecord({ timestamp: 10, requestId: `r${i}`, ...M, features: {}, prediction: classes[p], scores });
    });
    c.yTrue.forEach((y, i) => analyzer.onLabel({ timestamp: 20, requestId: `r${i}`, label: classes[y] }));
    analyzer.tick(0);
    const text = await registry.metrics();
    const w = { window: 'last_1000' };
    expectMetric(text, { metric: 'accuracy', ...w }, c.sklearn.accuracy);
    expectMetric(text, { metric: 'f1_macro', ...w }, c.sklearn.macroF1);
    classes.forEach((cls, k) => expectMetric(text, { metric: 'recall', class: cls, ...w }, c.sklearn.recall[k]));
    expectMetric(text, { metric: 'log_loss', ...w }, c.sklearn.logLoss!);
    expect(sample(text, 'modelwatch_model_quality', { ...M, metric: 'roc_auc', ...w })).toBeUndefined();
    const predicted = c.yPred.filter((p) => p === 2).length;
    expect(sample(text, 'modelwatch_predictions_total', { ...M, class: 'class_2' })).toBe(predicted);
  });

  it.each(['diabetes', 'cars_1975_1982'])('regression %s: MAE, RMSE, MAPE, R²', async (name) => {
    const c = qualityFixture<{ cases: Record<string, RegressionCase> }>('regression.json').cases[name];
    const { registry, analyzer } = modelQuality({ quality: { min_samples: 1 } });
    c.yPred.forEach((p, i) => analyzer.onRecord({ timestamp: 10, requestId: `r${i}`, ...M, features: {}, prediction: p }));
    c.yTrue.forEach((y, i) => analyzer.onLabel({ timestamp: 20, requestId: `r${i}`, label: y }));
    analyzer.tick(0);
    const text = await registry.metrics();
    for (const metric of ['mae', 'rmse', 'mape', 'r2'] as const) expectMetric(text, { metric, window: 'last_1000' }, c.sklearn[metric]);
    expect(text).not.toContain('modelwatch_predictions_total{');
  });
});
