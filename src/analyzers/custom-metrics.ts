/**
 * Custom metrics from log fields (`custom_metrics` in config): LLM token counts, time to first
 * token, a logged confidence, an order value. Each entry reads one path of the raw log object
 * (ModelRecord.extra) and becomes `modelwatch_custom_<name>[_<unit>]` (+ `_total` for counters):
 *   histogram  observes the value (buckets in the exported unit)
 *   counter    adds the value (a count of tokens, an amount); negative values are skipped
 *   gauge      the last value seen
 * Values go through `scale` first (0.001 turns milliseconds into seconds). Labels are model,
 * version and the configured extra labels, whose values come from log fields and are capped per
 * metric (`max_series`, then `__overflow__`).
 *
 * Across a crash, counters and histograms continue through the exposition's carried-over values;
 * what the snapshot keeps is each gauge's last value and every metric's admitted label
 * combinations, so the `max_series` cap counts the same series after a restart as before it.
 */
import type { CustomMetricConfig } from '../config/quality-schema.js';
import { BoundedValues, labelValue, OVERFLOW } from '../metrics/cardinality.js';
import { HistogramState } from '../metrics/histogram-state.js';
import { registerSnapshot, type Sample } from '../metrics/snapshot-metric.js';
import { compileFieldPath, type FieldGetter } from '../records/field-path.js';
import type { ModelRecord } from '../records/model-record.js';
import { toFiniteNumber, toText } from '../records/values.js';
import type { Analyzer, AnalyzerContext, AnalyzerFactory } from './analyzer.js';

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Per metric: its type, and each series (in admission order) with its last value for gauges. */
interface SavedMetric {
  type: CustomMetricConfig['type'];
  series: { key: string; labels: Record<string, string>; value?: number }[];
}

interface Series {
  labels: Record<string, string>;
  value: number;
  histogram?: HistogramState;
}

export function customMetricName(c: Pick<CustomMetricConfig, 'name' | 'unit' | 'type'>): string {
  const base = `modelwatch_custom_${c.name}${c.unit && !c.name.endsWith(`_${c.unit}`) ? `_${c.unit}` : ''}`;
  return c.type === 'counter' ? `${base}_total` : base;
}

class CustomMetric {
  readonly name: string;
  private readonly get: FieldGetter;
  private readonly labelGetters: [string, FieldGetter][];
  private readonly series = new Map<string, Series>();
  private readonly combinations: BoundedValues;
  private readonly buckets: number[];

  constructor(readonly config: CustomMetricConfig) {
    this.name = customMetricName(config);
    this.get = compileFieldPath(config.path);
    this.labelGetters = Object.entries(config.labels).map(([label, path]) => [label, compileFieldPath(path)]);
    this.combinations = new BoundedValues(config.max_series);
    this.buckets = [...(config.buckets ?? DEFAULT_BUCKETS)].sort((a, b) => a - b);
  }

  observe(r: ModelRecord): void {
    if (!r.extra) return;
    const raw = toFiniteNumber(this.get(r.extra));
    if (raw === undefined) return;
    const value = raw * this.config.scale;
    if (this.config.type === 'counter' && value < 0) return;
    const s = this.seriesFor(r);
    if (this.config.type === 'histogram') s.histogram!.observe(value);
    else if (this.config.type === 'counter') s.value += value;
    else s.value = value;
  }

  private seriesFor(r: ModelRecord): Series {
    const extra = this.labelGetters.map(([label, get]) => [label, labelValue(toText(get(r.extra)) ?? '')] as const);
    let key = [r.model, r.version, ...extra.map(([, v]) => v)].join('\u0000');
    let labels: Record<string, string> = { model: r.model, version: r.version, ...Object.fromEntries(extra) };
    if (this.combinations.admit(key) === OVERFLOW) {
      key = OVERFLOW;
      labels = Object.fromEntries(Object.keys(labels).map((k) => [k, OVERFLOW]));
    }
    let s = this.series.get(key);
    if (!s) {
      s = { labels, value: 0, histogram: this.config.type === 'histogram' ? new HistogramState(this.buckets) : undefined };
      this.series.set(key, s);
    }
    return s;
  }

  snapshot(): SavedMetric {
    const gauge = this.config.type === 'gauge';
    return {
      type: this.config.type,
      series: [...this.series].map(([key, s]) => (gauge ? { key, labels: s.labels, value: s.value } : { key, labels: s.labels })),
    };
  }

  /**
   * Admits the saved series again, in order, with their gauge values. Counter and histogram
   * series start at zero: their saved values come back through the exposition, never twice.
   */
  restore(saved: SavedMetric): void {
    if (saved?.type !== this.config.type) throw new Error(`saved as a ${String(saved?.type)}, now a ${this.config.type}`);
    const names = ['model', 'version', ...this.labelGetters.map(([label]) => label)].sort().join(',');
    for (const s of saved.series) {
      if (typeof s.key !== 'string' || Object.keys(s.labels ?? {}).sort().join(',') !== names) throw new Error(`saved labels {${Object.keys(s.labels ?? {})}} are not {${names}}`);
    }
    for (const s of saved.series) {
      if (s.key !== OVERFLOW && this.combinations.admit(s.key) === OVERFLOW) continue;
      if (this.series.has(s.key)) continue;
      const value = this.config.type === 'gauge' && typeof s.value === 'number' ? s.value : 0;
      this.series.set(s.key, { labels: s.labels, value, histogram: this.config.type === 'histogram' ? new HistogramState(this.buckets) : undefined });
    }
  }

  *samples(): Iterable<Sample> {
    for (const s of this.series.values()) {
      if (s.histogram) yield* s.histogram.samples(this.name, s.labels);
      else yield { labels: s.labels, value: s.value };
    }
  }
}

export class CustomMetricsAnalyzer implements Analyzer {
  readonly metrics: CustomMetric[];
  /** None configured (the default): a call per record would do nothing. */
  readonly takesRecords: boolean;

  constructor(private readonly ctx: AnalyzerContext) {
    this.metrics = ctx.config.custom_metrics.map((c) => new CustomMetric(c));
    this.takesRecords = this.metrics.length > 0;
    for (const m of this.metrics) {
      const c = m.config;
      const help = `Custom metric from log field ${c.path}${c.unit ? ` (${c.unit})` : ''}.`;
      registerSnapshot(ctx.registry, m.name, help, c.type, () => m.samples());
    }
  }

  onRecord(r: ModelRecord): void {
    for (const m of this.metrics) m.observe(r);
  }

  /** Keyed by exposed metric name: a metric renamed or retyped in config starts afresh. */
  snapshot(): Record<string, SavedMetric> {
    return Object.fromEntries(this.metrics.map((m) => [m.name, m.snapshot()]));
  }

  restore(state: unknown): void {
    if (typeof state !== 'object' || state === null) throw new Error('saved custom metrics are not an object');
    const saved = state as Record<string, SavedMetric>;
    for (const m of this.metrics) {
      if (saved[m.name] === undefined) continue;
      try {
        m.restore(saved[m.name]);
      } catch (err) {
        this.ctx.logger.warn({ metric: m.name, err: String(err) }, 'saved custom metric does not fit the current config; it starts afresh');
      }
    }
  }
}

export const customMetricsAnalyzer: AnalyzerFactory = {
  name: 'custom_metrics',
  defaultEnabled: true,
  enabled: () => true,
  create: (ctx) => new CustomMetricsAnalyzer(ctx),
};
