/**
 * Model quality: realized metrics once labels are joined, per replica and over all replicas (what
 * the alerts read), their reference values, the CBPE estimate while labels are still missing,
 * concept-drift detectors, per-class metrics, quality per segment (quality.segments), the predicted
 * class mix and fairness across groups (quality.fairness).
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { finish, modelwatchDashboard } from '../dashboard-kit.js';
import { drillDown, MODEL_VARIABLES, runbook } from '../links.js';
import { barGaugePanel, stateTimelinePanel, statPanel, tablePanel, timeSeriesPanel, valueMapping } from '../panel-kit.js';
import {
  BY_DEPLOYMENT, histogramQuantile, increaseOverRange, MODEL_MATCHERS, modelSelector, NO_CLASS, promQuery, rate, recordedSelector, SEGMENTS_ONLY,
  sumBy, WHOLE_MODEL, WINDOW_MATCHER,
} from '../queries.js';
import { modelVariable, versionVariable, windowVariable } from '../variables.js';

/** Whole-model metrics; per-class precision/recall/F1 would crowd the chart. */
const REALIZED = modelSelector('modelwatch_model_quality', WHOLE_MODEL, NO_CLASS, WINDOW_MATCHER);
const REFERENCE = modelSelector('modelwatch_model_quality_reference', NO_CLASS);
/** Whole-model estimates only (a multiclass model's per-class estimates carry `class`), as REALIZED. */
const ESTIMATED = modelSelector('modelwatch_model_quality_estimated', NO_CLASS, WINDOW_MATCHER);
const DASHED = [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }];

function qualityVsReferencePanel() {
  return timeSeriesPanel({
    title: 'Quality vs reference, all replicas',
    description: 'Realized whole-model metrics of the selected window over all replicas, each weighted by its joined labels (solid; what the quality alerts compare), and the same metrics on the reference data (dashed).',
    unit: 'none',
    targets: [
      promQuery(recordedSelector('modelwatch:model_quality:avg_by_samples', NO_CLASS, WINDOW_MATCHER), { legend: '{{metric}} {{model}} {{version}} ({{namespace}})' }),
      promQuery(recordedSelector('modelwatch:model_quality_reference:avg', NO_CLASS), { legend: '{{metric}} reference {{model}} {{version}} ({{namespace}})' }),
    ],
    links: [runbook('ModelwatchModelQualityBelowReference'), runbook('ModelwatchModelErrorAboveReference')],
  }).overrideByQuery('B', DASHED);
}

function qualityPerReplicaPanel() {
  return timeSeriesPanel({
    title: 'Quality per replica',
    description: "Each replica's realized metrics over its own joined labels in the selected window: a replica far from the others serves different traffic or a different model.",
    unit: 'none',
    targets: [promQuery(REALIZED, { legend: '{{metric}} {{model}} {{version}} {{instance}}' })],
  });
}

function perClassPanel() {
  return timeSeriesPanel({
    title: 'Per-class precision, recall and F1',
    description: 'Per-class metrics over all replicas (solid) against the same class on the reference data (dashed): ModelwatchClassQualityBelowReference compares them.',
    unit: 'none',
    targets: [
      promQuery(recordedSelector('modelwatch:model_quality:avg_by_samples', 'class!=""', WINDOW_MATCHER), { legend: '{{metric}} {{class}} {{model}}' }),
      promQuery(recordedSelector('modelwatch:model_quality_reference:avg', 'class!=""'), { legend: '{{metric}} {{class}} reference {{model}}' }),
    ],
    links: [runbook('ModelwatchClassQualityBelowReference')],
  }).overrideByQuery('B', DASHED);
}

/** Realized minus reference, per metric and replica: negative is worse for scores, positive for errors. */
export function changeVsReferenceExpr(): string {
  return `${REALIZED} - on (${[...BY_DEPLOYMENT, 'job', 'instance', 'model', 'version', 'metric', 'class'].join(', ')}) ${REFERENCE}`;
}

function changeVsReferencePanel() {
  return barGaugePanel({
    title: 'Change vs reference',
    description: 'Realized minus reference, per replica. For accuracy, F1, ROC AUC, R² below zero is worse; for MAE, RMSE, log loss above zero is worse.',
    unit: 'none',
    targets: [promQuery(changeVsReferenceExpr(), { instant: true, legend: '{{metric}} {{model}} {{version}} {{instance}}' })],
  });
}

function estimatedVsRealizedPanel() {
  return timeSeriesPanel({
    title: 'Estimated vs realized',
    description: 'CBPE estimate from the prediction scores (dashed; available before labels arrive) against the realized metric once labels are joined.',
    unit: 'none',
    targets: [
      promQuery(ESTIMATED, { legend: '{{metric}} estimated {{instance}}' }),
      promQuery(`${REALIZED} and on (${[...BY_DEPLOYMENT, 'job', 'instance', 'model', 'version', 'metric', 'window'].join(', ')}) ${ESTIMATED}`, { legend: '{{metric}} realized {{instance}}' }),
    ],
  }).overrideByQuery('A', DASHED);
}

function labelsPanel() {
  return timeSeriesPanel({
    title: 'Labels',
    description: 'Ground-truth labels per second by outcome: joined to their prediction, or dropped (no prediction in time, unknown request id).',
    unit: 'short',
    targets: [promQuery(sumBy(['instance', 'outcome'], rate(modelSelector('modelwatch_labels_total'))), { legend: '{{outcome}} {{instance}}' })],
    links: [runbook('ModelwatchLabelJoinFailing')],
  }).axisLabel('labels / s');
}

function labelDelayPanel() {
  const q = (p: number, name: string) =>
    promQuery(histogramQuantile(p, 'modelwatch_label_delay_seconds', ['model'], ...MODEL_MATCHERS), { legend: `${name} {{model}}` });
  return timeSeriesPanel({
    title: 'Label delay',
    description: 'Time from the prediction to its label arriving: how far behind realized quality is.',
    unit: 's',
    targets: [q(0.5, 'p50'), q(0.95, 'p95')],
  });
}

function conceptDriftPanel() {
  return stateTimelinePanel({
    title: 'Concept drift detectors',
    description: 'State of each detector on the stream of prediction errors, per replica: stable, warning, drift.',
    unit: 'none',
    targets: [promQuery(modelSelector('modelwatch_concept_drift_state'), { legend: '{{detector}} {{model}} {{version}} {{instance}}' })],
    links: [runbook('ModelwatchConceptDrift'), drillDown('Data drift', 'modelwatch-data-drift', MODEL_VARIABLES)],
  }).mappings([
    valueMapping({
      '0': { text: 'stable', color: 'green' },
      '1': { text: 'warning', color: 'orange' },
      '2': { text: 'drift', color: 'red' },
    }),
  ]);
}

function detectionsStat() {
  return statPanel({
    title: 'Concept drift detections',
    description: 'Drifts signalled by the detectors over the dashboard time range.',
    unit: 'none',
    targets: [promQuery(sumBy(['detector'], increaseOverRange(modelSelector('modelwatch_concept_drift_detections_total'))), { legend: '{{detector}}' })],
    width: 12,
    height: 8,
  });
}

function qualityBySegmentTable() {
  return tablePanel({
    title: 'Quality by segment ($window)',
    description: 'Whole-model metrics within each segment (quality.segments.fields), per replica: a segment far below the others is where the model fails.',
    unit: 'none',
    targets: [promQuery(modelSelector('modelwatch_model_quality', SEGMENTS_ONLY, NO_CLASS, WINDOW_MATCHER), { instant: true, table: true })],
  }).withTransformation({ id: 'groupingToMatrix', options: { columnField: 'metric', rowField: 'segment', valueField: 'Value' } });
}

function predictedClassesPanel() {
  return timeSeriesPanel({
    title: 'Predicted classes',
    description: 'Share of predictions per class: a shift here without a change in inputs points at the model, not the data.',
    unit: 'percentunit',
    targets: [promQuery(sumBy(['class'], rate(modelSelector('modelwatch_predictions_total'))), { legend: '{{class}}' })],
  }).stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Percent));
}

function fairnessPanel() {
  return timeSeriesPanel({
    title: 'Fairness',
    description: 'Group fairness per protected attribute and replica: disparate impact ratio (below 0.8 is the four-fifths rule), demographic parity and equal opportunity differences (beyond ±0.1 flagged).',
    unit: 'none',
    targets: [promQuery(modelSelector('modelwatch_fairness', WINDOW_MATCHER), { legend: '{{attribute}} {{metric}} {{instance}}' })],
    links: [runbook('ModelwatchFairnessGap')],
  });
}

export function modelQualityDashboard(): dashboard.Dashboard {
  return finish(
    modelwatchDashboard({
      uid: 'modelwatch-model-quality',
      title: 'modelwatch / Model quality',
      description: 'Realized and estimated model quality against the reference, concept drift, class mix and fairness.',
      variables: [modelVariable(), versionVariable(), windowVariable()],
      perModel: true,
    })
      .withPanel(qualityVsReferencePanel())
      .withPanel(qualityPerReplicaPanel())
      .withPanel(perClassPanel())
      .withPanel(changeVsReferencePanel())
      .withPanel(estimatedVsRealizedPanel())
      .withPanel(conceptDriftPanel())
      .withPanel(labelsPanel())
      .withPanel(labelDelayPanel())
      .withPanel(detectionsStat())
      .withPanel(predictedClassesPanel())
      .withPanel(qualityBySegmentTable())
      .withPanel(fairnessPanel()),
  );
}
