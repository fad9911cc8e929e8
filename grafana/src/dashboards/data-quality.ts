/**
 * Data quality: what is wrong with the inputs the model receives (missing values, values out of the
 * reference range, unseen categories, wrong types), per feature, and what the values look like now.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { finish, modelwatchDashboard } from '../dashboard-kit.js';
import { barGaugePanel, tablePanel, thresholds, timeSeriesPanel } from '../panel-kit.js';
import {
  FEATURE_MATCHER, increaseOverRange, modelSelector, promQuery, rate, SEGMENTS_ONLY, sumBy, WHOLE_MODEL, WINDOW_MATCHER,
} from '../queries.js';
import { featureVariable, modelVariable, versionVariable, windowVariable } from '../variables.js';

/** Whole-model counters; the segmented series (quality.segments) count the same issues again. */
const ISSUES = modelSelector('modelwatch_data_quality_issues_total', FEATURE_MATCHER, WHOLE_MODEL);

function issuesRatePanel() {
  return timeSeriesPanel({
    title: 'Issues by feature and kind',
    description: 'Data-quality issues per second: missing, out_of_range (outside the reference range), new_category, type_mismatch, non_finite, unexpected_feature.',
    unit: 'short',
    targets: [promQuery(sumBy(['feature', 'issue'], rate(ISSUES)), { legend: '{{feature}} {{issue}}' })],
  }).axisLabel('issues / s');
}

/** Issues per request over the dashboard's range: 0.2 means one request in five. */
export function issuesPerRequestExpr(): string {
  const requests = sumBy([], increaseOverRange(modelSelector('modelwatch_data_quality_records_total')));
  return `${sumBy(['feature', 'issue'], increaseOverRange(ISSUES))} / scalar(${requests})`;
}

function issuesPerRequestPanel() {
  return barGaugePanel({
    title: 'Issues per request (time range)',
    description: 'Share of the checked records with each issue over the dashboard time range, per feature.',
    unit: 'percentunit',
    targets: [promQuery(issuesPerRequestExpr(), { instant: true, legend: '{{feature}} {{issue}}' })],
  })
    .min(0)
    .max(1)
    .thresholds(thresholds(0.01, 0.05));
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
    description: 'Share of the records in the selected window in which the feature was missing (absent, null, empty).',
    unit: 'percentunit',
    targets: [promQuery(modelSelector('modelwatch_feature_issue_ratio', FEATURE_MATCHER, 'issue="missing"', WINDOW_MATCHER), { legend: '{{feature}} {{model}}' })],
  }).min(0);
}

function issueRatioPanel() {
  return timeSeriesPanel({
    title: 'Issue ratios in window',
    description: 'Share of records with each issue in the selected window (missing excluded: see its own panel).',
    unit: 'percentunit',
    targets: [promQuery(modelSelector('modelwatch_feature_issue_ratio', FEATURE_MATCHER, 'issue!="missing"', WINDOW_MATCHER), { legend: '{{feature}} {{issue}}' })],
  }).min(0);
}

function valueSummaryTable() {
  return tablePanel({
    title: 'Value summaries ($window)',
    description: 'Mean, standard deviation, min, max and quantiles of each numeric feature in the selected window.',
    targets: [promQuery(modelSelector('modelwatch_feature_value', FEATURE_MATCHER, WINDOW_MATCHER), { instant: true, table: true })],
    width: 24,
  }).withTransformation({ id: 'groupingToMatrix', options: { columnField: 'stat', rowField: 'feature', valueField: 'Value' } });
}

function valueTrendPanel() {
  return timeSeriesPanel({
    title: 'Feature values over time',
    description: 'Median and 95th percentile of each numeric feature in the selected window.',
    unit: 'short',
    targets: [promQuery(modelSelector('modelwatch_feature_value', FEATURE_MATCHER, 'stat=~"p50|p95"', WINDOW_MATCHER), { legend: '{{feature}} {{stat}}' })],
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
    })
      .withPanel(issuesRatePanel())
      .withPanel(issuesPerRequestPanel())
      .withPanel(issuesBySegmentPanel())
      .withPanel(missingRatioPanel())
      .withPanel(issueRatioPanel())
      .withPanel(valueSummaryTable())
      .withPanel(valueTrendPanel()),
  );
}
