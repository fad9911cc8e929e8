/**
 * Multiclass CBPE in the model-quality analyzer, without a reference (raw scores): score vectors with
 * and without a logged prediction, which records count, and the class score windows across a restart.
 */
import { describe, expect, it } from 'vitest';
import { estimateMulticlassPerformance } from '../../src/stats/quality/cbpe-multiclass.js';
import { modelQuality, sample } from './quality-helpers.js';

const M = { model: 'iris', version: '1' };
const W = { window: 'last_1000' };
const CLASSES = ['setosa', 'versicolor', 'virginica'];
const QUALITY = { quality: { classes: CLASSES, min_samples: 3 } };
const SCORES = [
  [0.8, 0.15, 0.05],
  [0.1, 0.6, 0.3],
  [0.2, 0.3, 0.5],
  [0.4, 0.35, 0.25],
  [0.05, 0.45, 0.5],
];

describe('ModelQualityAnalyzer: multiclass CBPE', () => {
  it('estimates from score vectors, taking the argmax where no class was logged', async () => {
    const { registry, analyzer } = modelQuality(QUALITY);
    // The third record logs its class (not the argmax: a decision rule of the server's own).
    SCORES.forEach((scores, i) => analyzer.onRecord({ timestamp: i, ...M, features: {}, scores, ...(i === 2 && { prediction: 'versicolor' }) }));
    // Not one score per configured class: not an input of the estimate.
    analyzer.onRecord({ timestamp: 9, ...M, features: {}, prediction: 'setosa', scores: [0.5, 0.5] });
    analyzer.tick(0);
    const text = await registry.metrics();
    const byClass = CLASSES.map((_, c) => SCORES.map((s) => s[c]));
    const e = estimateMulticlassPerformance(byClass, { predicted: [0, 1, 1, 0, 2] })!;
    const estimated = (metric: string, cls?: string) => sample(text, 'modelwatch_model_quality_estimated', { ...M, metric, ...(cls && { class: cls }), ...W });
    expect(estimated('accuracy')).toBe(e.accuracy);
    expect(estimated('accuracy')).toBeCloseTo((0.8 + 0.6 + 0.3 + 0.4 + 0.5) / 5, 12);
    expect(estimated('f1_macro')).toBe(e.macroF1);
    expect(estimated('roc_auc')).toBe(e.macroRocAuc);
    expect(estimated('recall', 'virginica')).toBe(e.perClass[2].recall);
    // Predicted classes counted by name, the argmax ones included.
    expect(sample(text, 'modelwatch_predictions_total', { ...M, class: 'versicolor' })).toBe(2);
    // No reference: no calibration choice to report.
    expect(text).not.toContain('modelwatch_cbpe_calibrated{');
  });

  it('decides a binary score pair logged without a class by the threshold, not the argmax', async () => {
    const { registry, analyzer } = modelQuality({ quality: { classes: ['no', 'yes'], positive_class: 'yes', threshold: 0.3 } });
    analyzer.onRecord({ timestamp: 1, ...M, features: {}, scores: [0.6, 0.4] });
    analyzer.onRecord({ timestamp: 2, ...M, features: {}, scores: [0.8, 0.2] });
    analyzer.tick(0);
    const text = await registry.metrics();
    expect(sample(text, 'modelwatch_predictions_total', { ...M, class: 'yes' })).toBe(1);
    expect(sample(text, 'modelwatch_predictions_total', { ...M, class: 'no' })).toBe(1);
  });

  it('reports nothing below min_samples, and nothing with cbpe disabled', async () => {
    const few = modelQuality(QUALITY);
    SCORES.slice(0, 2).forEach((scores, i) => few.analyzer.onRecord({ timestamp: i, ...M, features: {}, scores }));
    few.analyzer.tick(0);
    expect(await few.registry.metrics()).not.toContain('modelwatch_model_quality_estimated{');
    const off = modelQuality({ quality: { ...QUALITY.quality, cbpe: { enabled: false } } });
    SCORES.forEach((scores, i) => off.analyzer.onRecord({ timestamp: i, ...M, features: {}, scores }));
    off.analyzer.tick(0);
    expect(await off.registry.metrics()).not.toContain('modelwatch_model_quality_estimated{');
  });

  it('keeps the class score windows across a restart', async () => {
    const before = modelQuality(QUALITY);
    SCORES.forEach((scores, i) => before.analyzer.onRecord({ timestamp: i, ...M, features: {}, scores }));
    before.analyzer.tick(0);
    const after = modelQuality(QUALITY);
    after.analyzer.restore(JSON.parse(JSON.stringify(before.analyzer.snapshot())));
    after.analyzer.tick(0);
    const estimates = (text: string) => text.split('\n').filter((l) => l.startsWith('modelwatch_model_quality_estimated{'));
    expect(estimates(await after.registry.metrics())).toEqual(estimates(await before.registry.metrics()));
    expect(estimates(await after.registry.metrics())).toHaveLength(5 + 4 * 3);
    // A config with other classes cannot read them: they start empty, the rest restores.
    const other = modelQuality({ quality: { classes: ['a', 'b'], min_samples: 3 } });
    other.analyzer.restore(JSON.parse(JSON.stringify(before.analyzer.snapshot())));
    other.analyzer.tick(0);
    expect(estimates(await other.registry.metrics())).toEqual([]);
  });
});
