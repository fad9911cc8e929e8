/**
 * Model overview: is the model serving, how fast, how often failing, has its input drifted, is it
 * still as good as at training time, what does it cost, and what is alerting. Each panel links the
 * reader on to the dashboard with the detail.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { finish, modelwatchDashboard } from '../dashboard-kit.js';
import { hideColumns, statPanel, tablePanel, thresholds, timeSeriesPanel } from '../panel-kit.js';
import {
  histogramQuantile, maxBy, MODEL_MATCHERS, modelSelector, NO_CLASS, promQuery, rate, selector, sumBy, WHOLE_MODEL, WINDOW_MATCHER,
} from '../queries.js';
import { modelVariable, versionVariable, windowVariable } from '../variables.js';

const BY_MODEL = ['model', 'version'];
const REQUESTS = modelSelector('modelwatch_requests_total');
const FAILED = modelSelector('modelwatch_requests_total', 'outcome="error"');
/** Alerts of the selected models, and alerts that carry no model at all (sidecar, resources). */
const FIRING = selector('ALERTS', 'alertstate="firing"', 'model=~"$model|"');

/** Failed share of requests; 0 rather than no data while nothing failed. */
export function errorRatioExpr(by: readonly string[]): string {
  const failed = sumBy(by, rate(FAILED));
  const all = sumBy(by, rate(REQUESTS));
  return `(${failed} or 0 * ${all}) / ${all}`;
}

function requestRateStat() {
  return statPanel({ title: 'Requests per second', description: 'Inference requests seen in the logs, all selected models.', unit: 'reqps', targets: [promQuery(sumBy([], rate(REQUESTS)))] });
}

function p95Stat() {
  return statPanel({
    title: 'p95 latency',
    description: '95th percentile of the logged request latency, all selected models.',
    unit: 's',
    targets: [promQuery(histogramQuantile(0.95, 'modelwatch_request_duration_seconds', [], ...MODEL_MATCHERS))],
  }).thresholds(thresholds(0.5, 1));
}

function errorRatioStat() {
  return statPanel({ title: 'Error ratio', description: 'Share of requests that failed (logged error or status ≥ 400).', unit: 'percentunit', targets: [promQuery(errorRatioExpr([]))] })
    .thresholds(thresholds(0.01, 0.05));
}

function driftShareStat() {
  return statPanel({
    title: 'Drift share now',
    description: 'Largest share of drifted features among the selected models, in the selected window. At drift.dataset_drift_share (default 50 %) the dataset counts as drifted.',
    unit: 'percentunit',
    targets: [promQuery(`max(${modelSelector('modelwatch_dataset_drift_share', WINDOW_MATCHER)})`)],
  }).thresholds(thresholds(0.3, 0.5));
}

function firingAlertsStat() {
  return statPanel({
    title: 'Alerts firing',
    description: 'Alerts firing now for the selected models or the sidecar.',
    unit: 'none',
    targets: [promQuery(`count(${FIRING}) or vector(0)`)],
    height: 7,
  })
    .thresholds(thresholds(1, 1));
}

function requestRatePanel() {
  return timeSeriesPanel({
    title: 'Requests by outcome',
    description: 'Requests per second by model, version and outcome.',
    unit: 'reqps',
    targets: [promQuery(sumBy([...BY_MODEL, 'outcome'], rate(REQUESTS)), { legend: '{{model}} {{version}} {{outcome}}' })],
  });
}

function latencyPanel() {
  const quantile = (q: number, name: string) =>
    promQuery(histogramQuantile(q, 'modelwatch_request_duration_seconds', BY_MODEL, ...MODEL_MATCHERS), { legend: `${name} {{model}} {{version}}` });
  return timeSeriesPanel({
    title: 'Latency p50 / p95 / p99',
    description: 'Quantiles interpolated from the latency histogram buckets (metrics.latency_buckets).',
    unit: 's',
    targets: [quantile(0.5, 'p50'), quantile(0.95, 'p95'), quantile(0.99, 'p99')],
  });
}

function errorRatePanel() {
  return timeSeriesPanel({
    title: 'Error rate',
    description: 'Failed share of requests, and failures per second by reason (the logged error, or the status class).',
    unit: 'percentunit',
    targets: [
      promQuery(errorRatioExpr(BY_MODEL), { legend: 'error ratio {{model}} {{version}}' }),
      promQuery(sumBy(['model', 'reason'], rate(modelSelector('modelwatch_prediction_errors_total'))), { legend: '{{reason}} /s ({{model}})' }),
    ],
  }).overrideByQuery('B', [{ id: 'unit', value: 'reqps' }, { id: 'custom.axisPlacement', value: 'right' }]);
}

function driftSharePanel() {
  return timeSeriesPanel({
    title: 'Dataset drift share',
    description: 'Share of features whose primary drift method says drifted, in the selected window.',
    unit: 'percentunit',
    targets: [promQuery(modelSelector('modelwatch_dataset_drift_share', WINDOW_MATCHER), { legend: '{{model}} {{version}}' })],
  }).max(1).min(0);
}

function qualityVsReferencePanel() {
  return timeSeriesPanel({
    title: 'Model quality vs reference',
    description: 'Realized quality metrics from joined labels (solid) against the same metrics on the reference data (dashed).',
    unit: 'none',
    targets: [
      promQuery(modelSelector('modelwatch_model_quality', WHOLE_MODEL, NO_CLASS, WINDOW_MATCHER), { legend: '{{metric}} {{model}} {{version}}' }),
      promQuery(modelSelector('modelwatch_model_quality_reference', NO_CLASS), { legend: '{{metric}} reference {{model}} {{version}}' }),
    ],
  }).overrideByQuery('B', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }]);
}

function cpuPanel() {
  return timeSeriesPanel({
    title: 'Model server CPU',
    description: 'CPU cores used by the model server (user + system), from /proc.',
    unit: 'short',
    targets: [promQuery(sumBy(['target'], rate('modelwatch_target_cpu_seconds_total')), { legend: '{{target}}' })],
    width: 8,
  });
}

function memoryPanel() {
  return timeSeriesPanel({
    title: 'Model server memory',
    description: 'Resident memory of the model server, and GPU memory in use.',
    unit: 'bytes',
    targets: [
      promQuery(selector('modelwatch_target_memory_bytes', 'kind="rss"'), { legend: 'rss {{target}}' }),
      promQuery(sumBy(['gpu'], 'modelwatch_gpu_memory_used_bytes'), { legend: 'GPU {{gpu}} used' }),
    ],
    width: 8,
  });
}

function gpuUtilizationPanel() {
  return timeSeriesPanel({
    title: 'GPU utilization',
    description: 'Share of time a kernel ran on each GPU (nvidia-smi).',
    unit: 'percentunit',
    targets: [promQuery(maxBy(['gpu', 'name'], 'modelwatch_gpu_utilization_ratio'), { legend: 'GPU {{gpu}} {{name}}' })],
    width: 8,
  }).max(1).min(0);
}

function firingAlertsPanel() {
  return tablePanel({
    title: 'Firing alerts',
    description: 'Alerts firing now (prometheus/rules): for the selected models, and those about the sidecar or the model server.',
    targets: [promQuery(FIRING, { instant: true, table: true })],
    width: 24,
    height: 7,
  }).withTransformation(hideColumns(['Time', 'Value', '__name__', 'alertstate']));
}

export function modelOverviewDashboard(): dashboard.Dashboard {
  return finish(
    modelwatchDashboard({
      uid: 'modelwatch-overview',
      title: 'modelwatch / Model overview',
      description: 'Traffic, latency, errors, drift, quality, resources and alerts of the monitored models.',
      variables: [modelVariable(), versionVariable(), windowVariable()],
    })
      .withPanel(requestRateStat())
      .withPanel(p95Stat())
      .withPanel(errorRatioStat())
      .withPanel(driftShareStat())
      .withRow(new dashboard.RowBuilder('Traffic'))
      .withPanel(requestRatePanel())
      .withPanel(latencyPanel())
      .withPanel(errorRatePanel())
      .withPanel(driftSharePanel())
      .withRow(new dashboard.RowBuilder('Quality and resources'))
      .withPanel(qualityVsReferencePanel().span(24))
      .withPanel(cpuPanel())
      .withPanel(memoryPanel())
      .withPanel(gpuUtilizationPanel())
      .withRow(new dashboard.RowBuilder('Alerts'))
      .withPanel(firingAlertsStat())
      .withPanel(firingAlertsPanel().span(18)),
  );
}
