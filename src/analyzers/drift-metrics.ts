/**
 * Exposition of the drift analyzer's last results. Nothing is computed here: scrapes only read
 * what the drift tick stored.
 */
import type { Registry } from 'prom-client';
import { registerSnapshotWriter } from '../metrics/snapshot-metric.js';
import type { DriftMethodName } from '../stats/methods/index.js';
import type { ModelKey } from './model-series.js';
import type { WindowSpec, FeatureDrift } from '../windows/feature-drift.js';
import type { ModelDrift } from './model-drift.js';
import type { MultivariateResult } from '../windows/multivariate-drift.js';

interface DriftSource {
  specs: WindowSpec[];
  datasetDriftThreshold: number;
  series: { entries(): Iterable<[ModelKey, ModelDrift]> };
  /** Staged records into the windows: the bin totals count every record read so far. */
  flush(): void;
}

function* perFeature(src: DriftSource): Iterable<[ModelKey, string, FeatureDrift]> {
  src.flush();
  for (const [key, m] of src.series.entries()) for (const [feature, fd] of m.features) yield [key, feature, fd];
}

/** Each model's multivariate result per window, with the labels its series share. */
function* perMultivariateWindow(src: DriftSource): Iterable<[Record<string, string>, MultivariateResult]> {
  for (const [{ model, version }, m] of src.series.entries()) {
    const mv = m.multivariate;
    if (!mv) continue;
    for (let i = 0; i < src.specs.length; i++) yield [{ model, version, method: mv.model.method, window: src.specs[i].label }, mv.results[i]];
  }
}

export function registerDriftMetrics(registry: Registry, src: DriftSource): void {
  const { specs } = src;
  registerSnapshotWriter(registry, 'modelwatch_feature_drift_score', 'Drift of a feature\'s window from its reference: the distance, or the test statistic for p-value methods.', 'gauge', (out) => {
    for (const [{ model, version }, feature, fd] of perFeature(src)) {
      for (let i = 0; i < specs.length; i++) {
        for (const [method, r] of fd.results[i].methods ?? []) out({ model, version, feature, method, window: specs[i].label }, r.value);
      }
    }
  });
  registerSnapshotWriter(registry, 'modelwatch_feature_drift_p_value', 'p-value of the drift test (ks, chi_squared); drift when below the threshold.', 'gauge', (out) => {
    for (const [{ model, version }, feature, fd] of perFeature(src)) {
      for (let i = 0; i < specs.length; i++) {
        for (const [method, r] of fd.results[i].methods ?? []) {
          if (r.pValue !== undefined) out({ model, version, feature, method, window: specs[i].label }, r.pValue);
        }
      }
    }
  });
  registerSnapshotWriter(registry, 'modelwatch_feature_drifted', '1 when the feature drifted by its primary method in the window, else 0. Absent without a verdict (too few samples).', 'gauge', (out) => {
    for (const [{ model, version }, feature, fd] of perFeature(src)) {
      for (let i = 0; i < specs.length; i++) {
        const d = fd.results[i].drifted;
        if (d !== undefined) out({ model, version, feature, window: specs[i].label }, d ? 1 : 0);
      }
    }
  });
  registerSnapshotWriter(registry, 'modelwatch_feature_drift_threshold', 'Threshold of each drift method for the feature (a distance above it, or a p-value below it, is drift); with threshold auto, per window (label window), as calibrated at the window\'s size.', 'gauge', (out) => {
    for (const [{ model, version }, feature, fd] of perFeature(src)) {
      const seen = new Set<DriftMethodName>();
      for (const r of fd.results) for (const method of r.methods?.keys() ?? []) seen.add(method);
      for (const method of seen) if (!fd.isAuto(method)) out({ model, version, feature, method }, fd.threshold(method));
      for (let i = 0; i < specs.length; i++) {
        for (const [method, value] of fd.results[i].thresholds ?? []) out({ model, version, feature, method, window: specs[i].label }, value);
      }
    }
  });
  registerSnapshotWriter(registry, 'modelwatch_reference_rows', 'Rows of the reference the model version is compared with (training file, profile or warm-up records); below 50 × (drift.bins − 1) expect false drift.', 'gauge', (out) => {
    for (const [{ model, version }, m] of src.series.entries()) if (m.referenceRows !== undefined) out({ model, version }, m.referenceRows);
  });
  registerSnapshotWriter(registry, 'modelwatch_feature_window_samples', 'Non-missing observations of the feature in the window.', 'gauge', (out) => {
    for (const [{ model, version }, feature, fd] of perFeature(src)) {
      for (let i = 0; i < specs.length; i++) out({ model, version, feature, window: specs[i].label }, fd.results[i].samples);
    }
  });
  registerSnapshotWriter(registry, 'modelwatch_dataset_drift_share', 'Share of features with a verdict that drifted in the window.', 'gauge', (out) => {
    for (const [{ model, version }, m] of src.series.entries()) {
      for (let i = 0; i < specs.length; i++) {
        const share = m.datasetShare[i];
        if (share !== undefined) out({ model, version, window: specs[i].label }, share);
      }
    }
  });
  registerSnapshotWriter(registry, 'modelwatch_dataset_drifted', '1 when the drift share reached drift.dataset_drift_share in the window.', 'gauge', (out) => {
    for (const [{ model, version }, m] of src.series.entries()) {
      for (let i = 0; i < specs.length; i++) {
        const share = m.datasetShare[i];
        if (share !== undefined) out({ model, version, window: specs[i].label }, share >= src.datasetDriftThreshold ? 1 : 0);
      }
    }
  });
  registerSnapshotWriter(registry, 'modelwatch_prediction_drift_score', 'Drift of the model\'s output distribution from the reference predictions.', 'gauge', (out) => {
    for (const [{ model, version }, m] of src.series.entries()) {
      for (let i = 0; i < specs.length; i++) {
        for (const [method, r] of m.prediction?.results[i].methods ?? []) out({ model, version, method, window: specs[i].label }, r.value);
      }
    }
  });
  registerSnapshotWriter(registry, 'modelwatch_prediction_drift_p_value', 'p-value of the prediction drift test (ks, chi_squared).', 'gauge', (out) => {
    for (const [{ model, version }, m] of src.series.entries()) {
      for (let i = 0; i < specs.length; i++) {
        for (const [method, r] of m.prediction?.results[i].methods ?? []) if (r.pValue !== undefined) out({ model, version, method, window: specs[i].label }, r.pValue);
      }
    }
  });
  registerSnapshotWriter(registry, 'modelwatch_prediction_drifted', '1 when the predictions drifted by the primary method in the window.', 'gauge', (out) => {
    for (const [{ model, version }, m] of src.series.entries()) {
      for (let i = 0; i < specs.length; i++) {
        const d = m.prediction?.results[i].drifted;
        if (d !== undefined) out({ model, version, window: specs[i].label }, d ? 1 : 0);
      }
    }
  });
  registerSnapshotWriter(registry, 'modelwatch_multivariate_drift_score', 'Multivariate drift of the window: mean reconstruction error of its records under the reference\'s principal components (method pca_reconstruction, as NannyML\'s data reconstruction drift).', 'gauge', (out) => {
    for (const [labels, r] of perMultivariateWindow(src)) if (r.score !== undefined) out(labels, r.score);
  });
  registerSnapshotWriter(registry, 'modelwatch_multivariate_drift_threshold', 'Bounds of the multivariate drift score for the window (bound upper, and lower with drift.multivariate.threshold std); drift outside them.', 'gauge', (out) => {
    for (const [labels, r] of perMultivariateWindow(src)) {
      if (r.upper !== undefined) out({ ...labels, bound: 'upper' }, r.upper);
      if (r.lower !== undefined) out({ ...labels, bound: 'lower' }, r.lower);
    }
  });
  registerSnapshotWriter(registry, 'modelwatch_multivariate_drifted', '1 when the multivariate drift score left its bounds in the window, else 0. Absent without a verdict (too few records).', 'gauge', (out) => {
    for (const [labels, r] of perMultivariateWindow(src)) if (r.drifted !== undefined) out(labels, r.drifted ? 1 : 0);
  });
  registerSnapshotWriter(registry, 'modelwatch_feature_bin_total', 'Observations per reference bin since start: rate() of it, merged over replicas, gives fleet-wide drift (see prometheus/rules).', 'counter', (out) => {
    for (const [{ model, version }, feature, fd] of perFeature(src)) {
      const { labels } = fd.binner;
      for (let b = 0; b < labels.length; b++) {
        const bin = labels[b];
        if (bin !== undefined && (fd.binTotals[b] > 0 || fd.binner.refCounts[b] > 0)) out({ model, version, feature, bin }, fd.binTotals[b]);
      }
    }
  });
  registerSnapshotWriter(registry, 'modelwatch_feature_reference_ratio', 'Reference proportion of each bin (r in the drift formulas).', 'gauge', (out) => {
    for (const [{ model, version }, feature, fd] of perFeature(src)) {
      const { labels, refCounts, refTotal } = fd.binner;
      if (refTotal === 0) continue;
      for (let b = 0; b < labels.length; b++) {
        const bin = labels[b];
        if (bin !== undefined && (fd.binTotals[b] > 0 || refCounts[b] > 0)) out({ model, version, feature, bin }, refCounts[b] / refTotal);
      }
    }
  });
}
