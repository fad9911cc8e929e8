/**
 * Drift alerts. The sidecar's 0/1 verdicts already apply each method's threshold and direction, but
 * a score hovering at its threshold makes the verdict flicker, and `for:` restarts on every 0: the
 * alert never fires, or flaps. So the alerts read the share of verdicts that said "drifted" over
 * the last `drift.range` (a duty cycle), fire when it has been at `drift.minDriftedShare` or more
 * for `drift.for` (a short guard against one early verdict right after a start), and keep firing
 * for `drift.keepFiringFor` after it drops back (hysteresis on the way out). The duty cycle moves by
 * at most 1/n of its n samples per evaluation, so unlike the raw verdict it does not cross the
 * threshold on every dip.
 *
 * The alerts are per replica, as the verdicts are: each replica's windows hold only its own traffic,
 * and a replica whose inputs differ from the others' (a routing change, a stale feature cache, one
 * pod on an old config) is what drift on one replica means; the alert names it (instance, pod).
 * Averaged over replicas, one drifted replica of two sat at the threshold and one of three never
 * fired (alert scenario 13, docs/alerts.md). Alertmanager groups the replicas' alerts of a model
 * into one notification. The fleet's duty cycle (modelwatch-drift-ratios) and fleet-wide scores
 * (modelwatch-fleet-drift) stay recorded for dashboards.
 *
 * Concept drift is an event (a detection), so it alerts on the counter.
 */
import type { MixinConfig } from './config.js';
import { IN_NAMESPACE, percent, promql, prose } from './promql.js';
import type { GroupSpec } from './rules.js';

const share = (verdict: string, range: string) => `modelwatch:${verdict}:avg_over_time${range}`;

export function driftRecording(config: MixinConfig): GroupSpec {
  const p = promql(config);
  const r = config.drift.range;
  const record = (verdict: string, ...labels: string[]) => ({
    record: share(verdict, r),
    expr: `avg by (${p.by('model', 'version', ...labels, 'window')}) (avg_over_time(${p.sel(`modelwatch_${verdict}`)}[${r}]))`,
  });
  return {
    name: 'modelwatch-drift-ratios',
    comment: `
      Share of the drift verdicts that said "drifted" over the last ${r}, over time and over replicas:
      0.5 means half of the replica-minutes saw drift (the fleet's view, for dashboards; the alerts
      read each replica's own). Only verdicts that exist count (a window under drift.min_samples has
      none).`,
    rules: [record('dataset_drifted'), record('feature_drifted', 'feature'), record('prediction_drifted')],
  };
}

export function driftAlerts(config: MixinConfig): GroupSpec {
  const p = promql(config);
  const d = config.drift;
  const threshold = `>= ${d.minDriftedShare}`;
  const duty = (verdict: string) => `avg_over_time(${p.sel(`modelwatch_${verdict}`)}[${d.range}]) ${threshold}`;
  const held = `the alert fires from ${percent(d.minDriftedShare)}`;
  const hysteresis = `It keeps firing for ${prose(d.keepFiringFor)} after the share drops, so a score hovering at its threshold does not flap.`;
  return {
    name: 'modelwatch-drift',
    comment: `Duty cycle of each replica's verdicts over ${d.range} ${threshold} for ${d.for}, keep_firing_for ${d.keepFiringFor}; see docs/alerts.md#hysteresis.`,
    rules: [
      {
        alert: 'ModelwatchDatasetDrift',
        severity: 'warning',
        team: 'ml',
        expr: duty('dataset_drifted'),
        for: d.for,
        keepFiringFor: d.keepFiringFor,
        summary: 'Dataset drift on {{ $labels.model }} {{ $labels.version }} at {{ $labels.instance }} ({{ $labels.window }} window)',
        description: `
          The sidecar at {{ $labels.instance }} called the inputs of {{ $labels.model }} {{ $labels.version }}${IN_NAMESPACE} drifted from the reference in {{ $value | humanizePercentage }} of its verdicts
          for the {{ $labels.window }} window over the last ${prose(d.range)} (${held}). ${hysteresis}`,
      },
      {
        alert: 'ModelwatchFeatureDrift',
        severity: 'info',
        team: 'ml',
        expr: duty('feature_drifted'),
        for: d.for,
        keepFiringFor: d.keepFiringFor,
        summary: 'Feature {{ $labels.feature }} of {{ $labels.model }} {{ $labels.version }} drifted',
        description: `
          The distribution of feature "{{ $labels.feature }}" of {{ $labels.model }} {{ $labels.version }}${IN_NAMESPACE} on {{ $labels.instance }} differed
          from the reference in {{ $value | humanizePercentage }} of the verdicts for the {{ $labels.window }} window
          over the last ${prose(d.range)} (${held}). ${hysteresis}`,
      },
      {
        alert: 'ModelwatchPredictionDrift',
        severity: 'warning',
        team: 'ml',
        expr: duty('prediction_drifted'),
        for: d.for,
        keepFiringFor: d.keepFiringFor,
        summary: 'Predictions of {{ $labels.model }} {{ $labels.version }} drifted',
        description: `
          The distribution of the predictions of {{ $labels.model }} {{ $labels.version }}${IN_NAMESPACE} on {{ $labels.instance }} differed from the
          reference in {{ $value | humanizePercentage }} of the verdicts for the {{ $labels.window }} window over the
          last ${prose(d.range)} (${held}). ${hysteresis}`,
      },
      {
        alert: 'ModelwatchConceptDrift',
        severity: 'warning',
        team: 'ml',
        comment: `
          A detection is a one-record event: the detector's state shows 2 for a tick and resets, so a
          "state == 2 for 5m" rule would never fire. The detections counter holds it for ${d.conceptDriftRange}.`,
        expr: `sum by (${p.by('model', 'version', 'detector')}) (increase(${p.sel('modelwatch_concept_drift_detections_total')}[${d.conceptDriftRange}])) > 0`,
        summary: 'Concept drift detected on {{ $labels.model }} {{ $labels.version }}',
        description: `
          Detector {{ $labels.detector }} detected concept drift on {{ $labels.model }} {{ $labels.version }}${IN_NAMESPACE} in the last ${prose(d.conceptDriftRange)}: the error rate on labelled traffic rose
          significantly, so the relation between features and target has likely changed.`,
      },
    ],
  };
}
