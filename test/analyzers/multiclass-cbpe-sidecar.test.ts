/**
 * Multiclass CBPE end to end: the sklearn wine data scored by a committed model
 * (scripts/gen_wine_multiclass_fixture.py) and logged as a model server logs it — the predicted class
 * and the probabilities as an object keyed by class name — runs through the real sidecar with a
 * reference CSV holding one out-of-fold score column per class. The estimates on /metrics equal
 * estimateMulticlassPerformance on the same records with the calibrations chooseCalibration picks
 * per class on the reference; once the labels join, the realized metrics equal scikit-learn's.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chooseCalibration } from '../../src/stats/quality/calibration-choice.js';
import { estimateMulticlassPerformance } from '../../src/stats/quality/cbpe-multiclass.js';
import { promtoolCheckMetrics } from '../helpers/prometheus.js';
import { startSidecar } from '../helpers/sidecar.js';
import { closeTo, sample } from './quality-helpers.js';

const DIR = new URL('../fixtures/quality/wine-multiclass/', import.meta.url);
const path = (name: string) => fileURLToPath(new URL(name, DIR));
const expected = JSON.parse(readFileSync(path('expected.json'), 'utf8')) as { classes: string[]; records: number; realized: Record<string, number> };
const CLASSES = expected.classes;
const M = { model: 'wine', version: '3' };
const W = { window: 'last_1000' };

/** What the stats functions give on the fixture: per-class calibration choice on the reference, then the estimate on every logged record. */
function statsEstimate() {
  const [header, ...rows] = readFileSync(path('reference.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const col = (name: string) => rows.map((r) => r[header.indexOf(name)]);
  const labels = col('label');
  const predictions = col('prediction');
  const choices = CLASSES.map((c) =>
    chooseCalibration(
      Float64Array.from(col(`p_${c}`), Number),
      Float64Array.from(labels, (l) => (l === c ? 1 : 0)),
      { decisions: Float64Array.from(predictions, (p) => (p === c ? 1 : 0)) },
    )!,
  );
  const records = readFileSync(path('requests.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { prediction: string; probabilities: Record<string, number> });
  const scores = CLASSES.map((c) => Float64Array.from(records, (r) => r.probabilities[c]));
  const predicted = Float64Array.from(records, (r) => CLASSES.indexOf(r.prediction));
  const estimate = estimateMulticlassPerformance(scores, { predicted, calibrations: choices.map((ch) => ch.calibration) })!;
  return { choices, estimate };
}

describe('multiclass CBPE through the sidecar', () => {
  it('exposes the one-vs-rest estimates, the per-class calibration choice and the realized metrics', async () => {
    const mw = await startSidecar(
      {
        sources: [
          { type: 'file', name: 'requests', paths: [path('requests.jsonl')], start_at: 'beginning', format: { fields: { scores: 'probabilities' } } },
          { type: 'file', name: 'labels', role: 'labels', paths: [path('labels.jsonl')], start_at: 'beginning' },
        ],
        reference: { path: path('reference.csv'), label_column: 'label', prediction_column: 'prediction' },
        drift: { windows: [{ count: 1000 }] },
        quality: { classes: CLASSES, score_columns: CLASSES.map((c) => `p_${c}`) },
      },
      { oneShot: true },
    );
    try {
      await mw.drain();
      const text = await mw.metrics();
      const { choices, estimate } = statsEstimate();
      const estimated = (metric: string, cls?: string) => sample(text, 'modelwatch_model_quality_estimated', { ...M, metric, ...(cls && { class: cls }), ...W });
      expect(estimated('accuracy')).toBe(estimate.accuracy);
      expect(estimated('precision_macro')).toBe(estimate.macroPrecision);
      expect(estimated('recall_macro')).toBe(estimate.macroRecall);
      expect(estimated('f1_macro')).toBe(estimate.macroF1);
      expect(estimated('roc_auc')).toBe(estimate.macroRocAuc);
      CLASSES.forEach((c, i) => {
        expect(estimated('precision', c)).toBe(estimate.perClass[i].precision);
        expect(estimated('recall', c)).toBe(estimate.perClass[i].recall);
        expect(estimated('f1', c)).toBe(estimate.perClass[i].f1);
        expect(estimated('roc_auc', c)).toBe(estimate.perClass[i].rocAuc);
        expect(sample(text, 'modelwatch_cbpe_calibrated', { ...M, class: c })).toBe(choices[i].calibrated ? 1 : 0);
      });
      // The weak model's choice is mixed, so both branches of the per-class choice are exercised.
      expect(new Set(choices.map((c) => c.calibrated)).size).toBe(2);
      // No unlabelled binary-style series for a multiclass model.
      expect(sample(text, 'modelwatch_model_quality_estimated', { ...M, metric: 'precision', ...W })).toBeUndefined();
      expect(sample(text, 'modelwatch_cbpe_calibrated', M)).toBeUndefined();
      // The estimate is a useful one: within 0.05 of the realized accuracy (0.742) on these 89 records.
      expect(Math.abs(estimate.accuracy - expected.realized.accuracy)).toBeLessThan(0.05);
      // Realized, once the labels joined: scikit-learn's values.
      expect(sample(text, 'modelwatch_labels_total', { ...M, outcome: 'joined' })).toBe(expected.records);
      for (const [metric, value] of Object.entries(expected.realized)) {
        const actual = sample(text, 'modelwatch_model_quality', { ...M, metric, ...W });
        expect(closeTo(actual, value), `${metric}: ${actual} vs sklearn ${value}`).toBe(true);
      }
      const check = promtoolCheckMetrics(text);
      expect(check.output, 'promtool check metrics').toBe('');
    } finally {
      await mw.stop();
    }
  });
});
