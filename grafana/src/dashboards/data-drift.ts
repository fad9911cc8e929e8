/**
 * Data drift: which features moved away from the reference, by how much, since when, and how their
 * distribution now compares bin by bin with the reference. Scores are per window and per method;
 * the dashboard shows one of each at a time ($window, $method) so the axes mean one thing. Every
 * replica exports its own verdicts, so counts are of distinct features, never sums over replicas,
 * and the duty cycle the alerts read is shown beside the per-replica shares.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { finish, modelwatchDashboard } from '../dashboard-kit.js';
import { drillDown, MODEL_VARIABLES, runbook } from '../links.js';
import {
  barChartPanel, dashedThresholds, MERGE, stateTimelinePanel, statPanel, tablePanel, thresholds, timeSeriesPanel, valueMapping,
} from '../panel-kit.js';
import {
  BY_DEPLOYMENT, countDistinct, FEATURE_MATCHER, increaseOverRange, maxBy, METHOD_MATCHER, MIXIN, modelSelector, promQuery, recordedSelector,
  sumBy, WINDOW_MATCHER,
} from '../queries.js';
import { featureVariable, methodVariable, modelVariable, versionVariable, windowVariable } from '../variables.js';

const DRIFTED_MAPPING = valueMapping({ '0': { text: 'stable', color: 'green' }, '1': { text: 'drifted', color: 'red' } });
const FEATURE_SCORE = modelSelector('modelwatch_feature_drift_score', FEATURE_MATCHER, METHOD_MATCHER, WINDOW_MATCHER);
/** A feature of a model version in a deployment: counted once, however many replicas judge it. */
const DISTINCT_FEATURE = [...BY_DEPLOYMENT, 'model', 'version', 'feature'];

function driftedFeaturesStat() {
  return statPanel({
    title: 'Drifted features',
    description: 'Distinct features whose primary method says drifted in the selected window on at least one replica (a feature drifted on three replicas counts once).',
    unit: 'none',
    targets: [promQuery(`${countDistinct(DISTINCT_FEATURE, `${modelSelector('modelwatch_feature_drifted', WINDOW_MATCHER)} == 1`)} or vector(0)`)],
    links: [runbook('ModelwatchFeatureDrift')],
  }).thresholds(thresholds(1, 3));
}

function featuresWithVerdictStat() {
  return statPanel({
    title: 'Features with a verdict',
    description: 'Distinct features whose window holds at least drift.min_samples observations on some replica; the others report their size but no verdict.',
    unit: 'none',
    targets: [promQuery(countDistinct(DISTINCT_FEATURE, modelSelector('modelwatch_feature_drifted', WINDOW_MATCHER)))],
  });
}

function datasetShareStat() {
  return statPanel({
    title: 'Dataset drift share',
    description: 'Share of the features with a verdict that drifted (largest over the selected models).',
    unit: 'percentunit',
    targets: [promQuery(`max(${modelSelector('modelwatch_dataset_drift_share', WINDOW_MATCHER)})`)],
    links: [runbook('ModelwatchDatasetDrift')],
  }).thresholds(thresholds(0.3, 0.5));
}

function driftSharePerReplicaPanel() {
  return timeSeriesPanel({
    title: 'Drift share per replica',
    description: 'Share of the features with a verdict that drifted, as each replica sees it in the selected window. One replica apart from the others sees different traffic (routing, a canary).',
    unit: 'percentunit',
    targets: [promQuery(modelSelector('modelwatch_dataset_drift_share', WINDOW_MATCHER), { legend: '{{model}} {{version}} {{instance}}' })],
  })
    .min(0)
    .max(1);
}

function driftDutyCyclePanel() {
  const d = MIXIN.drift;
  return timeSeriesPanel({
    title: `Drift verdicts over ${d.range} (alert input)`,
    description: `Share of the dataset and prediction drift verdicts of the last ${d.range} that said drifted, over all replicas: what ModelwatchDatasetDrift and ModelwatchPredictionDrift read. They fire at ${d.minDriftedShare * 100} % (dashed) held for ${d.for}, and keep firing ${d.keepFiringFor} after it drops, so a score hovering at its threshold gives one alert.`,
    unit: 'percentunit',
    targets: [
      promQuery(recordedSelector(`modelwatch:dataset_drifted:avg_over_time${d.range}`, WINDOW_MATCHER), { legend: 'dataset {{model}} {{version}} ({{namespace}})' }),
      promQuery(recordedSelector(`modelwatch:prediction_drifted:avg_over_time${d.range}`, WINDOW_MATCHER), { legend: 'predictions {{model}} {{version}} ({{namespace}})' }),
    ],
    links: [runbook('ModelwatchDatasetDrift'), runbook('ModelwatchPredictionDrift')],
  })
    .min(0)
    .max(1)
    .thresholds(thresholds(d.minDriftedShare, d.minDriftedShare))
    .thresholdsStyle(dashedThresholds());
}

function predictionDriftedStat() {
  return statPanel({
    title: 'Prediction drift',
    description: "Whether the model's outputs drifted from the reference predictions (primary method).",
    unit: 'none',
    targets: [promQuery(`max(${modelSelector('modelwatch_prediction_drifted', WINDOW_MATCHER)})`)],
  }).mappings([DRIFTED_MAPPING]);
}

function featureScorePanel() {
  return timeSeriesPanel({
    title: 'Drift score by feature ($method)',
    description: 'Score of each feature against its reference in the selected window, with its threshold (dashed). For a distance, above the threshold is drift; for ks and chi_squared the score is the test statistic and the p-value panel decides.',
    unit: 'none',
    targets: [
      promQuery(FEATURE_SCORE, { legend: '{{feature}} {{model}} {{version}} {{instance}}' }),
      promQuery(modelSelector('modelwatch_feature_drift_threshold', FEATURE_MATCHER, METHOD_MATCHER), { legend: '{{feature}} threshold' }),
    ],
    width: 24,
    height: 9,
  }).overrideByQuery('B', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }]);
}

function pValuePanel() {
  return timeSeriesPanel({
    title: 'Drift test p-values',
    description: 'p-values of the statistical tests (ks for numeric, chi_squared for categorical features). Below the threshold (default 0.05) is drift.',
    unit: 'none',
    targets: [promQuery(modelSelector('modelwatch_feature_drift_p_value', FEATURE_MATCHER, WINDOW_MATCHER), { legend: '{{feature}} {{method}} {{instance}}' })],
  }).scaleDistribution(new common.ScaleDistributionConfigBuilder().type(common.ScaleDistribution.Log).log(10));
}

function windowSamplesPanel() {
  return timeSeriesPanel({
    title: 'Observations in window',
    description: 'Non-missing observations of each feature in the selected window. Under drift.min_samples there is no verdict.',
    unit: 'short',
    targets: [promQuery(modelSelector('modelwatch_feature_window_samples', FEATURE_MATCHER, WINDOW_MATCHER), { legend: '{{feature}} {{instance}}' })],
  });
}

/** The top-10 features by score, with threshold, verdict and window size beside each. */
export function topDriftedExprs(): { score: string; threshold: string; drifted: string; samples: string } {
  const score = `topk(10, ${maxBy(['feature'], modelSelector('modelwatch_feature_drift_score', METHOD_MATCHER, WINDOW_MATCHER))})`;
  const top = (expr: string) => `${expr} and on (feature) ${score}`;
  return {
    score,
    threshold: top(maxBy(['feature'], modelSelector('modelwatch_feature_drift_threshold', METHOD_MATCHER))),
    drifted: top(maxBy(['feature'], modelSelector('modelwatch_feature_drifted', WINDOW_MATCHER))),
    samples: top(maxBy(['feature'], modelSelector('modelwatch_feature_window_samples', WINDOW_MATCHER))),
  };
}

function topDriftedTable() {
  const e = topDriftedExprs();
  const q = (expr: string) => promQuery(expr, { instant: true, table: true });
  return tablePanel({
    title: 'Top drifted features ($method, $window)',
    description: 'The ten features with the highest score in the selected window (highest over replicas); drifted is the verdict of the primary method.',
    unit: 'none',
    targets: [q(e.score), q(e.threshold), q(e.drifted), q(e.samples)],
    width: 24,
    links: [drillDown('Data quality of these features', 'modelwatch-data-quality', MODEL_VARIABLES)],
  })
    .withTransformation(MERGE)
    .withTransformation({
      id: 'organize',
      options: {
        excludeByName: { Time: true },
        renameByName: { 'Value #A': 'score', 'Value #B': 'threshold', 'Value #C': 'drifted', 'Value #D': 'observations' },
      },
    })
    .withTransformation({ id: 'sortBy', options: { sort: [{ field: 'score', desc: true }] } })
    .overrideByName('drifted', [{ id: 'mappings', value: [DRIFTED_MAPPING] }, { id: 'custom.cellOptions', value: { type: 'color-text' } }]);
}

/** Current proportions per bin over the dashboard range, and the reference proportions. */
export function distributionExprs(): { current: string; reference: string } {
  const bins = modelSelector('modelwatch_feature_bin_total', FEATURE_MATCHER);
  return {
    current: `${sumBy(['bin'], increaseOverRange(bins))} / scalar(${sumBy([], increaseOverRange(bins))})`,
    reference: maxBy(['bin'], modelSelector('modelwatch_feature_reference_ratio', FEATURE_MATCHER)),
  };
}

function distributionPanel() {
  const e = distributionExprs();
  return barChartPanel(
    {
      title: 'Reference vs current: $feature',
      description: "Share of observations per reference bin: the reference profile against the dashboard's time range (from the bin counters, so it merges every replica). Bins are the reference's deciles for numeric features, its categories for categorical ones.",
      unit: 'percentunit',
      targets: [promQuery(e.current, { instant: true, table: true }), promQuery(e.reference, { instant: true, table: true })],
    },
    'bin',
  )
    .repeat('feature')
    .repeatDirection('h')
    .maxPerRow(2)
    .withTransformation(MERGE)
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { 'Value #A': 'current', 'Value #B': 'reference' } } });
}

function predictionDriftPanel() {
  return timeSeriesPanel({
    title: 'Prediction drift ($method)',
    description: "Drift of the model's output distribution from the reference predictions, and the p-values of the tests, per replica.",
    unit: 'none',
    targets: [
      promQuery(modelSelector('modelwatch_prediction_drift_score', METHOD_MATCHER, WINDOW_MATCHER), { legend: 'score {{model}} {{version}} {{instance}}' }),
      promQuery(modelSelector('modelwatch_prediction_drift_p_value', WINDOW_MATCHER), { legend: 'p-value {{method}} {{model}} {{version}} {{instance}}' }),
    ],
    links: [drillDown('Model quality', 'modelwatch-model-quality', MODEL_VARIABLES)],
  });
}

function verdictsPanel() {
  return stateTimelinePanel({
    title: 'Drift verdicts per replica',
    description: 'Dataset drift (share ≥ drift.dataset_drift_share) and prediction drift over time, as each replica judged it tick by tick.',
    unit: 'none',
    targets: [
      promQuery(modelSelector('modelwatch_dataset_drifted', WINDOW_MATCHER), { legend: 'dataset {{model}} {{version}} {{instance}}' }),
      promQuery(modelSelector('modelwatch_prediction_drifted', WINDOW_MATCHER), { legend: 'predictions {{model}} {{version}} {{instance}}' }),
    ],
  }).mappings([DRIFTED_MAPPING]);
}

export function dataDriftDashboard(): dashboard.Dashboard {
  return finish(
    modelwatchDashboard({
      uid: 'modelwatch-data-drift',
      title: 'modelwatch / Data drift',
      description: 'Per-feature and prediction drift against the reference profile.',
      variables: [modelVariable(), versionVariable(), windowVariable(), featureVariable(), methodVariable()],
      perModel: true,
    })
      .withPanel(driftedFeaturesStat())
      .withPanel(featuresWithVerdictStat())
      .withPanel(datasetShareStat())
      .withPanel(predictionDriftedStat())
      .withPanel(driftSharePerReplicaPanel())
      .withPanel(driftDutyCyclePanel())
      .withRow(new dashboard.RowBuilder('Features'))
      .withPanel(featureScorePanel())
      .withPanel(pValuePanel())
      .withPanel(windowSamplesPanel())
      .withPanel(topDriftedTable())
      .withRow(new dashboard.RowBuilder('Distributions'))
      .withPanel(distributionPanel())
      .withRow(new dashboard.RowBuilder('Predictions'))
      .withPanel(predictionDriftPanel())
      .withPanel(verdictsPanel()),
  );
}
