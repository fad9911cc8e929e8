/**
 * Data quality: what is wrong with the inputs the model receives (missing values, values out of the
 * reference range, unseen categories, wrong types), per feature, per replica, and what the values
 * look like now. Ratios divide issues by the records of the same deployment, model and version.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { finish, modelwatchDashboard } from '../dashboard-kit.js';
import { drillDown, MODEL_VARIABLES, runbook } from '../links.js';
import { barGaugePanel, dashedThresholds, tablePanel, thresholds, timeSeriesPanel } from '../panel-kit.js';
import {
  BY_DEPLOYMENT, FEATURE_MATCHER, increaseOverRange, MIXIN, modelSelector, promQuery, rate, recordedSelector, SEGMENTS_ONLY, sumBy, WHOLE_MODEL,
  WINDOW_MATCHER,
} from '../queries.js';
import { featureVariable, modelVariable, versionVariable, windowVariable } from '../variables.js';

/** Whole-model counters; the segmented series (quality.segments) count the same issues again. */
const ISSUES = modelSelector('modelwatch_data_quality_issues_total', FEATURE_MATCHER, WHOLE_MODEL);

function issuesRatePanel() {
  return timeSeriesPanel({
    title: 'Issues by feature and kind',
    description: 'Data-quality issues per second, all replicas: missing, out_of_range (outside the reference range), new_category, type_mismatch, non_finite, unexpected_feature.',
    unit: 'short',
    targets: [promQuery(sumBy(['feature', 'issue'], rate(ISSUES)), { legend: '{{feature}} {{issue}}' })],
  }).axisLabel('issues / s');
}

const PER_MODEL = [...BY_DEPLOYMENT, 'model', 'version'];

/** Issues per checked record over the dashboard's range: 0.2 means one record in five. */
export function issuesPerRequestExpr(): string {
  const records = sumBy(PER_MODEL, increaseOverRange(modelSelector('modelwatch_data_quality_records_total')));
  return `${sumBy([...PER_MODEL, 'feature', 'issue'], increaseOverRange(ISSUES))} / on (${PER_MODEL.join(', ')}) group_left () ${records}`;
}

function issuesPerRequestPanel() {
  return barGaugePanel({
    title: 'Issues per record (time range)',
    description: 'Share of the checked records with each issue over the dashboard time range, per feature, all replicas.',
    unit: 'percentunit',
    targets: [promQuery(issuesPerRequestExpr(), { instant: true, legend: '{{feature}} {{issue}} {{model}} ({{namespace}})' })],
  })
    .min(0)
    .max(1)
    .thresholds(thresholds(0.01, 0.05));
}

function issueRatioAlertPanel() {
  const dq = MIXIN.dataQuality;
  return timeSeriesPanel({
    title: `Issue ratios over ${dq.range} (alert input)`,
    description: `Issues per checked record over ${dq.range}, all replicas, whole model: what the data-quality alerts read (missing, out of range and new category fire above ${dq.missingRatio * 100} %, schema violations above ${dq.schemaViolationRatio * 100} %, with at least ${dq.minRecords} records).`,
    unit: 'percentunit',
    targets: [promQuery(recordedSelector(`modelwatch:data_quality_issues:ratio_rate${dq.range}`, FEATURE_MATCHER), { legend: '{{feature}} {{issue}} {{model}} ({{namespace}})' })],
    links: [runbook('ModelwatchMissingValuesSpike'), runbook('ModelwatchOutOfRangeSpike'), runbook('ModelwatchNewCategorySpike'), runbook('ModelwatchSchemaViolations')],
  })
    .min(0)
    .thresholds(thresholds(dq.schemaViolationRatio, dq.missingRatio))
    .thresholdsStyle(dashedThresholds());
}

function issuesPerReplicaPanel() {
  return timeSeriesPanel({
    title: 'Issues per replica',
    description: 'Data-quality issues per second seen by each sidecar: issues from one replica only point at one client or one routing path.',
    unit: 'short',
    targets: [promQuery(sumBy([...BY_DEPLOYMENT, 'instance', 'issue'], rate(ISSUES)), { legend: '{{issue}} {{instance}}' })],
  }).axisLabel('issues / s');
}

function issuesBySegmentPanel() {
  return timeSeriesPanel({
    title: 'Issues by segment',
    description: 'Data-quality issues per second within each segment (quality.segments.fields): an issue confined to one segment points at one upstream producer.',
    unit: 'short',
    targets: [
      promQuery(sumBy(['segment', 'issue'], rate(modelSelector('modelwatch_data_quality_issues_total', FEATURE_MATCHER, SEGMENTS_ONLY))), { legend: '{{segment}} {{issue}}' }),
    ],
    width: 24,
  }).axisLabel('issues / s');
}

function missingRatioPanel() {
  return timeSeriesPanel({
    title: 'Missing ratio',
    description: 'Share of the records in the selected window in which the feature was missing (absent, null, empty), per replica.',
    unit: 'percentunit',
    targets: [promQuery(modelSelector('modelwatch_feature_issue_ratio', FEATURE_MATCHER, 'issue="missing"', WINDOW_MATCHER), { legend: '{{feature}} {{model}} {{instance}}' })],
    links: [runbook('ModelwatchMissingValuesSpike')],
  }).min(0);
}

function issueRatioPanel() {
  return timeSeriesPanel({
    title: 'Issue ratios in window',
    description: 'Share of records with each issue in the selected window, per replica (missing excluded: see its own panel).',
    unit: 'percentunit',
    targets: [promQuery(modelSelector('modelwatch_feature_issue_ratio', FEATURE_MATCHER, 'issue!="missing"', WINDOW_MATCHER), { legend: '{{feature}} {{issue}} {{instance}}' })],
  }).min(0);
}

function valueSummaryTable() {
  return tablePanel({
    title: 'Value summaries ($window)',
    description: 'Mean, standard deviation, min, max and quantiles of each numeric feature in the selected window (one row per feature and replica).',
    unit: 'none',
    links: [drillDown('Data drift of these features', 'modelwatch-data-drift', MODEL_VARIABLES)],
    targets: [promQuery(modelSelector('modelwatch_feature_value', FEATURE_MATCHER, WINDOW_MATCHER), { instant: true, table: true })],
    width: 24,
  }).withTransformation({ id: 'groupingToMatrix', options: { columnField: 'stat', rowField: 'feature', valueField: 'Value' } });
}

function valueTrendPanel() {
  return timeSeriesPanel({
    title: 'Feature values over time',
    description: 'Median and 95th percentile of each numeric feature in the selected window, per replica (in the feature\'s own unit).',
    unit: 'short',
    targets: [promQuery(modelSelector('modelwatch_feature_value', FEATURE_MATCHER, 'stat=~"p50|p95"', WINDOW_MATCHER), { legend: '{{feature}} {{stat}} {{instance}}' })],
    width: 24,
  });
}

export function dataQualityDashboard(): dashboard.Dashboard {
  return finish(
    modelwatchDashboard({
      uid: 'modelwatch-data-quality',
      title: 'modelwatch / Data quality',
      description: 'Missing values, out-of-range values, unseen categories and value summaries of the model inputs.',
      variables: [modelVariable(), versionVariable(), windowVariable(), featureVariable()],
      perModel: true,
    })
      .withPanel(issuesRatePanel())
      .withPanel(issuesPerRequestPanel())
      .withPanel(issueRatioAlertPanel())
      .withPanel(issuesPerReplicaPanel())
      .withPanel(issuesBySegmentPanel())
      .withPanel(missingRatioPanel())
      .withPanel(issueRatioPanel())
      .withPanel(valueSummaryTable())
      .withPanel(valueTrendPanel()),
  );
}
