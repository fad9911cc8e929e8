/**
 * Exposition of the data-quality analyzer: counters read the live counts; ratios and summaries
 * read what the last tick stored.
 */
import type { Registry } from 'prom-client';
import { registerSnapshotWriter } from '../../metrics/snapshot-metric.js';
import type { WindowSpec } from '../../windows/feature-drift.js';
import type { ModelDataQuality } from './model-data-quality.js';
import type { ModelKey } from '../model-series.js';
import { ISSUES } from './feature-rules.js';
import { RECORD_SLOT_NAME, type FeatureChecks } from './feature-checks.js';
import { SUMMARY_STATS } from '../../stats/value-summary.js';

interface DataQualitySource {
  specs: WindowSpec[];
  series: { entries(): Iterable<[ModelKey, ModelDataQuality]> };
}

function describe(checks: FeatureChecks, kind: number): { feature: string; issue: string } {
  const slot = Math.floor(kind / ISSUES.length);
  return { feature: slot === checks.recordSlot ? RECORD_SLOT_NAME : checks.slotNames[slot], issue: ISSUES[kind % ISSUES.length] };
}

export function registerDataQualityMetrics(registry: Registry, src: DataQualitySource): void {
  registerSnapshotWriter(registry, 'modelwatch_data_quality_records_total', 'Records checked for data quality.', 'counter', (out) => {
    for (const [{ model, version }, m] of src.series.entries()) if (m.checks) out({ model, version }, m.checks.records);
  });
  registerSnapshotWriter(
    registry,
    'modelwatch_data_quality_issues_total',
    'Data-quality issues by feature and issue (missing, type_mismatch, non_finite, out_of_range, new_category, unexpected_feature; feature="__record__": duplicate_request_id, schema_change). Series with a segment label count the issues of that segment.',
    'counter',
    (out) => {
      for (const [{ model, version }, m] of src.series.entries()) {
        const checks = m.checks;
        if (!checks) continue;
        for (const kind of checks.applicableKinds()) out({ model, version, ...describe(checks, kind) }, checks.totals[kind]);
        for (const [key, value] of m.segmented) {
          const [segment, kind] = key.split('\u0000');
          out({ model, version, ...describe(checks, Number(kind)), segment }, value);
        }
      }
    },
  );
  registerSnapshotWriter(registry, 'modelwatch_feature_issue_ratio', 'Share of the window\'s records with the issue for the feature.', 'gauge', (out) => {
    for (const [{ model, version }, m] of src.series.entries()) {
      const checks = m.checks;
      if (!checks) continue;
      for (let w = 0; w < src.specs.length; w++) {
        for (const [kind, value] of m.ratios[w]) out({ model, version, ...describe(checks, kind), window: src.specs[w].label }, value);
      }
    }
  });
  registerSnapshotWriter(registry, 'modelwatch_feature_value', 'Summary of a numeric feature\'s valid values in the window: mean, std (population), min, max, p50, p95.', 'gauge', (out) => {
    for (const [{ model, version }, m] of src.series.entries()) {
      const checks = m.checks;
      if (!checks) continue;
      for (let w = 0; w < src.specs.length; w++) {
        for (const [slot, stats] of m.summaries[w]) {
          for (let s = 0; s < SUMMARY_STATS.length; s++) {
            out({ model, version, feature: checks.slotNames[slot], stat: SUMMARY_STATS[s], window: src.specs[w].label }, stats[s]);
          }
        }
      }
    }
  });
}
