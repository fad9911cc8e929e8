/**
 * PromQL helpers shared by every dashboard. Panels compose these rather than writing selectors by
 * hand, so the template-variable matchers are spelled one way everywhere (and the proof test in
 * test/grafana substitutes exactly these forms). The sidecar selector (`job="modelwatch"`) and the
 * runbook links come from the mixin config the alert rules are generated from
 * (prometheus/mixin.config.json), so rules and dashboards select the same series.
 */
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { loadMixinConfig } from '../../prometheus/mixin/config.js';
import { PROMETHEUS } from './datasource.js';

export const MIXIN = loadMixinConfig();

/** The deployment the viewer picked: the mixin's selector, then $cluster and $namespace. */
export const DEPLOYMENT_MATCHERS = [...MIXIN.selector, 'cluster=~"$cluster"', 'namespace=~"$namespace"'] as const;
/** One or more sidecars (replicas) of the picked deployments. */
export const SIDECAR_MATCHERS = [...DEPLOYMENT_MATCHERS, 'instance=~"$instance"'] as const;
/** Matchers that scope a series to the selected sidecars, models and versions (multi-value variables). */
export const MODEL_MATCHERS = [...SIDECAR_MATCHERS, 'model=~"$model"', 'version=~"$version"'] as const;
/** Recorded, deployment-wide series (prometheus/rules) have no instance: deployment, model, version. */
export const RECORDED_MODEL_MATCHERS = [...DEPLOYMENT_MATCHERS, 'model=~"$model"', 'version=~"$version"'] as const;
/** Labels a deployment-wide breakdown keeps: the same model in two namespaces stays two series. */
export const BY_DEPLOYMENT = ['cluster', 'namespace'] as const;
export const WINDOW_MATCHER = 'window="$window"';
export const FEATURE_MATCHER = 'feature=~"$feature"';
export const METHOD_MATCHER = 'method="$method"';
/** Quality series without a segment label are the whole model; with one, a slice of it. */
export const WHOLE_MODEL = 'segment=""';
export const SEGMENTS_ONLY = 'segment!=""';
/** Model-level metrics (accuracy, roc_auc, *_macro) rather than the per-class ones. */
export const NO_CLASS = 'class=""';

/** `metric{m1, m2}`; no braces when there are no matchers. */
export function selector(metric: string, ...matchers: readonly string[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;
}

/** A series of the selected models and versions, plus any extra matchers. */
export function modelSelector(metric: string, ...extra: readonly string[]): string {
  return selector(metric, ...MODEL_MATCHERS, ...extra);
}

/** A series of the selected sidecars that carries no model (resources, sidecar health). */
export function sidecarSelector(metric: string, ...extra: readonly string[]): string {
  return selector(metric, ...SIDECAR_MATCHERS, ...extra);
}

/** A recording rule's series of the selected deployments, models and versions. */
export function recordedSelector(metric: string, ...extra: readonly string[]): string {
  return selector(metric, ...RECORDED_MODEL_MATCHERS, ...extra);
}

/** Grafana sizes $__rate_interval from the scrape interval so rate() always sees two samples. */
export function rate(series: string, range = '$__rate_interval'): string {
  return `rate(${series}[${range}])`;
}

/** Counter increase over the whole dashboard time range (for "since" totals and distributions). */
export function increaseOverRange(series: string): string {
  return `increase(${series}[$__range])`;
}

export function sumBy(labels: readonly string[], expr: string): string {
  return labels.length === 0 ? `sum(${expr})` : `sum by (${labels.join(', ')}) (${expr})`;
}

export function maxBy(labels: readonly string[], expr: string): string {
  return `max by (${labels.join(', ')}) (${expr})`;
}

/** Distinct label combinations of a series, once however many replicas export them. */
export function countDistinct(labels: readonly string[], expr: string): string {
  return `count(count by (${labels.join(', ')}) (${expr}))`;
}

/** A latency quantile from a histogram's buckets, per the given labels. */
export function histogramQuantile(q: number, histogram: string, by: readonly string[], ...matchers: readonly string[]): string {
  const buckets = selector(`${histogram}_bucket`, ...matchers);
  return `histogram_quantile(${q}, ${sumBy(['le', ...by], rate(buckets))})`;
}

/** Runbook of an alert, under the mixin's runbook URL base. */
export function runbookUrl(alert: string): string {
  return `${MIXIN.runbookUrlBase}${alert}.md`;
}

export interface TargetOptions {
  legend?: string;
  /** Only the value at the end of the range (stat, table and bar panels). */
  instant?: boolean;
  /** Table format: one row per series, labels as columns. */
  table?: boolean;
}

/** One Prometheus query of a panel. refIds are assigned by the panel kit in target order. */
export function promQuery(expr: string, opts: TargetOptions = {}): prometheus.DataqueryBuilder {
  const q = new prometheus.DataqueryBuilder().datasource(PROMETHEUS).expr(expr);
  if (opts.legend !== undefined) q.legendFormat(opts.legend);
  if (opts.instant) q.instant();
  else q.range();
  if (opts.table) q.format(prometheus.PromQueryFormat.Table);
  return q;
}
