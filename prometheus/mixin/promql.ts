/**
 * PromQL spelled from the mixin config: every sidecar series goes through `sel()` (the configured
 * job matcher and extra selectors), every aggregation through `by()` / `byReplica()` (so cluster,
 * namespace and job survive it), and every duration through `seconds()`.
 */
import type { MixinConfig } from './config.js';

export interface Promql {
  /** `metric{<config selector>, extra…}` */
  sel(metric: string, ...extra: string[]): string;
  /** The deployment labels plus `extra`, comma-separated, for `by (…)` and `on (…)`. */
  by(...extra: string[]): string;
  /** The deployment and replica labels plus `extra`: one series per sidecar. */
  byReplica(...extra: string[]): string;
}

export function promql(config: MixinConfig): Promql {
  return {
    sel: (metric, ...extra) => `${metric}{${[...config.selector, ...extra].join(', ')}}`,
    by: (...extra) => [...config.deploymentLabels, ...extra].join(', '),
    byReplica: (...extra) => [...config.deploymentLabels, ...config.replicaLabels, ...extra].join(', '),
  };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Seconds in a Prometheus duration of one unit (`5m` → 300). */
export function seconds(duration: string): number {
  const m = /^(\d+)([smhdw])$/.exec(duration);
  if (!m) throw new Error(`not a single-unit duration: ${duration}`);
  return Number(m[1]) * UNIT_SECONDS[m[2]];
}

/** Durations in increasing order, duplicates removed. */
export function sortedDurations(durations: Iterable<string>): string[] {
  return [...new Set(durations)].sort((a, b) => seconds(a) - seconds(b));
}

/** A regex alternative of label values: `a|b|c`. */
export function oneOf(values: readonly string[]): string {
  return values.join('|');
}

/** ` in namespace <ns>` when the alert has a namespace label, else nothing (annotation template). */
export const IN_NAMESPACE = '{{ with $labels.namespace }} in namespace {{ . }}{{ end }}';

/** Percent for prose: 0.05 → "5 %", 0.005 → "0.5 %". */
export function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(3))} %`;
}

/** "30 minutes", "1 hour", "2 days", for annotations. */
export function prose(duration: string): string {
  const m = /^(\d+)([smhdw])$/.exec(duration);
  if (!m) throw new Error(`not a single-unit duration: ${duration}`);
  const unit = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return `${m[1]} ${unit}${m[1] === '1' ? '' : 's'}`;
}
