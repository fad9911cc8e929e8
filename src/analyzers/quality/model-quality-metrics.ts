/**
 * Exposition of the model-quality analyzer. Scrapes read only what the tick stored, the live
 * counters and the label joiner's outcome counts.
 */
import type { Registry } from 'prom-client';
import { registerSnapshot, type Sample } from '../../metrics/snapshot-metric.js';
import type { WindowSpec } from '../../windows/feature-drift.js';
import type { LabelJoiner } from '../../windows/label-join.js';
import type { ModelKey } from '../model-series.js';
import type { ModelQualityState } from './model-state.js';
import type { ReferenceQuality } from './reference-quality.js';
import type { QualityValue } from './window-quality.js';

interface ModelQualitySource {
  specs: WindowSpec[];
  series: { entries(): Iterable<[ModelKey, ModelQualityState]> };
  joiner: LabelJoiner;
  reference: ReferenceQuality | undefined;
  quality: { fairness?: { attribute: string }; classes?: readonly string[] };
}

function labelsOf(v: QualityValue): Record<string, string> {
  return v.class === undefined ? { metric: v.metric } : { metric: v.metric, class: v.class };
}

export function registerModelQualityMetrics(registry: Registry, src: ModelQualitySource): void {
  const { specs } = src;
  registerSnapshot(registry, 'modelwatch_labels_total', 'Ground-truth labels by join outcome: joined, unmatched (no prediction within the grace period), expired_prediction (a prediction whose label never came), duplicate.', 'counter', function* (): Iterable<Sample> {
    for (const o of src.joiner.stats().byModel) {
      const base = { model: o.model, version: o.version };
      yield { labels: { ...base, outcome: 'joined' }, value: o.joined };
      yield { labels: { ...base, outcome: 'unmatched' }, value: o.unmatched };
      yield { labels: { ...base, outcome: 'expired_prediction' }, value: o.expiredPrediction };
      yield { labels: { ...base, outcome: 'duplicate' }, value: o.duplicate };
    }
  });
  registerSnapshot(registry, 'modelwatch_label_join_pending', 'Entries waiting in the label join store: predictions waiting for labels, labels waiting for their prediction.', 'gauge', function* (): Iterable<Sample> {
    const s = src.joiner.stats();
    yield { labels: { kind: 'predictions' }, value: s.pendingPredictions };
    yield { labels: { kind: 'labels' }, value: s.pendingLabels };
  });
  registerSnapshot(registry, 'modelwatch_label_delay_seconds', 'Label event time minus prediction event time, for joined labels.', 'histogram', function* (): Iterable<Sample> {
    for (const [{ model, version }, m] of src.series.entries()) if (m.delay.count > 0) yield* m.delay.samples('modelwatch_label_delay_seconds', { model, version });
  });
  registerSnapshot(registry, 'modelwatch_predictions_total', 'Predictions of a classifier by predicted class (capped by quality.max_classes, then __other__).', 'counter', function* (): Iterable<Sample> {
    for (const [{ model, version }, m] of src.series.entries()) {
      for (let c = 0; c < m.predictions.length; c++) yield { labels: { model, version, class: m.classes.names[c] }, value: m.predictions[c] };
    }
  });
  registerSnapshot(registry, 'modelwatch_model_quality_samples', 'Joined label/prediction pairs in the quality window.', 'gauge', function* (): Iterable<Sample> {
    for (const [{ model, version }, m] of src.series.entries()) {
      for (let w = 0; w < specs.length; w++) yield { labels: { model, version, window: specs[w].label }, value: m.results[w].samples };
    }
  });
  registerSnapshot(registry, 'modelwatch_model_quality', 'Model quality over the window\'s joined labels: accuracy, precision/recall/f1 (per class) and *_macro, roc_auc, log_loss; mae, rmse, mape, r2. With a segment label: that segment only.', 'gauge', function* (): Iterable<Sample> {
    for (const [{ model, version }, m] of src.series.entries()) {
      for (let w = 0; w < specs.length; w++) {
        const window = specs[w].label;
        for (const v of m.results[w].values) yield { labels: { model, version, ...labelsOf(v), window }, value: v.value };
        for (const [segment, values] of m.results[w].segments) {
          for (const v of values) yield { labels: { model, version, ...labelsOf(v), window, segment }, value: v.value };
        }
      }
    }
  });
  registerSnapshot(registry, 'modelwatch_model_quality_reference', 'The same quality metrics on the reference data\'s labels and predictions: the model\'s own baseline.', 'gauge', function* (): Iterable<Sample> {
    const ref = src.reference;
    if (!ref) return;
    for (const [{ model, version }] of src.series.entries()) for (const v of ref.values) yield { labels: { model, version, ...labelsOf(v) }, value: v.value };
  });
  registerSnapshot(registry, 'modelwatch_model_quality_estimated', 'CBPE estimates from the scores of all predictions in the window (labelled or not). Binary: accuracy, precision, recall, f1 (positive class), roc_auc. Multiclass (one score per quality.classes entry): accuracy, precision_macro, recall_macro, f1_macro, roc_auc (macro one-vs-rest), and precision, recall, f1, roc_auc per class.', 'gauge', function* (): Iterable<Sample> {
    for (const [{ model, version }, m] of src.series.entries()) {
      for (let w = 0; w < specs.length; w++) for (const v of m.results[w].estimated) yield { labels: { model, version, ...labelsOf(v), window: specs[w].label }, value: v.value };
    }
  });
  registerSnapshot(registry, 'modelwatch_cbpe_calibrated', 'CBPE uses scores calibrated on the reference (1) or raw scores (0): with quality.cbpe.calibrate auto, calibrated only when a cross-validated check on the reference lowers the expected calibration error. Multiclass: one series per class (one-vs-rest).', 'gauge', function* (): Iterable<Sample> {
    const cbpe = src.reference?.cbpe;
    const perClass = src.reference?.classCbpe;
    const classes = src.quality.classes;
    for (const [{ model, version }, m] of src.series.entries()) {
      if (cbpe && m.binaryScores) yield { labels: { model, version }, value: cbpe.calibrated ? 1 : 0 };
      else if (perClass && classes && m.classScoreWindows) {
        for (let c = 0; c < perClass.length; c++) yield { labels: { model, version, class: classes[c] }, value: perClass[c].calibrated ? 1 : 0 };
      }
    }
  });
  registerSnapshot(registry, 'modelwatch_concept_drift_state', 'Concept-drift detector state on the joined errors: 0 stable, 1 warning, 2 drift (the highest state between the last two ticks).', 'gauge', function* (): Iterable<Sample> {
    for (const [{ model, version }, m] of src.series.entries()) for (const d of m.detectors) yield { labels: { model, version, detector: d.name }, value: d.state };
  });
  registerSnapshot(registry, 'modelwatch_concept_drift_detections_total', 'Drifts detected by the detector since start.', 'counter', function* (): Iterable<Sample> {
    for (const [{ model, version }, m] of src.series.entries()) for (const d of m.detectors) yield { labels: { model, version, detector: d.name }, value: d.detector.detections };
  });
  registerSnapshot(registry, 'modelwatch_fairness', 'Group fairness of the decisions for the protected attribute: demographic_parity_difference, equal_opportunity_difference, disparate_impact_ratio.', 'gauge', function* (): Iterable<Sample> {
    const attribute = src.quality.fairness?.attribute;
    if (!attribute) return;
    for (const [{ model, version }, m] of src.series.entries()) {
      for (let w = 0; w < specs.length; w++) {
        const f = m.results[w].fairness;
        if (!f) continue;
        for (const [metric, value] of Object.entries(f)) {
          if (value !== undefined) yield { labels: { model, version, attribute, metric, window: specs[w].label }, value };
        }
      }
    }
  });
}
