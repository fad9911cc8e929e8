/**
 * Model overview: is the model serving, how fast, how often failing, is it within its SLOs, has
 * its input drifted, is it still as good as at training time, what does it cost, and what is
 * alerting. Breakdowns keep the namespace (one model name in two namespaces is two lines) and show
 * replicas where one bad replica would hide in a sum; each panel links on to the detail.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { finish, firingAlerts, modelwatchDashboard } from '../dashboard-kit.js';
import { drillDown, MODEL_VARIABLES, runbook, SCOPE_VARIABLES } from '../links.js';
import { dashedThresholds, hideColumns, statPanel, tablePanel, thresholds, timeSeriesPanel } from '../panel-kit.js';
import {
  BY_DEPLOYMENT, histogramQuantile, maxBy, MIXIN, MODEL_MATCHERS, modelSelector, NO_CLASS, promQuery, rate, recordedSelector, sidecarSelector, sumBy, WHOLE_MODEL, WINDOW_MATCHER,
} from '../queries.js';
import { modelVariable, versionVariable, windowVariable } from '../variables.js';

const BY_MODEL = [...BY_DEPLOYMENT, 'model', 'version'];
const MODEL_LEGEND = '{{model}} {{version}} ({{namespace}})';
const REQUESTS = modelSelector('modelwatch_requests_total');
const FAILED = modelSelector('modelwatch_requests_total', 'outcome="error"');
/** Alerts of the selected models, and alerts that carry no model at all (sidecar, resources). */
const FIRING = firingAlerts('model=~"$model|"');
const SLO = MIXIN.slo;
const LATENCY_BUDGET = Number((1 - SLO.latency.objective).toPrecision(10));
const ERROR_BUDGET = Number((1 - SLO.errors.objective).toPrecision(10));

/** Failed share of requests; 0 rather than no data while nothing failed. */
export function errorRatioExpr(by: readonly string[]): string {
  const failed = sumBy(by, rate(FAILED));
  const all = sumBy(by, rate(REQUESTS));
  return `(${failed} or 0 * ${all}) / ${all}`;
}

function requestRateStat() {
  return statPanel({ title: 'Requests per second', description: 'Inference requests seen in the logs, all selected models and replicas.', unit: 'reqps', targets: [promQuery(sumBy([], rate(REQUESTS)))] });
}

function p95Stat() {
  return statPanel({
    title: 'p95 latency',
    description: '95th percentile of the logged request latency, all selected models.',
    unit: 's',
    targets: [promQuery(histogramQuantile(0.95, 'modelwatch_request_duration_seconds', [], ...MODEL_MATCHERS))],
  }).thresholds(thresholds(Number(SLO.latency.thresholdBucket), Number(SLO.latency.thresholdBucket) * 2));
}

function errorRatioStat() {
  return statPanel({
    title: 'Error ratio',
    description: 'Share of requests that failed (logged error or status ≥ 400).',
    unit: 'percentunit',
    targets: [promQuery(errorRatioExpr([]))],
    links: [runbook('ModelwatchErrorBudgetBurnFast')],
  }).thresholds(thresholds(ERROR_BUDGET, ERROR_BUDGET * 6));
}

function driftShareStat() {
  return statPanel({
    title: 'Drift share now',
    description: 'Largest share of drifted features among the selected models and replicas, in the selected window. At drift.dataset_drift_share (default 50 %) the dataset counts as drifted.',
    unit: 'percentunit',
    targets: [promQuery(`max(${modelSelector('modelwatch_dataset_drift_share', WINDOW_MATCHER)})`)],
    links: [drillDown('Data drift', 'modelwatch-data-drift', MODEL_VARIABLES)],
  }).thresholds(thresholds(0.3, 0.5));
}

function firingAlertsStat() {
  return statPanel({
    title: 'Alerts firing',
    description: 'modelwatch alerts firing now for the selected models, the sidecars or the model servers.',
    unit: 'none',
    targets: [promQuery(`count(${FIRING}) or vector(0)`)],
    height: 7,
  }).thresholds(thresholds(1, 1));
}

function requestRatePanel() {
  return timeSeriesPanel({
    title: 'Requests by outcome',
    description: 'Requests per second by namespace, model, version and outcome, all replicas.',
    unit: 'reqps',
    targets: [promQuery(sumBy([...BY_MODEL, 'outcome'], rate(REQUESTS)), { legend: `${MODEL_LEGEND} {{outcome}}` })],
  });
}

function requestsPerReplicaPanel() {
  return timeSeriesPanel({
    title: 'Requests and errors per replica',
    description: 'Requests per second seen by each sidecar (one per model-server replica), and the failed share on the right axis: an uneven split or one failing replica hides in the totals.',
    unit: 'reqps',
    targets: [
      promQuery(sumBy([...BY_DEPLOYMENT, 'instance'], rate(REQUESTS)), { legend: '{{instance}} ({{namespace}})' }),
      promQuery(errorRatioExpr([...BY_DEPLOYMENT, 'instance']), { legend: 'errors {{instance}} ({{namespace}})' }),
    ],
  }).overrideByQuery('B', [{ id: 'unit', value: 'percentunit' }, { id: 'custom.axisPlacement', value: 'right' }]);
}

function latencyPanel() {
  const quantile = (q: number, name: string) =>
    promQuery(histogramQuantile(q, 'modelwatch_request_duration_seconds', BY_MODEL, ...MODEL_MATCHERS), { legend: `${name} ${MODEL_LEGEND}` });
  return timeSeriesPanel({
    title: 'Latency p50 / p95 / p99',
    description: 'Quantiles interpolated from the latency histogram buckets (metrics.latency_buckets), all replicas.',
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
      promQuery(errorRatioExpr(BY_MODEL), { legend: `error ratio ${MODEL_LEGEND}` }),
      promQuery(sumBy([...BY_DEPLOYMENT, 'model', 'reason'], rate(modelSelector('modelwatch_prediction_errors_total'))), { legend: '{{reason}} /s ({{model}}, {{namespace}})' }),
    ],
    links: [runbook('ModelwatchErrorBudgetBurnFast')],
  }).overrideByQuery('B', [{ id: 'unit', value: 'reqps' }, { id: 'custom.axisPlacement', value: 'right' }]);
}

function latencySloPanel() {
  return timeSeriesPanel({
    title: `Requests slower than ${SLO.latency.thresholdBucket} s (SLO)`,
    description: `Share of requests above the le="${SLO.latency.thresholdBucket}" bucket over 5 minutes and 1 hour, all replicas (recording rules). The SLO allows ${LATENCY_BUDGET * 100} %; the page fires at ${SLO.page.windows[0].factor}× that over 1h and 5m.`,
    unit: 'percentunit',
    targets: [
      promQuery(recordedSelector('modelwatch:request_latency_slo_errors:ratio_rate5m'), { legend: `5m ${MODEL_LEGEND}` }),
      promQuery(recordedSelector('modelwatch:request_latency_slo_errors:ratio_rate1h'), { legend: `1h ${MODEL_LEGEND}` }),
    ],
    links: [runbook('ModelwatchLatencyBudgetBurnFast'), runbook('ModelwatchLatencyBudgetBurnSlow')],
  })
    .min(0)
    .thresholds(thresholds(LATENCY_BUDGET, LATENCY_BUDGET * SLO.page.windows[0].factor))
    .thresholdsStyle(dashedThresholds());
}

function burnRatePanel() {
  const burn = (ratio: string, budget: number, name: string) => promQuery(`${recordedSelector(ratio)} / ${budget}`, { legend: `${name} ${MODEL_LEGEND}` });
  return timeSeriesPanel({
    title: 'Error budget burn rate (1h)',
    description: `How many times faster than sustainable each SLO's budget burns over the last hour: 1 spends it exactly in ${SLO.periodDays} days, ${SLO.page.windows[0].factor} pages. Errors: ${SLO.errors.objective * 100} % objective; latency: ${SLO.latency.objective * 100} % within ${SLO.latency.thresholdBucket} s.`,
    unit: 'suffix:×',
    targets: [
      burn('modelwatch:request_errors:ratio_rate1h', ERROR_BUDGET, 'errors'),
      burn('modelwatch:request_latency_slo_errors:ratio_rate1h', LATENCY_BUDGET, 'latency'),
    ],
    links: [runbook('ModelwatchErrorBudgetBurnFast'), runbook('ModelwatchLatencyBudgetBurnFast')],
  })
    .min(0)
    .thresholds(thresholds(1, SLO.page.windows[0].factor))
    .thresholdsStyle(dashedThresholds());
}

function driftSharePanel() {
  return timeSeriesPanel({
    title: 'Dataset drift share per replica',
    description: 'Share of features whose primary drift method says drifted, in the selected window, as each replica sees it.',
    unit: 'percentunit',
    targets: [promQuery(modelSelector('modelwatch_dataset_drift_share', WINDOW_MATCHER), { legend: '{{model}} {{version}} {{instance}}' })],
    links: [drillDown('Data drift', 'modelwatch-data-drift', MODEL_VARIABLES), runbook('ModelwatchDatasetDrift')],
  }).max(1).min(0);
}

function qualityVsReferencePanel() {
  return timeSeriesPanel({
    title: 'Model quality vs reference',
    description: 'Realized quality of the whole model over all replicas, each weighted by its joined labels (solid, the alert input), against the same metrics on the reference data (dashed).',
    unit: 'none',
    targets: [
      promQuery(recordedSelector('modelwatch:model_quality:avg_by_samples', NO_CLASS, WINDOW_MATCHER), { legend: `{{metric}} ${MODEL_LEGEND}` }),
      promQuery(recordedSelector('modelwatch:model_quality_reference:avg', NO_CLASS), { legend: `{{metric}} reference ${MODEL_LEGEND}` }),
    ],
    links: [drillDown('Model quality', 'modelwatch-model-quality', MODEL_VARIABLES), runbook('ModelwatchModelQualityBelowReference')],
  }).overrideByQuery('B', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }]);
}

function qualityPerReplicaPanel() {
  return timeSeriesPanel({
    title: 'Model quality per replica',
    description: "Each replica's realized quality over its own joined labels: a replica far from the others serves different traffic or a different model.",
    unit: 'none',
    targets: [promQuery(modelSelector('modelwatch_model_quality', WHOLE_MODEL, NO_CLASS, WINDOW_MATCHER), { legend: '{{metric}} {{model}} {{instance}}' })],
    links: [drillDown('Model quality', 'modelwatch-model-quality', MODEL_VARIABLES)],
  });
}

function cpuPanel() {
  return timeSeriesPanel({
    title: 'Model server CPU',
    description: 'CPU cores used by the model server (user + system) of each replica, from /proc.',
    unit: 'short',
    targets: [promQuery(sumBy(['namespace', 'instance', 'target'], rate(sidecarSelector('modelwatch_target_cpu_seconds_total'))), { legend: '{{target}} {{instance}}' })],
    width: 8,
    links: [drillDown('Resources', 'modelwatch-resources', SCOPE_VARIABLES)],
  }).axisLabel('cores');
}

function memoryPanel() {
  return timeSeriesPanel({
    title: 'Model server memory',
    description: 'Resident memory of the model server of each replica, and GPU memory in use next to it.',
    unit: 'bytes',
    targets: [
      promQuery(sidecarSelector('modelwatch_target_memory_bytes', 'kind="rss"'), { legend: 'rss {{target}} {{instance}}' }),
      promQuery(maxBy(['namespace', 'instance', 'gpu'], sidecarSelector('modelwatch_gpu_memory_used_bytes')), { legend: 'GPU {{gpu}} used {{instance}}' }),
    ],
    width: 8,
    links: [drillDown('Resources', 'modelwatch-resources', SCOPE_VARIABLES), runbook('ModelwatchModelServerMemoryNearLimit')],
  });
}

function gpuUtilizationPanel() {
  return timeSeriesPanel({
    title: 'GPU utilization',
    description: 'Share of time a kernel ran on each GPU (nvidia-smi), per node.',
    unit: 'percentunit',
    targets: [promQuery(maxBy(['namespace', 'instance', 'gpu', 'name'], sidecarSelector('modelwatch_gpu_utilization_ratio')), { legend: 'GPU {{gpu}} {{name}} {{instance}}' })],
    width: 8,
    links: [drillDown('Resources', 'modelwatch-resources', SCOPE_VARIABLES)],
  }).max(1).min(0);
}

function firingAlertsPanel() {
  return tablePanel({
    title: 'Firing alerts',
    description: 'modelwatch alerts firing now (prometheus/rules): for the selected models, and those about the sidecar or the model server. severity and team say who acts.',
    unit: 'none',
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
      description: 'Traffic, latency, errors, SLOs, drift, quality, resources and alerts of the monitored models.',
      variables: [modelVariable(), versionVariable(), windowVariable()],
      perModel: true,
    })
      .withPanel(requestRateStat())
      .withPanel(p95Stat())
      .withPanel(errorRatioStat())
      .withPanel(driftShareStat())
      .withRow(new dashboard.RowBuilder('Traffic'))
      .withPanel(requestRatePanel())
      .withPanel(requestsPerReplicaPanel())
      .withPanel(latencyPanel())
      .withPanel(errorRatePanel())
      .withRow(new dashboard.RowBuilder('SLOs'))
      .withPanel(latencySloPanel())
      .withPanel(burnRatePanel())
      .withRow(new dashboard.RowBuilder('Drift and quality'))
      .withPanel(driftSharePanel())
      .withPanel(qualityPerReplicaPanel())
      .withPanel(qualityVsReferencePanel().span(24))
      .withRow(new dashboard.RowBuilder('Resources'))
      .withPanel(cpuPanel())
      .withPanel(memoryPanel())
      .withPanel(gpuUtilizationPanel())
      .withRow(new dashboard.RowBuilder('Alerts'))
      .withPanel(firingAlertsStat())
      .withPanel(firingAlertsPanel().span(18)),
  );
}
