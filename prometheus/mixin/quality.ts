/**
 * Model quality against the model's own reference, ground-truth labels, fairness.
 *
 * The real label sets decide the joins. `modelwatch_model_quality` carries `class` on per-class
 * precision / recall / f1 and `segment` on segment slices; `modelwatch_model_quality_reference`
 * carries the same `class` (no segment, no window). So the live side is the whole model
 * (`segment=""`), and both sides match on metric *and* class: matching on metric alone finds every
 * class of a classifier on the reference side and the rule fails with "many-to-many matching not
 * allowed". Each replica computes quality over its own joined pairs; the fleet value is their mean
 * weighted by pairs (exact for accuracy and the error means, close for f1 and roc_auc).
 */
import type { MixinConfig } from './config.js';
import { IN_NAMESPACE, oneOf, percent, promql, prose } from './promql.js';
import type { AlertSpec, GroupSpec } from './rules.js';

const LIVE = 'modelwatch:model_quality:avg_by_samples';
const REFERENCE = 'modelwatch:model_quality_reference:avg';
const SAMPLES = 'modelwatch:model_quality_samples:sum';

export function qualityRecording(config: MixinConfig): GroupSpec {
  const p = promql(config);
  const quality = p.sel('modelwatch_model_quality', 'segment=""');
  const samples = p.sel('modelwatch_model_quality_samples');
  const replica = p.byReplica('model', 'version', 'window');
  const series = p.by('model', 'version', 'metric', 'class', 'window');
  return {
    name: 'modelwatch-quality-ratios',
    comment: 'Fleet model quality per deployment, model, version, metric, class and window, and the reference it is held to.',
    rules: [
      { record: SAMPLES, expr: `sum by (${p.by('model', 'version', 'window')}) (${samples})` },
      {
        record: LIVE,
        comment: 'Each replica weighted by its joined pairs; the denominator counts only replicas that report the metric.',
        expr: `
          sum by (${series}) (
            ${quality} * on (${replica}) group_left () ${samples}
          )
          /
          sum by (${series}) (
            ${quality} * 0 + on (${replica}) group_left () ${samples}
          )
        `,
      },
      {
        record: REFERENCE,
        comment: 'Every replica exports the same reference; avg deduplicates.',
        expr: `avg by (${p.by('model', 'version', 'metric', 'class')}) (${p.sel('modelwatch_model_quality_reference')})`,
      },
    ],
  };
}

interface Comparison {
  alert: string;
  severity: 'critical' | 'warning';
  metrics: readonly string[];
  classMatcher: string;
  op: '<' | '>';
  /** The reference side, already shifted by the margin. */
  bound: string;
  margin: string;
  what: string;
}

function comparisonAlert(c: Comparison, config: MixinConfig): AlertSpec {
  const p = promql(config);
  const q = config.quality;
  return {
    alert: c.alert,
    severity: c.severity,
    team: 'ml',
    expr: `
      ${LIVE}{metric=~"${oneOf(c.metrics)}", ${c.classMatcher}}
      ${c.op} on (${p.by('model', 'version', 'metric', 'class')}) group_left ()
      ${c.bound}
      and on (${p.by('model', 'version', 'window')})
      ${SAMPLES} >= ${q.minSamples}
    `,
    for: q.for,
    keepFiringFor: q.keepFiringFor,
    summary: `{{ $labels.metric }}${c.classMatcher === 'class!=""' ? ' of class {{ $labels.class }}' : ''} of {{ $labels.model }} {{ $labels.version }} ${c.what} its reference`,
    description: `
      {{ $labels.metric }}${c.classMatcher === 'class!=""' ? ' of class "{{ $labels.class }}"' : ''} of {{ $labels.model }} {{ $labels.version }}${IN_NAMESPACE} is {{ $value | printf "%.4f" }} in the {{ $labels.window }} window (all replicas,
      at least ${q.minSamples} labelled predictions), ${c.margin} for ${prose(q.for)}.`,
  };
}

export function qualityAlerts(config: MixinConfig): GroupSpec {
  const p = promql(config);
  const q = config.quality;
  const j = config.labelJoin;
  const perModel = p.byReplica('model', 'version');
  const joined = p.sel('modelwatch_labels_total', 'outcome="joined"');
  const requests = p.sel('modelwatch_requests_total');
  return {
    name: 'modelwatch-quality',
    comment: `Live quality (modelwatch-quality-ratios) against the reference, with at least ${q.minSamples} joined pairs in the window.`,
    rules: [
      comparisonAlert(
        {
          alert: 'ModelwatchModelQualityBelowReference',
          severity: 'critical',
          metrics: q.higherIsBetter,
          classMatcher: 'class=""',
          op: '<',
          bound: `(${REFERENCE}{class=""} - ${q.margin})`,
          margin: `more than ${q.margin} below the reference`,
          what: 'fell below',
        },
        config,
      ),
      comparisonAlert(
        {
          alert: 'ModelwatchClassQualityBelowReference',
          severity: 'warning',
          metrics: q.perClass,
          classMatcher: 'class!=""',
          op: '<',
          bound: `(${REFERENCE}{class!=""} - ${q.perClassMargin})`,
          margin: `more than ${q.perClassMargin} below the reference for that class`,
          what: 'fell below',
        },
        config,
      ),
      comparisonAlert(
        {
          alert: 'ModelwatchModelErrorAboveReference',
          severity: 'critical',
          metrics: q.lowerIsBetter,
          classMatcher: 'class=""',
          op: '>',
          bound: `(${REFERENCE}{class=""} * ${Number((1 + q.errorMargin).toPrecision(10))})`,
          margin: `more than ${percent(q.errorMargin)} above the reference`,
          what: 'rose above',
        },
        config,
      ),
      {
        alert: 'ModelwatchLabelJoinFailing',
        severity: 'warning',
        team: 'ml',
        comment: `
          Labels stopped arriving: none joined in ${j.range} on a replica that joined some in the ${j.history}
          before and still served at least ${j.minRequests} requests in the last ${j.range}.`,
        expr: `
          (
              sum by (${perModel}) (increase(${joined}[${j.range}]))
            or
              0 * sum by (${perModel}) (increase(${requests}[${j.range}]))
          ) == 0
          and on (${perModel})
          sum by (${perModel}) (increase(${joined}[${j.history}] offset ${j.range})) > 0
          and on (${perModel})
          sum by (${perModel}) (increase(${requests}[${j.range}])) >= ${j.minRequests}
        `,
        for: '5m',
        summary: `No ground-truth labels joined for {{ $labels.model }} {{ $labels.version }} in ${prose(j.range)}`,
        description: `
          {{ $labels.model }} {{ $labels.version }} keeps serving predictions on {{ $labels.instance }}, and labels were
          joined to them during the previous ${prose(j.history)}, but none has been joined in the last ${prose(j.range)}.
          Model-quality metrics are going stale.`,
      },
      {
        alert: 'ModelwatchFairnessGap',
        severity: 'warning',
        team: 'ml',
        expr: `
          (
              ${p.sel('modelwatch_fairness', 'metric="disparate_impact_ratio"')} < ${q.minDisparateImpact}
            or
              abs(${p.sel('modelwatch_fairness', 'metric=~"demographic_parity_difference|equal_opportunity_difference"')}) > ${q.maxFairnessDifference}
          )
          and on (${p.byReplica('model', 'version', 'window')})
          ${p.sel('modelwatch_model_quality_samples')} >= ${q.minSamples}
        `,
        for: q.for,
        keepFiringFor: q.keepFiringFor,
        summary: 'Fairness gap on {{ $labels.attribute }} for {{ $labels.model }} {{ $labels.version }}',
        description: `
          {{ $labels.metric }} across groups of "{{ $labels.attribute }}" for {{ $labels.model }}
          {{ $labels.version }} is {{ $value | printf "%.3f" }} in the {{ $labels.window }} window on {{ $labels.instance }}
          (limits: disparate impact ratio at least ${q.minDisparateImpact}, absolute differences at most
          ${q.maxFairnessDifference}; at least ${q.minSamples} labelled predictions), for ${prose(q.for)}.`,
      },
    ],
  };
}
